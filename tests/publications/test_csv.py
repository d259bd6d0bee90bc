"""Bulk CSV export and import of publication metadata, as functions and in the admin."""

import csv
import datetime
import io

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from publications import csv_io
from publications.models import (
    Author,
    Collection,
    Publication,
    PublicationStatus,
)
from tests.publications.factories import make_publication, make_theme, make_type, make_version

CHANGELIST = "/admin/publications/publication/"
IMPORT = f"{CHANGELIST}import/"
EXPORT = f"{CHANGELIST}export/"


@pytest.fixture
def library(db, django_capture_on_commit_callbacks):
    """A few publications using every column."""
    make_type("multi-country-study", name_en="Multi-country study")
    gender = make_theme("gender-equality")
    sdg8 = make_theme("decent-work")
    academy = Collection.objects.create(slug="academy-2019", title_en="Academy 2019")
    with django_capture_on_commit_callbacks(execute=True):
        brazil = make_publication(
            slug="brazil",
            title_fr="Politiques publiques pour l’ESS au Brésil",
            subtitle_en="A country case study",
            summary_es="Un estudio.\nEn dos líneas, con “comillas”, y; punto y coma.",
            authors=["Lima, Ana", "International Labour Office"],
            themes=[gender, sdg8],
            countries=["BR", "AR"],
            regions=["americas"],
            isbn="978-92-2-000000-1",
            doi="10.1000/xyz",
            handle_url="https://hdl.handle.net/20.500.12345/1",
        )
        brazil.collections.add(academy)
        make_version(brazil, "en")
        make_version(brazil, "fr", text="Le texte français.")
        make_publication(
            slug="formula",
            title='=HYPERLINK("http://evil.example","click")',
            title_fr="+cmd|' /C calc'!A0",
            subtitle_en="-2+3",
            summary_en="@SUM(1+1)",
            published=False,
            publication_date=datetime.date(2020, 1, 1),
            date_precision="year",
        )
        make_publication(
            slug="dated",
            title="'Tis the season: an exact date",
            publication_date=datetime.date(2021, 6, 15),
            date_precision="day",
        )
    return brazil


def export_text(queryset=None) -> str:
    stream = io.StringIO()
    csv_io.export_publications(queryset or Publication.objects.all(), stream)
    return stream.getvalue()


def upload(text: str | bytes, name="publications.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def csv_text(*rows: dict, columns=None) -> str:
    columns = columns or csv_io.COLUMNS
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return stream.getvalue()


def new_row(**fields):
    row = {
        "slug": "senegal",
        "status": "draft",
        "type": "country-case-study",
        "publication_date": "2019-03",
        "title_en": "Public policies for the SSE in Senegal",
    }
    row.update(fields)
    return row


# Export ------------------------------------------------------------------------------


def test_export_writes_every_column(library):
    rows = {row["slug"]: row for row in rows_of(export_text())}

    brazil = rows["brazil"]
    assert list(brazil) == csv_io.COLUMNS
    assert brazil["status"] == "published"
    assert brazil["type"] == "country-case-study"
    assert brazil["publication_date"] == "2016-11"
    assert brazil["title_fr"] == "Politiques publiques pour l’ESS au Brésil"
    assert brazil["authors"] == "Lima, Ana; International Labour Office"
    assert brazil["themes"] == "decent-work; gender-equality"
    assert brazil["countries"] == "BR; AR"
    assert brazil["regions"] == "americas"
    assert brazil["collections"] == "academy-2019"
    assert brazil["languages"] == "en; fr"
    assert rows["formula"]["publication_date"] == "2020"
    assert rows["dated"]["publication_date"] == "2021-06-15"


def test_export_neutralises_spreadsheet_formulas(library):
    formula = next(row for row in rows_of(export_text()) if row["slug"] == "formula")

    assert formula["title_en"] == '\'=HYPERLINK("http://evil.example","click")'
    assert formula["title_fr"] == "'+cmd|' /C calc'!A0"
    assert formula["subtitle_en"] == "'-2+3"
    assert formula["summary_en"] == "'@SUM(1+1)"


def test_cell_escaping_is_reversible():
    for value in ["=1+1", "'=x", "''=x", "'Tis", "-", "@", "plain", "", "'", "\t1"]:
        assert csv_io.unescape_cell(csv_io.escape_cell(value)) == value
        assert not csv_io.escape_cell(value).startswith(("=", "+", "-", "@"))


# Import: round trip, creation, update ------------------------------------------------


def test_reimporting_an_export_changes_nothing(library, curator):
    exported = export_text()
    before = {
        p.slug: (p.updated_at, p.title_fr, list(p.countries)) for p in Publication.objects.all()
    }

    report = csv_io.import_publications(upload(exported), dry_run=False, user=curator)

    assert not report.has_errors, report
    assert [row.action for row in report.rows] == ["unchanged"] * 3
    assert report.written
    after = {
        p.slug: (p.updated_at, p.title_fr, list(p.countries)) for p in Publication.objects.all()
    }
    assert after == before
    assert not LogEntry.objects.exists()


def test_admin_export_then_import_round_trip(staff_client, library):
    response = staff_client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    assert content.startswith("\ufeff".encode())

    response = staff_client.post(IMPORT, {"file": upload(content), "dry_run": ""})

    assert response.status_code == 200
    assert response.context["report"].counts == {"create": 0, "update": 0, "unchanged": 3}
    assert "0 created, 0 updated, 3 unchanged" in response.content.decode()


def test_export_follows_the_changelist_filters_and_the_action(staff_client, library):
    drafts = staff_client.get(EXPORT + "?status__exact=draft")
    assert [row["slug"] for row in rows_of(drafts.content.decode("utf-8-sig"))] == ["formula"]

    searched = staff_client.get(EXPORT + "?q=Brésil")
    assert [row["slug"] for row in rows_of(searched.content.decode("utf-8-sig"))] == ["brazil"]

    bad = staff_client.get(EXPORT + "?nonsense__field=1")
    assert bad.status_code == 302

    dated = Publication.objects.get(slug="dated")
    action = staff_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [dated.pk]}
    )
    assert action.status_code == 200
    assert [row["slug"] for row in rows_of(action.content.decode("utf-8-sig"))] == ["dated"]


