"""Writes on the library that touch several rows: indexing, text extraction, publishing."""

import io
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django_countries import countries as country_names
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from collective_brain.search import SEARCH_CONFIGS, SIMPLE_CONFIG
from publications.cache import library_changed
from publications.models import (
    MAX_INDEXED_TEXT,
    ExtractionStatus,
    LanguageVersion,
    Publication,
    PublicationStatus,
    Region,
)

logger = logging.getLogger(__name__)
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _metadata_text(publication: Publication) -> str:
    """Names, themes, type, countries and regions in every interface language."""
    parts = [author.name for author in publication.authors.all()]
    parts += [publication.publisher, publication.isbn, publication.doi]
    parts += [collection.title for collection in publication.collections.all()]
    for language in LANGUAGE_CODES:
        with translation.override(language):
            parts.append(getattr(publication.type, f"name_{language}") or "")
            parts += [
                getattr(theme, f"name_{language}") or "" for theme in publication.themes.all()
            ]
            parts += [str(country_names.name(code)) for code in publication.countries]
            parts += [
                str(Region(code).label) for code in publication.regions if code in Region.values
            ]
    parts += publication.countries
    return " ".join(part for part in parts if part)


def _vector_sql() -> str:
    pieces = []
    for language, config in SEARCH_CONFIGS.items():
        pieces.append(
            f"setweight(to_tsvector('{config}', coalesce(p.title_{language}, '') || ' ' || "
            f"coalesce(p.subtitle_{language}, '')), 'A')"
        )
        pieces.append(
            f"setweight(to_tsvector('{config}', coalesce(p.summary_{language}, '')), 'B')"
        )
    pieces.append(f"setweight(to_tsvector('{SIMPLE_CONFIG}', %(metadata)s), 'C')")
    for language, config in SEARCH_CONFIGS.items():
        pieces.append(
            f"setweight(to_tsvector('{config}', coalesce((SELECT string_agg(left(v.text, "
            f"{MAX_INDEXED_TEXT}), ' ') FROM publications_languageversion v "
            f"WHERE v.publication_id = p.id AND v.language = '{language}'), '')), 'D')"
        )
    others = ", ".join(f"'{code}'" for code in SEARCH_CONFIGS)
    pieces.append(
        f"setweight(to_tsvector('{SIMPLE_CONFIG}', coalesce((SELECT string_agg(left(v.text, "
        f"{MAX_INDEXED_TEXT}), ' ') FROM publications_languageversion v "
        f"WHERE v.publication_id = p.id AND v.language NOT IN ({others})), '')), 'D')"
    )
    return " || ".join(pieces)


INDEX_SQL = (
    f"UPDATE publications_publication p SET search_vector = {_vector_sql()} WHERE p.id = %(id)s"
)


def publication_index(*, publication: Publication) -> None:
    """Rebuild one publication's stored search vector (titles, summaries, metadata, text)."""
    publication = (
        Publication.objects.select_related("type")
        .prefetch_related("authors", "themes", "collections")
        .get(pk=publication.pk)
    )
    with connection.cursor() as cursor:
        cursor.execute(INDEX_SQL, {"id": publication.pk, "metadata": _metadata_text(publication)})
    library_changed()


def search_terms_refresh() -> int:
    """Rebuild the word list behind "did you mean" from published titles and summaries."""
    columns = " || ' ' || ".join(
        f"coalesce(title_{code}, '') || ' ' || coalesce(summary_{code}, '')"
        for code in LANGUAGE_CODES
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM publications_searchterm")
        cursor.execute(
            "INSERT INTO publications_searchterm (word, frequency) "
            "SELECT word, ndoc FROM ts_stat(%s) WHERE length(word) BETWEEN 3 AND 100",
            [
                f"SELECT to_tsvector('simple', lower({columns})) FROM publications_publication "
                f"WHERE status = 'published'"
            ],
        )
        count = cursor.rowcount
    library_changed()
    return count


def version_extract_text(*, version: LanguageVersion) -> LanguageVersion:
    """Read a version's PDF: page count and text go into the record and the search index."""
    if not version.file:
        version.extraction_status = ExtractionStatus.NOT_APPLICABLE
        version.save(update_fields=["extraction_status"])
        return version
    try:
        with version.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
            pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("Text extraction failed for version %s: %s", version.pk, error)
        version.extraction_status = ExtractionStatus.FAILED
        version.extraction_error = f"{type(error).__name__}: {error}"[:2000]
        version.extracted_at = timezone.now()
        version.save(update_fields=["extraction_status", "extraction_error", "extracted_at"])
        return version
    version.text = "\n\n".join(pages).replace("\x00", "")
    version.page_count = len(pages)
    version.extraction_status = ExtractionStatus.DONE
    version.extraction_error = ""
    version.extracted_at = timezone.now()
    version.save(
        update_fields=[
            "text",
            "page_count",
            "extraction_status",
            "extraction_error",
            "extracted_at",
        ]
    )
    publication_index(publication=version.publication)
    return version


@transaction.atomic
def publication_set_status(*, publication: Publication, status: str) -> Publication:
    publication.status = status
    if status == PublicationStatus.PUBLISHED and not publication.published_at:
        publication.published_at = timezone.now()
    publication.save(update_fields=["status", "published_at", "updated_at"])
    library_changed()
    return publication
