import datetime
import json

import pytest

from publications.models import Author, Authorship
from tests.publications.factories import make_publication, make_theme, make_version


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def build(db, django_capture_on_commit_callbacks):
    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def brazil(build):
    def create():
        publication = make_publication(
            slug="sse-brazil",
            title_fr="Politiques publiques pour l’ESS au Brésil",
            subtitle_en="A country case study",
            authors=["Lima, Ana Maria", "Souza, Jean-Pierre"],
            themes=[make_theme("decent-work")],
            isbn="978-92-2-131234-5",
            doi="https://doi.org/10.1234/ilo.2016.42",
            publication_date=datetime.date(2016, 11, 1),
            date_precision="month",
        )
        organisation = Author.objects.create(
            name="International Labour Organization", kind=Author.Kind.ORGANISATION
        )
        Authorship.objects.create(publication=publication, author=organisation, order=9)
        make_version(publication, "en", text="English text.")
        make_version(publication, "fr", text="Texte français.")
        return publication

    return build(create)


def export(client, slug, citation_format, language="en"):
    response = client.get(f"/{language}/library/{slug}/cite/{citation_format}/")
    assert response.status_code == 200
    return response


def test_bibtex_export(client, brazil):
    response = export(client, "sse-brazil", "bibtex")
    text = response.content.decode()

    assert response["Content-Type"].startswith("application/x-bibtex")
    assert response["Content-Disposition"] == 'attachment; filename="sse-brazil.bib"'
    assert text.startswith("@book{sse-brazil-2016,\n")
    assert text.rstrip().endswith("}")
    assert (
        "  author = {Lima, Ana Maria and Souza, Jean-Pierre and "
        "{International Labour Organization}},\n"
    ) in text
    assert "  title = {Public policies for the SSE in Brazil: A country case study},\n" in text
    assert "  year = {2016},\n" in text
    assert "  month = nov,\n" in text
    assert "  publisher = {International Labour Organization},\n" in text
    assert "  isbn = {978-92-2-131234-5},\n" in text
    assert "  doi = {10.1234/ilo.2016.42},\n" in text
    assert "  url = {http://testserver/en/library/sse-brazil/},\n" in text
    assert "  language = {en, fr}\n" in text


def test_bibtex_without_isbn_is_a_technical_report(client, build):
    build(make_publication, slug="report", title="Report", date_precision="year")

    text = export(client, "report", "bibtex").content.decode()

    assert text.startswith("@techreport{report-2016,\n")
    assert "  institution = {International Labour Organization},\n" in text
    assert "  type = {Country case study on public policy},\n" in text
    assert "month" not in text


def test_bibtex_escapes_hostile_titles(client, build):
    build(
        make_publication,
        slug="hostile",
        title='Evil} @misc{x, title={"quoted"} 100% & $5 #1 a_b ~ ^ \\',
    )

    text = export(client, "hostile", "bibtex").content.decode()

    title = next(line for line in text.splitlines() if line.startswith("  title = "))
    assert title == (
        r"  title = {Evil\} @misc\{x, title=\{" + '"quoted"' + r"\} 100\% \& \$5 \#1 a\_b "
        r"\textasciitilde{} \textasciicircum{} \textbackslash{}},"
    )
    # Every unescaped brace is balanced: nothing leaks out of the field.
    depth = 0
    for index, character in enumerate(text):
        if character in "{}" and text[index - 1] != "\\":
            depth += 1 if character == "{" else -1
            assert depth >= 0
    assert depth == 0


def test_ris_export(client, brazil):
    response = export(client, "sse-brazil", "ris")
    text = response.content.decode()
    lines = text.split("\r\n")

    assert response["Content-Type"].startswith("application/x-research-info-systems")
    assert response["Content-Disposition"] == 'attachment; filename="sse-brazil.ris"'
    assert lines[0] == "TY  - RPRT"
    assert lines[-2:] == ["ER  - ", ""]
    assert [line for line in lines if line.startswith("AU  - ")] == [
        "AU  - Lima, Ana Maria",
        "AU  - Souza, Jean-Pierre",
        "AU  - International Labour Organization",
    ]
    for expected in [
        "TI  - Public policies for the SSE in Brazil: A country case study",
        "PY  - 2016",
        "DA  - 2016/11",
        "PB  - International Labour Organization",
        "SN  - 978-92-2-131234-5",
        "DO  - 10.1234/ilo.2016.42",
        "UR  - http://testserver/en/library/sse-brazil/",
        "LA  - en",
        "LA  - fr",
        "KW  - Decent work",
    ]:
        assert expected in lines
    assert all(line[:2].isalnum() and line[2:6] == "  - " for line in lines[:-1])


def test_ris_keeps_multiline_summaries_on_one_line(client, build):
    build(make_publication, slug="lines", summary_en="One.\n\nTY  - JOUR\nTwo.")

    lines = export(client, "lines", "ris").content.decode().split("\r\n")

    assert "AB  - One. TY - JOUR Two." in lines
    assert [line for line in lines if line.startswith("TY")] == ["TY  - RPRT"]


def test_csl_json_export(client, brazil):
    response = export(client, "sse-brazil", "csl-json", language="fr")

    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    assert response["Content-Disposition"] == 'attachment; filename="sse-brazil.json"'
    items = json.loads(response.content)
    assert len(items) == 1
    item = items[0]
    assert item["type"] == "report"
    assert item["title"] == "Politiques publiques pour l’ESS au Brésil"
    assert item["author"] == [
        {"family": "Lima", "given": "Ana Maria"},
        {"family": "Souza", "given": "Jean-Pierre"},
        {"literal": "International Labour Organization"},
    ]
    assert item["issued"] == {"date-parts": [[2016, 11]]}
    assert item["publisher"] == "International Labour Organization"
    assert item["URL"] == "http://testserver/fr/library/sse-brazil/"
    assert item["DOI"] == "10.1234/ilo.2016.42"
    assert item["ISBN"] == "978-92-2-131234-5"
    assert item["language"] == "fr"


def test_csl_json_keeps_hostile_titles_intact(client, build):
    title = 'He said "</script>" {x} \\ done'
    build(make_publication, slug="hostile", title=title)

    item = json.loads(export(client, "hostile", "csl-json").content)[0]

    assert item["title"] == title


def test_unknown_format_is_not_found(client, brazil):
    assert client.get("/en/library/sse-brazil/cite/endnote/").status_code == 404
    assert client.get("/en/library/no-such-thing/cite/ris/").status_code == 404


def test_draft_citations_are_not_found_for_visitors(client, build, make_member):
    build(make_publication, slug="draft", published=False)

    assert client.get("/en/library/draft/cite/bibtex/").status_code == 404
    client.force_login(make_member("curator", is_staff=True))
    assert client.get("/en/library/draft/cite/bibtex/").status_code == 200


def test_export_costs_a_constant_number_of_queries(client, brazil, django_assert_num_queries):
    with django_assert_num_queries(4):  # publication, authorships, themes, versions
        export(client, "sse-brazil", "ris")