def test_import_creates_and_updates_and_logs(library, curator):
    rows = rows_of(export_text())
    brazil = next(row for row in rows if row["slug"] == "brazil")
    brazil.update(
        title_it="Politiche pubbliche per l'ESS in Brasile",
        themes="gender-equality",
        authors="Lima, Ana; Souza, Paulo",
        status="draft",
    )
    created = new_row(
        authors="Ndiaye, Fatou; Senegal Ministry of Microfinance",
        themes="decent-work",
        countries="SN, sen",
        regions="africa",
        collections="academy-2019",
        publication_date="2019",
        status="published",
        publisher="",
    )

    report = csv_io.import_publications(
        upload(csv_text(brazil, created)), dry_run=False, user=curator
    )

    assert not report.has_errors, [row.errors for row in report.rows]
    assert report.counts == {"create": 1, "update": 1, "unchanged": 0}
    assert set(report.rows[0].changes) == {"status", "title_it", "authors", "themes"}

    updated = Publication.objects.get(slug="brazil")
    assert updated.title_it == "Politiche pubbliche per l'ESS in Brasile"
    assert updated.status == PublicationStatus.DRAFT
    assert [a.author.name for a in updated.authorships.order_by("order")] == [
        "Lima, Ana",
        "Souza, Paulo",
    ]
    assert [theme.slug for theme in updated.themes.all()] == ["gender-equality"]
    assert list(updated.countries) == ["BR", "AR"]

    senegal = Publication.objects.get(slug="senegal")
    assert senegal.status == PublicationStatus.PUBLISHED and senegal.published_at
    assert senegal.publication_date == datetime.date(2019, 1, 1)
    assert senegal.date_precision == "year"
    assert senegal.countries == ["SN"]
    assert senegal.regions == ["africa"]
    assert senegal.publisher == "International Labour Organization"
    assert [c.slug for c in senegal.collections.all()] == ["academy-2019"]
    assert Author.objects.get(name="Ndiaye, Fatou").kind == Author.Kind.PERSON
    assert (
        Author.objects.get(name="Senegal Ministry of Microfinance").kind
        == Author.Kind.ORGANISATION
    )

    addition = LogEntry.objects.get(object_id=str(senegal.pk))
    assert addition.action_flag == ADDITION and addition.user == curator
    assert "CSV import" in addition.change_message
    change = LogEntry.objects.get(object_id=str(updated.pk))
    assert change.action_flag == CHANGE
    assert "title_it" in change.change_message


