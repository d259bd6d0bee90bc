"""The demo library of seed_demo: the ILO publications of the SSE page, with real PDFs."""

import copy
import datetime
import hashlib
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from collective_brain.search import multilingual_query
from publications.demo import load_content, seed_publications
from publications.models import (
    Author,
    Authorship,
    Collection,
    LanguageVersion,
    Publication,
    PublicationType,
    SearchTerm,
    Theme,
)

CASE, MULTI, SSTC = "country-case-study", "multi-country-study", "sstc-study"
FINANCE = "Financial Mechanisms for Innovative Social and Solidarity Economy Ecosystems"
# The "Publications" section of the seed page: title, month, series and languages.
SEED_PAGE = [
    ("Comparative analysis of seven countries: Brazil, Costa Rica, Nicaragua, the Philippines, South Africa, the Republic of Korea and Italy", "2017-10", CASE, {"en"}),
    ("Europe", "2016-11", CASE, {"en", "es"}),
    ("Brazil", "2016-11", CASE, {"es"}),
    ("Costa Rica", "2016-11", CASE, {"es"}),
    ("Nicaragua", "2016-08", CASE, {"es"}),
    ("Philippines", "2016-08", CASE, {"en", "es"}),
    ("South Africa", "2017-03", CASE, {"en"}),
    ("Republic of Korea", "2017-06", CASE, {"en"}),
    ("Tunisia", "2020-03", CASE, {"en", "fr"}),
    ("The contribution of SSE and social finance to the future of work", "2020-03", MULTI, {"en", "fr"}),
    (f"{FINANCE} - Executive Summary", "2019-11", MULTI, {"en", "fr", "es", "it"}),
    (f"{FINANCE} - Full Report", "2019-11", MULTI, {"en"}),
    ("Social and Solidarity Economy and the Future of Work", "2017-09", MULTI, {"en", "es", "it"}),
    ("Mapping the SSE Landscape in India and Brazil through South-South and Triangular Cooperation: Gender-Based Initiatives in Social and Solidarity Economy", "2016-07", SSTC, {"en"}),
    ("Social and Solidarity Economy in Asia: A South-South and triangular cooperation perspective", "2015-11", SSTC, {"en"}),
    ("Social and Solidarity Economy and South-South and Triangular Cooperation in Latin America and the Caribbean: Contributions to Inclusive Sustainable Development", "2014-12", SSTC, {"en", "es", "pt"}),
]  # fmt: skip
LANGUAGES = ["en", "fr", "es", "pt", "it"]
# Words that occur in one of the five languages only: enough to tell a text's language.
MARKERS = {
    "en": {"the", "and", "of", "which", "their", "is", "with"},
    "fr": {"les", "des", "et", "du", "dans", "leur", "aux", "est"},
    "es": {"los", "las", "y", "el", "sus", "también"},
    "pt": {"os", "dos", "das", "do", "ao", "não", "também", "nas", "nos", "são"},
    "it": {"il", "gli", "della", "delle", "dei", "degli", "nel", "nella", "che", "sono"},
}


def language_of(text: str) -> str:
    words = Counter(re.findall(r"\w+", text.lower()))
    scores = {code: sum(words[word] for word in markers) for code, markers in MARKERS.items()}
    return max(scores, key=scores.get)


def matches(text):
    return set(
        Publication.objects.filter(search_vector=multilingual_query(text)).values_list(
            "slug", flat=True
        )
    )


@pytest.fixture
def seeded(db):
    return seed_publications()


def test_every_publication_of_the_seed_page_with_its_date_type_and_languages(seeded):
    publications = {
        publication.title_en: publication
        for publication in Publication.objects.select_related("type").prefetch_related("versions")
    }
    assert set(publications) == {title for title, *_rest in SEED_PAGE}
    for title, month, series, languages in SEED_PAGE:
        publication = publications[title]
        assert publication.publication_date == datetime.date.fromisoformat(f"{month}-01")
        assert publication.date_precision == "month"
        assert publication.type.slug == series
        assert {version.language for version in publication.versions.all()} == languages
        assert publication.is_public
        assert publication.publisher == "International Labour Organization"
        assert [author.name for author in publication.authors.all()] == [
            "International Labour Organization"
        ]
        for language in LANGUAGES:
            assert getattr(publication, f"title_{language}")
            assert getattr(publication, f"summary_{language}")
        for language in ["fr", "es", "it"]:
            assert publication.summary_en != getattr(publication, f"summary_{language}")
    assert Author.objects.get().kind == Author.Kind.ORGANISATION


