"""The demo library: the ILO publications listed on the SSE page, each with real PDFs.

``seed_demo`` calls :func:`seed_publications`. The content lives in
collective_brain/demo_content/publications.json: publication types, curated themes (and the
17 SDGs), a collection and the publications, each with one list of paragraphs per language
version. Every version's PDF is generated here with ``make_pdf()`` and a fixed creation date,
so the same paragraphs always give the same bytes and checksum: a file whose checksum is
unchanged is neither written again nor extracted again, and a second run changes nothing.
Text extraction and indexing run synchronously, so searching the demo works without a worker.
"""

import datetime
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from publications.models import (
    Author,
    Authorship,
    Collection,
    DatePrecision,
    ExtractionStatus,
    LanguageVersion,
    Publication,
    PublicationStatus,
    PublicationType,
    SearchTerm,
    Theme,
    version_upload_to,
)
from publications.pdf import make_pdf
from publications.services import publication_index, search_terms_refresh, version_extract_text

CONTENT_FILE = Path(settings.BASE_DIR) / "collective_brain" / "demo_content" / "publications.json"
ORGANISATION = "International Labour Organization"
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def load_content(path: Path = CONTENT_FILE) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _translated(values: dict | None, field: str) -> dict:
    values = values or {}
    return {f"{field}_{code}": values.get(code, "") for code in LANGUAGES}


def _upsert(model, lookup: dict, values: dict):
    """Create the row, or update only the fields that differ; (row, whether it changed)."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **values), True
    stale = {name: value for name, value in values.items() if getattr(instance, name) != value}
    for name, value in stale.items():
        setattr(instance, name, value)
    if stale:
        instance.save()
    return instance, bool(stale)


def _set_related(manager, ids) -> bool:
    """Set a many-to-many relation only when it differs (no signals, no writes otherwise)."""
    if set(manager.values_list("pk", flat=True)) == set(ids):
        return False
    manager.set(ids)
    return True


def seed_taxonomy(content: dict | None = None) -> tuple[dict, dict, bool]:
    """Publication types and themes (with the SDGs), by slug; and whether any changed."""
    content = content or load_content()
    changed = False
    types = {}
    for row in content["types"]:
        types[row["slug"]], created_or_updated = _upsert(
            PublicationType,
            {"slug": row["slug"]},
            {
                "order": row["order"],
                **_translated(row["name"], "name"),
                **_translated(row.get("description"), "description"),
            },
        )
        changed |= created_or_updated
    themes = {}
    for row in content["themes"]:
        themes[row["slug"]], created_or_updated = _upsert(
            Theme,
            {"slug": row["slug"]},
            {
                "order": row["order"],
                "sdg_number": row.get("sdg_number"),
                **_translated(row["name"], "name"),
            },
        )
        changed |= created_or_updated
    return types, themes, changed


def _month(row: dict) -> datetime.date:
    year, month = (int(part) for part in row["date"].split("-"))
    return datetime.date(year, month, 1)


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)


def version_pdf(content: dict, row: dict, language: str) -> bytes:
    """The PDF of one language version: title, byline and the version's own paragraphs."""
    day = _month(row)
    title = row["title"][language]
    subtitle = (row.get("subtitle") or {}).get(language)
    organisation = content["organisation"][language]
    byline = f"{organisation} - {content['months'][language][day.month - 1]} {day.year}"
    return make_pdf(
        f"{subtitle}: {title}" if subtitle else title,
        [byline, *row["versions"][language]],
        language=language,
        author=organisation,
        creation_date=_midnight(day),
    )


def _stored_checksum(storage, name: str) -> str | None:
    if not storage.exists(name):
        return None
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _delete_file_later(storage, name: str) -> None:
    def delete():
        if not LanguageVersion.objects.filter(file=name).exists():
            storage.delete(name)

    transaction.on_commit(delete)


def _seed_version(publication: Publication, language: str, data: bytes) -> bool:
    """Store and extract one version's PDF unless the same file is already there."""
    upload = ContentFile(data, name=f"{publication.slug}-{language}.pdf")
    checksum = LanguageVersion.checksum_of(upload)
    version = publication.versions.filter(language=language).first()
    if (
        version is not None
        and version.file
        and version.checksum == checksum
        and version.file.storage.exists(version.file.name)
        and version.extraction_status == ExtractionStatus.DONE
    ):
        return False
    if version is None:
        version = LanguageVersion(publication=publication, language=language)
    previous = version.file.name if version.file else ""
    version.external_url = ""
    version.set_file(upload)
    target = version_upload_to(version, upload.name)
    storage = version.file.storage
    if _stored_checksum(storage, target) == checksum:
        version.file = target  # the identical file is already stored (an earlier seed)
    version.save()
    version_extract_text(version=version)
    if previous and previous != version.file.name:
        _delete_file_later(storage, previous)
    return True


def seed_publications(content: dict | None = None) -> list[Publication]:
    """Create or update the demo library; running it again changes nothing."""
    content = content or load_content()
    with transaction.atomic():
        types, themes, taxonomy_changed = seed_taxonomy(content)
        collections = {}
        for row in content["collections"]:
            collections[row["slug"]], changed = _upsert(
                Collection,
                {"slug": row["slug"]},
                {
                    "order": row["order"],
                    **_translated(row["title"], "title"),
                    **_translated(row.get("description"), "description"),
                },
            )
            taxonomy_changed |= changed
        author, created = Author.objects.get_or_create(
            name=ORGANISATION, kind=Author.Kind.ORGANISATION
        )
        taxonomy_changed |= created

        publications, dirty = {}, set()
        for row in content["publications"]:
            publication, changed = _seed_publication(row, types, themes, collections, author)
            publications[row["slug"]] = publication
            for language in row["versions"]:
                changed |= _seed_version(
                    publication, language, version_pdf(content, row, language)
                )
            for version in publication.versions.exclude(language__in=list(row["versions"])):
                _delete_file_later(version.file.storage, version.file.name)
                version.delete()
                changed = True
            if changed or taxonomy_changed or publication.search_vector is None:
                dirty.add(row["slug"])
        for row in content["publications"]:
            related = [publications[slug].pk for slug in row.get("related", [])]
            if _set_related(publications[row["slug"]].related, related):
                dirty.add(row["slug"])

        for slug in sorted(dirty):
            publication_index(publication=publications[slug])
        if dirty or not SearchTerm.objects.exists():
            search_terms_refresh()
    return list(publications.values())


def _seed_publication(row, types, themes, collections, author) -> tuple[Publication, bool]:
    day = _month(row)
    publication, changed = _upsert(
        Publication,
        {"slug": row["slug"]},
        {
            "type_id": types[row["type"]].pk,
            **_translated(row["title"], "title"),
            **_translated(row.get("subtitle"), "subtitle"),
            **_translated(row["summary"], "summary"),
            "countries": row["countries"],
            "regions": row["regions"],
            "publisher": ORGANISATION,
            "publication_date": day,
            "date_precision": DatePrecision.MONTH,
            "status": PublicationStatus.PUBLISHED,
            "published_at": _midnight(day),
        },
    )
    changed |= _set_related(publication.themes, [themes[slug].pk for slug in row["themes"]])
    changed |= _set_related(
        publication.collections, [collections[slug].pk for slug in row["collections"]]
    )
    if list(publication.authorships.values_list("author_id", flat=True)) != [author.pk]:
        publication.authorships.all().delete()
        Authorship.objects.create(publication=publication, author=author, order=0)
        changed = True
    return publication, changed