def test_import_without_slug_makes_one_from_the_title(db, curator):
    make_type()

    report = csv_io.import_publications(
        upload(csv_text(new_row(slug=""))), dry_run=False, user=curator
    )

    assert not report.has_errors, report.rows[0].errors
    assert Publication.objects.get().slug == "public-policies-for-the-sse-in-senegal"


def test_semicolon_separated_files_are_read(db):
    make_type()
    text = "slug;type;publication_date;title_en\nsenegal;country-case-study;2019-03;Senegal\n"

    report = csv_io.import_publications(upload(text), dry_run=True)

    assert not report.has_errors, report
    assert report.rows[0].action == "create"


# Import: dry run and errors ----------------------------------------------------------


def test_dry_run_writes_nothing(library, curator):
    rows = rows_of(export_text())
    rows[0]["title_pt"] = "Um título novo"
    rows.append(new_row(authors="Brand, New"))

    report = csv_io.import_publications(upload(csv_text(*rows)), dry_run=True, user=curator)

    assert not report.has_errors
    assert report.counts == {"create": 1, "update": 1, "unchanged": 2}
    assert not report.written
    assert any("Brand, New" in note for row in report.rows for note in row.notes)
    assert not Publication.objects.filter(slug="senegal").exists()
    assert not Publication.objects.exclude(title_pt=None).exclude(title_pt="").exists()
    assert not Author.objects.filter(name="Brand, New").exists()
    assert not LogEntry.objects.exists()


def test_every_row_error_is_reported_and_nothing_is_written(library, curator):
    rows = [
        new_row(slug="good-one"),
        new_row(slug="bad-type", type="no-such-type"),
        new_row(slug="bad-date", publication_date="2019-13-45"),
        new_row(slug="bad-date-2", publication_date="March 2019"),
        new_row(slug="bad-theme", themes="decent-work; flying-cars"),
        new_row(slug="bad-country", countries="BR; XX; 12"),
        new_row(slug="no-title", title_en=""),
        new_row(slug="bad-status", status="archived"),
        new_row(slug="good-one", title_en="Second row with the same slug"),
        new_row(slug="bad url", handle_url="not a url"),
        new_row(slug="bad-region", regions="atlantis"),
        new_row(slug="bad-collection", collections="nope"),
        new_row(slug="twice", authors="Lima, Ana; Lima, Ana"),
        new_row(slug="many-errors", type="", publication_date="", title_en="", status="x"),
    ]

    report = csv_io.import_publications(upload(csv_text(*rows)), dry_run=False, user=curator)

    assert report.has_errors and not report.written
    errors = {row.slug: " | ".join(row.errors) for row in report.rows}
    assert report.rows[0].errors == [] and report.rows[0].action == "create"
    assert "Unknown publication type “no-such-type”" in errors["bad-type"]
    assert "Bad publication date “2019-13-45”" in errors["bad-date"]
    assert "Bad publication date “March 2019”" in errors["bad-date-2"]
    assert "Unknown theme “flying-cars”" in errors["bad-theme"]
    assert "“XX”" in errors["bad-country"] and "“12”" in errors["bad-country"]
    assert "English title" in errors["no-title"]
    assert "Unknown status “archived”" in errors["bad-status"]
    assert "already used on row 2" in " ".join(report.rows[8].errors)
    assert "slug:" in errors["bad url"] and "handle_url:" in errors["bad url"]
    assert "Unknown region “atlantis”" in errors["bad-region"]
    assert "Unknown collection “nope”" in errors["bad-collection"]
    assert "listed twice" in errors["twice"]
    assert len(report.rows[-1].errors) == 4
    assert report.rows_with_errors == 13
    assert not Publication.objects.filter(slug="good-one").exists()
    assert Publication.objects.count() == 3
    assert not LogEntry.objects.exists()