def test_countries_regions_and_collection(seeded):
    by_title = {publication.title_en: publication for publication in Publication.objects.all()}
    expected_countries = {
        "Brazil": ["BR"], "Costa Rica": ["CR"], "Nicaragua": ["NI"], "Philippines": ["PH"],
        "South Africa": ["ZA"], "Republic of Korea": ["KR"], "Tunisia": ["TN"],
    }  # fmt: skip
    for title, countries in expected_countries.items():
        assert by_title[title].countries == countries
    assert set(by_title[SEED_PAGE[0][0]].countries) == {"BR", "CR", "NI", "PH", "ZA", "KR", "IT"}
    assert set(by_title[SEED_PAGE[13][0]].countries) == {"IN", "BR"}
    assert by_title["Europe"].regions == ["europe-central-asia"]
    assert by_title[SEED_PAGE[14][0]].regions == ["asia-pacific"]
    assert by_title[SEED_PAGE[15][0]].regions == ["americas"]
    collection = Collection.objects.get(slug="public-policies-for-the-sse")
    assert {publication.type.slug for publication in collection.publications.all()} == {CASE}
    assert collection.publications.count() == 9
    assert collection.title_fr == "Politiques publiques pour l’ESS"
    summary, report = (
        by_title[f"{FINANCE} - {part}"] for part in ["Executive Summary", "Full Report"]
    )
    assert list(summary.related.all()) == [report]
    assert list(report.related.all()) == [summary]


def test_types_and_themes_are_translated(seeded):
    names = {row.slug: row for row in PublicationType.objects.all()}
    assert {row.name_en for row in names.values()} == {
        "Country case study on public policies for the SSE",
        "Multi-country study on the role of the SSE in the world of work",
        "Study on the SSE from a South-South and Triangular Cooperation (SSTC) perspective",
        "SSE Academy reader",
        "Report",
        "Toolkit",
    }
    for row in list(names.values()) + list(Theme.objects.all()):
        assert all(getattr(row, f"name_{language}") for language in LANGUAGES)
    assert names["report"].name_fr == "Rapport"
    sdgs = Theme.objects.filter(sdg_number__isnull=False).order_by("sdg_number")
    assert [theme.sdg_number for theme in sdgs] == list(range(1, 18))
    assert sdgs.get(sdg_number=8).name_en == "Decent work and economic growth"
    assert sdgs.get(sdg_number=8).name_es == "Trabajo decente y crecimiento económico"
    assert sdgs.get(sdg_number=17).name_it == "Partnership per gli obiettivi"
    curated = set(Theme.objects.filter(sdg_number__isnull=True).values_list("slug", flat=True))
    assert {"public-policy", "social-finance", "future-of-work", "gender-equality",
            "cooperatives", "south-south-cooperation", "decent-work"} <= curated  # fmt: skip
    assert all(publication.themes.exists() for publication in Publication.objects.all())


def test_each_version_is_a_real_pdf_whose_text_is_in_its_language(seeded):
    versions = list(LanguageVersion.objects.select_related("publication"))
    assert len(versions) == 27
    for version in versions:
        with version.file.open("rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF-")
        assert version.checksum == hashlib.sha256(data).hexdigest()
        assert version.size == len(data)
        assert len(PdfReader(io.BytesIO(data)).pages) == version.page_count >= 1
        assert version.file.name.endswith(f"-{version.language}.pdf")
        assert version.extraction_status == "done"
        assert len(version.text) > 1000
        assert language_of(version.text) == version.language, version
        assert version.publication.search_vector
    texts = [version.text for version in versions]
    assert len(set(texts)) == len(texts)
    assert len({version.checksum for version in versions}) == len(versions)


