"""Bulk export and import of the library's metadata as CSV, usable without the admin.

The file has one publication per row (see ``COLUMNS``). An import matches rows to
publications by slug (update) or creates them, checks every row completely before
anything is written, and writes all rows or none.
"""

import csv
import datetime
import hashlib
import io
import json
import re
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries as country_registry

from publications.models import (
    Author,
    Authorship,
    Collection,
    DatePrecision,
    Publication,
    PublicationStatus,
    PublicationType,
    Region,
    Theme,
)

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
TRANSLATED_FIELDS = ["title", "subtitle", "summary"]
TRANSLATED_COLUMNS = [f"{name}_{code}" for name in TRANSLATED_FIELDS for code in LANGUAGE_CODES]
PLAIN_TEXT_COLUMNS = ["publisher", "isbn", "doi", "handle_url"]
COLUMNS = [
    "slug",
    "status",
    "type",
    "publication_date",
    *TRANSLATED_COLUMNS,
    "authors",
    "themes",
    "countries",
    "regions",
    *PLAIN_TEXT_COLUMNS,
    "collections",
    "languages",
]
REQUIRED_COLUMNS = ["slug", "type", "publication_date", "title_en"]
LIST_SEPARATOR = "; "
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

# Spreadsheets run cells that start with these as formulas: exported cells get a quote.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
ACTION_LABELS = {
    CREATE: gettext_lazy("create"),
    UPDATE: gettext_lazy("update"),
    UNCHANGED: gettext_lazy("unchanged"),
}
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def max_import_bytes() -> int:
    return getattr(settings, "PUBLICATION_CSV_MAX_BYTES", DEFAULT_MAX_BYTES)


# Cells -------------------------------------------------------------------------------


def escape_cell(value: str) -> str:
    """Neutralise spreadsheet formulas; ``unescape_cell`` reverses it exactly."""
    if value.startswith(FORMULA_TRIGGERS) or (
        value.startswith(ESCAPE) and value[1:2] in (*FORMULA_TRIGGERS, ESCAPE)
    ):
        return ESCAPE + value
    return value


def unescape_cell(value: str) -> str:
    if value.startswith(ESCAPE) and value[1:2] and value[1:2] in (*FORMULA_TRIGGERS, ESCAPE):
        return value[1:]
    return value


def format_date(date: datetime.date, precision: str) -> str:
    if precision == DatePrecision.YEAR:
        return f"{date.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def parse_date(value: str) -> tuple[datetime.date, str]:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` to a date and its precision."""
    match = DATE_PATTERN.match(value.strip())
    if not match:
        raise ValueError(value)
    year, month, day = match.groups()
    if day is not None:
        return datetime.date(int(year), int(month), int(day)), DatePrecision.DAY
    if month is not None:
        return datetime.date(int(year), int(month), 1), DatePrecision.MONTH
    return datetime.date(int(year), 1, 1), DatePrecision.YEAR


def _split(value: str, separators: str = ";") -> list[str]:
    items = re.split(f"[{re.escape(separators)}]", value)
    return [item.strip() for item in items if item.strip()]


# Export ------------------------------------------------------------------------------


def export_queryset(queryset):
    return queryset.select_related("type").prefetch_related(
        Prefetch(
            "authorships",
            queryset=Authorship.objects.select_related("author").order_by("order", "pk"),
        ),
        Prefetch("themes", queryset=Theme.objects.order_by("slug")),
        Prefetch("collections", queryset=Collection.objects.order_by("slug")),
        "versions",
    )


def publication_row(publication: Publication) -> dict[str, str]:
    row = {
        "slug": publication.slug,
        "status": publication.status,
        "type": publication.type.slug,
        "publication_date": format_date(publication.publication_date, publication.date_precision),
        "authors": LIST_SEPARATOR.join(a.author.name for a in publication.authorships.all()),
        "themes": LIST_SEPARATOR.join(theme.slug for theme in publication.themes.all()),
        "countries": LIST_SEPARATOR.join(publication.countries),
        "regions": LIST_SEPARATOR.join(publication.regions),
        "collections": LIST_SEPARATOR.join(c.slug for c in publication.collections.all()),
        "languages": LIST_SEPARATOR.join(v.language for v in publication.versions.all()),
    }
    for column in TRANSLATED_COLUMNS + PLAIN_TEXT_COLUMNS:
        row[column] = getattr(publication, column) or ""
    return {column: escape_cell(str(value)) for column, value in row.items()}