def test_rows_with_the_wrong_number_of_cells(db):
    make_type()
    text = (
        "slug,type,publication_date,title_en\n"
        "a,country-case-study,2019,A\n"
        "b,country-case-study,2019\n"
        "c,country-case-study,2019,C,extra\n"
    )

    report = csv_io.import_publications(upload(text), dry_run=True)

    assert [bool(row.errors) for row in report.rows] == [False, True, True]
    assert "3 cells; the header has 4" in report.rows[1].errors[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Título,otro\n".encode("latin-1"), "not UTF-8"),
        (b"slug,type\nx,y\n", "Required columns are missing: publication_date, title_en"),
        (
            b"slug,type,publication_date,title_en,colour\n",
            "Unknown columns: colour",
        ),
        (b"slug,slug,type,publication_date,title_en\n", "more than once: slug"),
        (b"", "empty"),
        (b"slug,type,publication_date,title_en\n", "no publications"),
        (b"%PDF-1.4\x00\x01\x02", "binary"),
    ],
    ids=[
        "latin-1",
        "missing-columns",
        "unknown-column",
        "duplicate-column",
        "empty",
        "header-only",
        "binary",
    ],
)
def test_hostile_files_are_refused_with_a_clear_message(db, content, message):
    report = csv_io.import_publications(upload(content), dry_run=True)

    assert report.file_errors and not report.rows
    assert message in " ".join(report.file_errors)


def test_too_large_file_is_refused(db, settings):
    settings.PUBLICATION_CSV_MAX_BYTES = 100

    report = csv_io.import_publications(upload(csv_text(new_row()) * 5), dry_run=True)

    assert "too large" in report.file_errors[0]


def test_formula_cells_are_stored_as_text(db, curator):
    make_type()
    row = new_row(title_en="'=cmd|' /C calc'!A0", subtitle_en="=1+1")

    report = csv_io.import_publications(upload(csv_text(row)), dry_run=False, user=curator)

    assert not report.has_errors
    publication = Publication.objects.get()
    assert publication.title_en == "=cmd|' /C calc'!A0"  # the export's quote comes off
    assert publication.subtitle_en == "=1+1"
    exported = rows_of(export_text())[0]
    assert exported["title_en"] == "'=cmd|' /C calc'!A0"
    assert exported["subtitle_en"] == "'=1+1"


# Import in the admin -----------------------------------------------------------------


def test_import_page_renders_with_dry_run_on(staff_client):
    response = staff_client.get(IMPORT)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="dry_run"' in html and "checked" in html
    assert "Import publications from CSV" in html


def test_admin_dry_run_shows_a_table_of_rows(staff_client, library):
    text = csv_text(new_row(), new_row(slug="oops", type="nope"))

    response = staff_client.post(IMPORT, {"file": upload(text), "dry_run": "on"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dry run: nothing was written" in html
    assert "Unknown publication type “nope”" in html
    assert "import-row-create" in html and "import-row-error" in html
    assert not Publication.objects.filter(slug="senegal").exists()


def test_admin_real_import_writes_and_reports_counts(staff_client, library, curator):
    response = staff_client.post(IMPORT, {"file": upload(csv_text(new_row())), "dry_run": ""})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Import done: 1 created, 0 updated, 0 unchanged." in html
    assert "import-row-create" in html
    publication = Publication.objects.get(slug="senegal")
    assert LogEntry.objects.get(object_id=str(publication.pk)).user == curator


def test_admin_real_import_with_errors_is_refused(staff_client, library):
    text = csv_text(new_row(), new_row(slug="oops", publication_date="soon"))

    response = staff_client.post(IMPORT, {"file": upload(text), "dry_run": ""})

    assert response.status_code == 400
    assert "nothing was written" in response.content.decode()
    assert not Publication.objects.filter(slug="senegal").exists()


@pytest.mark.parametrize(
    "content",
    [
        "slug,titre\n".encode("utf-16"),
        b"\xff\xfe\x00garbage",
        b"slug,type\n",
        b'slug,type,publication_date,title_en\n"unterminated,quote\n',
    ],
    ids=["utf-16", "garbage", "missing-columns", "bad-quoting"],
)
def test_admin_hostile_uploads_give_4xx_or_a_report_never_500(staff_client, content):
    response = staff_client.post(IMPORT, {"file": upload(content), "dry_run": ""})

    assert response.status_code in {200, 400}
    assert not Publication.objects.exists()
    assert response.context["report"].has_errors


def test_admin_import_without_a_file_is_a_400(staff_client):
    response = staff_client.post(IMPORT, {"dry_run": "on"})

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