def test_every_paragraph_of_the_demo_is_written_once():
    paragraphs = [
        paragraph
        for row in load_content()["publications"]
        for version in row["versions"].values()
        for paragraph in version
    ]
    assert len(paragraphs) == len(set(paragraphs))
    for row in load_content()["publications"]:
        assert all(4 <= len(version) <= 6 for version in row["versions"].values())


def test_words_inside_the_pdfs_are_searchable(seeded):
    tunisia = "public-policies-sse-tunisia"
    tunisia_fr = LanguageVersion.objects.get(publication__slug=tunisia, language="fr")
    assert "gouvernorats" in tunisia_fr.text
    for field in ["title", "subtitle", "summary"]:
        values = Publication.objects.values_list(*[f"{field}_{code}" for code in LANGUAGES])
        assert not any("gouvernorat" in (value or "") for row in values for value in row)
    assert matches("gouvernorats") == {tunisia}
    assert matches("gouvernorat") == {tunisia}  # French stemming
    assert matches("Kudumbashree") == {"mapping-sse-india-brazil-gender"}
    assert matches("INFOCOOP") == {"public-policies-sse-costa-rica"}


def snapshot():
    return (
        list(
            Publication.objects.order_by("slug").values_list(
                "pk", "slug", "updated_at", "search_vector", "published_at"
            )
        ),
        list(
            LanguageVersion.objects.order_by("pk").values_list(
                "pk", "checksum", "file", "size", "text", "extracted_at"
            )
        ),
        list(PublicationType.objects.order_by("pk").values_list("pk", "slug", "name_pt")),
        list(Theme.objects.order_by("pk").values_list("pk", "slug", "name_fr", "sdg_number")),
        list(Collection.objects.order_by("pk").values_list("pk", "title_it")),
        list(Authorship.objects.order_by("pk").values_list("pk", "publication_id", "author_id")),
        list(Publication.themes.through.objects.order_by("pk").values_list("pk")),
        list(SearchTerm.objects.order_by("pk").values_list("pk", "word", "frequency")),
    )


def test_seeding_again_changes_nothing(seeded, django_capture_on_commit_callbacks):
    before = snapshot()
    files = {
        version.file.path: Path(version.file.path).stat().st_mtime_ns
        for version in LanguageVersion.objects.all()
    }

    with django_capture_on_commit_callbacks() as callbacks:
        seed_publications()

    assert snapshot() == before
    assert callbacks == []  # nothing saved, so nothing queued for the task worker
    assert {path: Path(path).stat().st_mtime_ns for path in files} == files


def test_changed_text_replaces_the_pdf_and_its_index(seeded):
    content = copy.deepcopy(load_content())
    row = next(
        row for row in content["publications"] if row["slug"] == "sse-and-the-future-of-work"
    )
    row["versions"]["it"][-1] += " Le mutue sanitarie integrative completano questo quadro."
    before = LanguageVersion.objects.get(publication__slug=row["slug"], language="it")
    others = dict(LanguageVersion.objects.exclude(pk=before.pk).values_list("pk", "extracted_at"))

    seed_publications(content)

    after = LanguageVersion.objects.get(pk=before.pk)
    try:
        assert after.checksum != before.checksum
        assert "mutue sanitarie" in after.text
        assert matches("sanitarie") == {row["slug"]}
        assert others == dict(
            LanguageVersion.objects.exclude(pk=before.pk).values_list("pk", "extracted_at")
        )
    finally:
        after.file.storage.delete(after.file.name)  # the test's own file, not the demo's


def test_a_missing_file_is_generated_again(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # files of its own: other runs may share var/test-media
    seed_publications()
    version = LanguageVersion.objects.get(publication__slug="public-policies-sse-brazil")
    assert Path(version.file.path).is_relative_to(tmp_path)
    Path(version.file.path).unlink()

    seed_publications()

    version.refresh_from_db()
    assert Path(version.file.path).is_file()
    assert hashlib.sha256(Path(version.file.path).read_bytes()).hexdigest() == version.checksum


def test_seed_demo_loads_the_library(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    output = io.StringIO()

    call_command("seed_demo", stdout=output)

    assert "16 publications" in output.getvalue()
    assert Publication.objects.published().count() == 16
    assert matches("coopératives") >= {"public-policies-sse-tunisia"}