def export_publications(queryset, stream) -> int:
    """Write the publications of ``queryset`` as CSV into the text ``stream``."""
    writer = csv.DictWriter(stream, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for publication in export_queryset(queryset).iterator(chunk_size=500):
        writer.writerow(publication_row(publication))
        count += 1
    return count


# Import ------------------------------------------------------------------------------


@dataclass
class RowReport:
    number: int  # the spreadsheet's row number: the header is row 1
    slug: str = ""
    title: str = ""
    action: str = ""
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, "")


@dataclass
class ImportReport:
    dry_run: bool
    filename: str = ""
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowReport] = field(default_factory=list)
    written: bool = False

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(row.errors) for row in self.rows)

    @property
    def rows_with_errors(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
        for row in self.rows:
            if row.action in counts:
                counts[row.action] += 1
        return counts


@dataclass
class _Plan:
    report: RowReport
    publication: Publication
    authors: list[str] | None = None  # None: leave as they are
    themes: list[Theme] | None = None
    collections: list[Collection] | None = None


def _read_table(file, report: ImportReport) -> tuple[list[str], list[list[str]]] | None:
    limit = max_import_bytes()
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        report.file_errors.append(_too_large(limit))
        return None
    file.seek(0)
    data = file.read(limit + 1)
    if isinstance(data, str):
        text = data
    else:
        if len(data) > limit:
            report.file_errors.append(_too_large(limit))
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            report.file_errors.append(
                _(
                    "The file is not UTF-8 text (undecodable byte at position %(position)s). "
                    "Save it as “CSV UTF-8” and try again."
                )
                % {"position": error.start}
            )
            return None
    if "\x00" in text:
        report.file_errors.append(_("The file contains binary data; it is not a CSV file."))
        return None
    if not text.strip():
        report.file_errors.append(_("The file is empty."))
        return None
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        report.file_errors.append(
            _("The file is not valid CSV: %(error)s.") % {"error": str(error)}
        )
        return None
    header = [name.strip().lstrip("\ufeff").strip().lower() for name in records[0]]
    return header, records[1:]


def _too_large(limit: int) -> str:
    return _("The file is too large: CSV files up to %(limit)s are accepted.") % {
        "limit": filesizeformat(limit)
    }


def _check_header(header: list[str], report: ImportReport) -> bool:
    duplicates = sorted({name for name in header if header.count(name) > 1 and name})
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if duplicates:
        report.file_errors.append(
            _("These columns appear more than once: %(columns)s.")
            % {"columns": ", ".join(duplicates)}
        )
    if unknown:
        report.file_errors.append(
            _("Unknown columns: %(columns)s. The expected columns are: %(expected)s.")
            % {
                "columns": ", ".join(name or _("(no name)") for name in unknown),
                "expected": ", ".join(COLUMNS),
            }
        )
    if missing:
        report.file_errors.append(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return not (duplicates or unknown or missing)


class _Lookups:
    """Everything the rows refer to, fetched once for the whole file."""

    def __init__(self, rows: list[dict[str, str]]):
        slugs = {row.get("slug", "") for row in rows} - {""}
        self.publications = {
            publication.slug: publication
            for publication in export_queryset(Publication.objects.filter(slug__in=slugs))
        }
        self.types = {item.slug: item for item in PublicationType.objects.all()}
        self.themes = {item.slug: item for item in Theme.objects.all()}
        self.collections = {item.slug: item for item in Collection.objects.all()}
        names = set()
        for row in rows:
            names.update(_split(row.get("authors", "")))
        self.author_names = set(
            Author.objects.filter(name__in=names).values_list("name", flat=True)
        )
        self.seen_slugs: dict[str, int] = {}


def _current(publication: Publication) -> dict:
    """What a row can change, as comparable values."""
    values = {column: getattr(publication, column) or "" for column in TRANSLATED_COLUMNS}
    values.update(
        {
            "status": publication.status,
            "type": publication.type_id,
            "publication_date": (publication.publication_date, publication.date_precision),
            "countries": list(publication.countries),
            "regions": list(publication.regions),
            "publisher": publication.publisher,
            "isbn": publication.isbn,
            "doi": publication.doi,
            "handle_url": publication.handle_url,
        }
    )
    if publication.pk:
        values["authors"] = [a.author.name for a in publication.authorships.all()]
        values["themes"] = {theme.pk for theme in publication.themes.all()}
        values["collections"] = {item.pk for item in publication.collections.all()}
    return values


def _plan_row(number: int, row: dict[str, str], lookups: _Lookups) -> _Plan:
    report = RowReport(number=number, slug=row.get("slug", ""), title=row.get("title_en", ""))
    errors = report.errors
    reported = set()  # fields whose problem is already explained
    slug = row.get("slug", "")
    existing = lookups.publications.get(slug) if slug else None
    publication = existing if existing is not None else Publication()
    plan = _Plan(report=report, publication=publication)
    before = _current(publication) if existing is not None else {}

    if not row.get("title_en"):
        errors.append(_("The English title (title_en) is missing."))
        reported.add("title")
    if not slug and row.get("title_en"):
        slug = slugify(row["title_en"])[:110]
        report.slug = slug
        if slug in lookups.publications or Publication.objects.filter(slug=slug).exists():
            reported.add("slug")
            errors.append(
                _(
                    "The slug “%(slug)s” made from the English title is already taken; "
                    "give this row a slug of its own."
                )
                % {"slug": slug}
            )
    if slug:
        if slug in lookups.seen_slugs:
            errors.append(
                _("The slug “%(slug)s” is already used on row %(row)s of this file.")
                % {"slug": slug, "row": lookups.seen_slugs[slug]}
            )
        else:
            lookups.seen_slugs[slug] = number
        publication.slug = slug

    if "status" in row:
        status = row["status"].lower()
        if status in PublicationStatus.values:
            publication.status = status
        elif status:  # blank keeps the current status (a new publication is a draft)
            errors.append(
                _("Unknown status “%(value)s”: use %(choices)s.")
                % {"value": row["status"], "choices": " or ".join(PublicationStatus.values)}
            )
    if publication.status == PublicationStatus.PUBLISHED and not publication.published_at:
        publication.published_at = timezone.now()

    type_slug = row.get("type", "")
    if type_slug not in lookups.types:
        reported.add("type")
    if not type_slug:
        errors.append(_("The publication type is missing."))
    elif type_slug not in lookups.types:
        errors.append(_("Unknown publication type “%(slug)s”.") % {"slug": type_slug})
    else:
        publication.type = lookups.types[type_slug]

    raw_date = row.get("publication_date", "")
    try:
        date, precision = parse_date(raw_date)
    except ValueError:
        reported.add("publication_date")
        errors.append(
            _("Bad publication date “%(value)s”: use YYYY, YYYY-MM or YYYY-MM-DD.")
            % {"value": raw_date}
        )
    else:
        old = before.get("publication_date")
        same_period = (
            old is not None
            and old[1] == precision
            and format_date(old[0], precision) == format_date(date, precision)
        )
        if not same_period:
            publication.publication_date, publication.date_precision = date, precision

    for column in TRANSLATED_COLUMNS:
        if column in row:
            setattr(publication, column, row[column])
    for column in PLAIN_TEXT_COLUMNS:
        if column in row and (row[column] or column != "publisher"):
            setattr(publication, column, row[column])

    if "countries" in row:
        codes = []
        for raw in _split(row["countries"], ";,"):
            code = country_registry.alpha2(raw) if raw.isalpha() else ""
            if not code:
                errors.append(_("Unknown country code “%(code)s”.") % {"code": raw})
            elif code not in codes:
                codes.append(code)
        publication.countries = codes
    if "regions" in row:
        regions = []
        for raw in _split(row["regions"], ";,"):
            if raw.lower() not in Region.values:
                errors.append(
                    _("Unknown region “%(value)s”: use %(choices)s.")
                    % {"value": raw, "choices": ", ".join(Region.values)}
                )
            elif raw.lower() not in regions:
                regions.append(raw.lower())
        publication.regions = regions

    if "authors" in row:
        names = _split(row["authors"])
        for name in {name for name in names if names.count(name) > 1}:
            errors.append(_("The author “%(name)s” is listed twice.") % {"name": name})
        for name in names:
            if len(name) > Author._meta.get_field("name").max_length:
                errors.append(_("The author name “%(name)s” is too long.") % {"name": name})
        plan.authors = names
    if "themes" in row:
        plan.themes = _resolve(
            row["themes"], lookups.themes, _("Unknown theme “%(slug)s”."), errors
        )
    if "collections" in row:
        plan.collections = _resolve(
            row["collections"], lookups.collections, _("Unknown collection “%(slug)s”."), errors
        )

    _full_clean(publication, errors, reported)
    if errors:
        return plan

    if existing is None:
        report.action = CREATE
        if plan.authors:
            new = [name for name in plan.authors if name not in lookups.author_names]
            if new:
                report.notes.append(
                    _("New authors: %(names)s.") % {"names": LIST_SEPARATOR.join(new)}
                )
        return plan

    after = _current(publication)
    if plan.authors is not None:
        after["authors"] = plan.authors
    if plan.themes is not None:
        after["themes"] = {theme.pk for theme in plan.themes}
    if plan.collections is not None:
        after["collections"] = {item.pk for item in plan.collections}
    report.changes = [name for name in after if after[name] != before.get(name)]
    if plan.authors is not None and "authors" not in report.changes:
        plan.authors = None  # untouched: no needless rewrite
    if plan.themes is not None and "themes" not in report.changes:
        plan.themes = None
    if plan.collections is not None and "collections" not in report.changes:
        plan.collections = None
    report.action = UPDATE if report.changes else UNCHANGED
    return plan


def _resolve(value: str, known: dict, message: str, errors: list[str]) -> list:
    """Slugs to objects; each unknown slug adds an error."""
    found = []
    for slug in _split(value, ";,"):
        item = known.get(slug.lower())
        if item is None:
            errors.append(message % {"slug": slug})
        elif item not in found:
            found.append(item)
    return found


def _full_clean(publication: Publication, errors: list[str], reported: set[str]) -> None:
    """The model's own validation; fields whose problem was already reported are skipped."""
    try:
        publication.full_clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name in reported:
                continue
            for message in messages:
                errors.append(message if name == NON_FIELD_ERRORS else f"{name}: {message}")


def import_publications(file, *, dry_run: bool = True, user=None) -> ImportReport:
    """Check a CSV file of publications and, unless ``dry_run``, write all of it or nothing."""
    report = ImportReport(dry_run=dry_run, filename=getattr(file, "name", "") or "")
    table = _read_table(file, report)
    if table is None:
        return report
    header, records = table
    if not _check_header(header, report):
        return report

    rows = []
    for index, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank line
        if len(record) != len(header):
            rows.append((index, None, len(record)))
            continue
        values = {
            name: unescape_cell(cell.strip()) for name, cell in zip(header, record, strict=True)
        }
        rows.append((index, values, len(record)))
    if not rows:
        report.file_errors.append(_("The file has a header but no publications."))
        return report

    lookups = _Lookups([values for _number, values, _count in rows if values])
    plans = []
    for number, values, count in rows:
        if values is None:
            report.rows.append(
                RowReport(
                    number=number,
                    errors=[
                        _("This row has %(count)s cells; the header has %(expected)s.")
                        % {"count": count, "expected": len(header)}
                    ],
                )
            )
            continue
        plan = _plan_row(number, values, lookups)
        report.rows.append(plan.report)
        plans.append(plan)

    if dry_run or report.has_errors:
        return report
    try:
        with transaction.atomic():
            for plan in plans:
                _write(plan, user=user, filename=report.filename)
    except (DatabaseError, ValidationError) as error:
        report.file_errors.append(
            _("The import failed and nothing was written: %(error)s") % {"error": error}
        )
        return report
    report.written = True
    return report


def _write(plan: _Plan, *, user, filename: str) -> None:
    if plan.report.action == UNCHANGED:
        return
    publication = plan.publication
    created = publication.pk is None
    publication.save()
    if plan.authors is not None:
        publication.authorships.all().delete()
        for order, name in enumerate(plan.authors):
            Authorship.objects.create(publication=publication, author=_author(name), order=order)
    if plan.themes is not None:
        publication.themes.set(plan.themes)
    if plan.collections is not None:
        publication.collections.set(plan.collections)
    if user is None or not getattr(user, "pk", None):
        return
    if created:
        message = _("Created by the CSV import of “%(file)s”.") % {"file": filename}
    else:
        message = _("Changed by the CSV import of “%(file)s”: %(columns)s.") % {
            "file": filename,
            "columns": ", ".join(plan.report.changes),
        }
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[publication],
        action_flag=ADDITION if created else CHANGE,
        change_message=message,
    )


def _author(name: str) -> Author:
    """The existing author of that name, else a new one: a person when it reads "Family, Given"."""
    matches = list(Author.objects.filter(name=name))
    if matches:
        guess = Author.Kind.PERSON if "," in name else Author.Kind.ORGANISATION
        return next((a for a in matches if a.kind == guess), matches[0])
    kind = Author.Kind.PERSON if "," in name else Author.Kind.ORGANISATION
    return Author.objects.create(name=name, kind=kind)


# Staging between the preview and the confirmation --------------------------------------
#
# A dry run that finds no error keeps the file in storage under a random name; the preview
# page carries a signed reference to it, so "Confirm import" imports those same bytes without
# a second upload. A staged file is removed once confirmed, and any left over after a day.

STAGING_DIRECTORY = "csv-imports"
STAGING_MAX_AGE = 60 * 60 * 24  # seconds
STAGING_SALT = "publications.csv-import"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")


class StagedImportError(Exception):
    """The confirmation refers to no usable staged file."""

    def __init__(self, message: str, *, expired: bool = False):
        super().__init__(message)
        self.expired = expired


@dataclass
class StagedImport:
    token: str
    filename: str
    digest: str  # what the preview showed, to refuse an import that would differ

    @property
    def path(self) -> str:
        return f"{STAGING_DIRECTORY}/{self.token}.csv"

    def sign(self, user) -> str:
        value = {"t": self.token, "f": self.filename, "d": self.digest, "u": user.pk}
        return signing.dumps(value, salt=STAGING_SALT, compress=True)


def report_digest(report: ImportReport) -> str:
    """A fingerprint of what an import would do, row by row."""
    rows = [[row.number, row.slug, row.action, sorted(row.changes)] for row in report.rows]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def stage_import(file, report: ImportReport) -> StagedImport:
    """Keep the bytes of a previewed file for its confirmation."""
    purge_staged_imports()
    file.seek(0)
    data = file.read(max_import_bytes() + 1)
    if isinstance(data, str):
        data = data.encode()
    staged = StagedImport(
        token=secrets.token_urlsafe(32), filename=report.filename, digest=report_digest(report)
    )
    default_storage.save(staged.path, ContentFile(data))
    return staged


def staged_import(signed: str, *, user) -> StagedImport:
    """The staged file a confirmation form refers to, checked: signed for this user, recent."""
    try:
        value = signing.loads(signed, salt=STAGING_SALT, max_age=STAGING_MAX_AGE)
    except signing.SignatureExpired as error:
        raise StagedImportError(
            _("This preview is more than a day old. Upload the file again."), expired=True
        ) from error
    except signing.BadSignature as error:
        raise StagedImportError(
            _("This confirmation is not valid. Upload the file again.")
        ) from error
    if (
        not isinstance(value, dict)
        or value.get("u") != user.pk
        or not TOKEN_PATTERN.fullmatch(str(value.get("t", "")))
    ):
        raise StagedImportError(_("This confirmation is not valid. Upload the file again."))
    staged = StagedImport(
        token=value["t"], filename=str(value.get("f", "")), digest=str(value.get("d", ""))
    )
    if not default_storage.exists(staged.path):
        raise StagedImportError(
            _("The checked file is no longer kept. Upload it again."), expired=True
        )
    return staged


def open_staged(staged: StagedImport) -> ContentFile:
    with default_storage.open(staged.path, "rb") as stored:
        return ContentFile(stored.read(max_import_bytes() + 1), name=staged.filename)


def discard_staged(staged: StagedImport) -> None:
    default_storage.delete(staged.path)


def purge_staged_imports(max_age: int = STAGING_MAX_AGE) -> int:
    """Remove staged files nobody confirmed within ``max_age`` seconds."""
    try:
        _directories, names = default_storage.listdir(STAGING_DIRECTORY)
    except FileNotFoundError:
        return 0
    limit = timezone.now() - datetime.timedelta(seconds=max_age)
    removed = 0
    for name in names:
        path = f"{STAGING_DIRECTORY}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
                removed += 1
        except FileNotFoundError:  # removed meanwhile by another request
            continue
    return removed
