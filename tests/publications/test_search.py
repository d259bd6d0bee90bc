"""The library search page: query syntax, languages, ranking, facets, snippets, URLs."""

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from publications.filters import compile_web_query, parse_web_query
from publications.models import LanguageVersion, PublicationStatus
from publications.services import search_terms_refresh
from tests.publications.factories import (
    make_publication,
    make_theme,
    make_type,
    make_version,
)

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def library_url(language="en"):
    with translation.override(language):
        return reverse("publications:index")


def search(client, lang="en", **params):
    response = client.get(library_url(lang), params)
    assert response.status_code == 200
    return response


def slugs(response):
    return [publication.slug for publication in response.context["page_obj"].object_list]


def facet(response, name):
    facets = {facet.name: facet for facet in response.context["search"].facets}
    return {option.value: option.count for option in facets[name].options}


def link_version(publication, language):
    """A language version without a PDF (an external link): no extraction to wait for."""
    return LanguageVersion.objects.create(
        publication=publication, language=language, external_url="https://example.org/doc.pdf"
    )


@pytest.fixture
def build(db, django_capture_on_commit_callbacks):
    """Run creations with their on-commit indexing and text extraction, then the terms."""

    def run(function):
        with django_capture_on_commit_callbacks(execute=True):
            result = function()
        search_terms_refresh()
        return result

    return run


# ---------------------------------------------------------------------------------------
# Query syntax and languages


def test_query_parser_follows_web_search_syntax():
    groups = parse_web_query('"social economy" -report or Brazil -"case study" or or -')

    assert [[(t.text, t.phrase, t.negated) for t in group] for group in groups] == [
        [("social economy", True, False), ("report", False, True)],
        [("Brazil", False, False), ("case study", True, True)],
    ]
    assert parse_web_query("-only -exclusions") == []
    assert parse_web_query('- " & |') == []


@pytest.mark.django_db
def test_compiled_query_excludes_every_stem_of_an_excluded_word():
    compiled = compile_web_query("cooperatives -territories")

    assert "'cooperatives'" in compiled and "'cooper'" in compiled
    excluded = compiled.split("!")[1]
    assert "'territories'" in excluded and "'territori'" in excluded and "'territor'" in excluded
    assert compile_web_query('"-"') is None
    assert compile_web_query("") is None


def test_french_word_inside_a_french_pdf_is_found_with_a_snippet(client, build):
    def create():
        publication = make_publication(
            slug="senegal", title="Public policies in Senegal", summary_en="A policy review."
        )
        make_version(
            publication, "fr", text="Les coopératives sociales transforment les territoires."
        )
        make_publication(slug="other", title="Other study", summary_en="Nothing related.")

    build(create)
    response = search(client, "fr", q="territoire")

    assert slugs(response) == ["senegal"]
    html = response.content.decode()
    assert "<mark>territoires</mark>" in html
    with translation.override("fr"):
        assert translation.gettext("French") in html


def test_a_match_in_another_language_shows_that_passage(client, build):
    def create():
        make_publication(
            slug="fr",
            title="Annual report",
            summary_en="A yearly overview.",
            summary_fr="Les coopératives sociales au Sénégal.",
        )

    build(create)
    response = search(client, q="cooperatives")

    assert slugs(response) == ["fr"]
    html = response.content.decode()
    assert "In the French version:" in html
    assert "<mark>coopératives</mark>" in html


def test_accents_are_optional(client, build):
    build(lambda: make_publication(slug="fr", title_fr="Les coopératives au Sénégal"))

    assert slugs(search(client, "fr", q="cooperatives senegal")) == ["fr"]
    assert slugs(search(client, "en", q="COOPÉRATIVES")) == ["fr"]


def test_exact_phrase_and_plain_words(client, build):
    def create():
        make_publication(slug="sse", title="Social and solidarity economy in Brazil")
        make_publication(
            slug="reversed",
            title="Solidarity and social economy in Peru",
            summary_en="A different order of words.",
        )

    build(create)

    assert slugs(search(client, q='"social and solidarity economy"')) == ["sse"]
    assert set(slugs(search(client, q="social and solidarity economy"))) == {"sse", "reversed"}


def test_excluded_word_is_excluded_in_every_language(client, build):
    def create():
        make_publication(slug="territories", title="Cooperatives and territories")
        make_publication(slug="cities", title="Cooperatives in cities")

    build(create)

    assert slugs(search(client, q="cooperatives -territories")) == ["cities"]
    assert slugs(search(client, q="cooperatives -territory")) == ["cities"]


def test_or_finds_either_word(client, build):
    def create():
        make_publication(slug="brazil", title="Cooperatives in Brazil", summary_en="")
        make_publication(slug="senegal", title="Cooperatives in Senegal", summary_en="")
        make_publication(slug="peru", title="Cooperatives in Peru", summary_en="")

    build(create)

    assert set(slugs(search(client, q="Brazil or Senegal"))) == {"brazil", "senegal"}
    assert slugs(search(client, q="Brazil Senegal")) == []


def test_names_and_acronyms_match_exactly(client, build):
    def create():
        make_publication(slug="task-force", title="The UNTFSSE position paper", summary_en="")
        make_publication(slug="lima", title="Another paper", summary_en="", authors=["Lima, Ana"])
        make_publication(slug="limas", title="Limassol notes", summary_en="")

    build(create)

    assert slugs(search(client, q="UNTFSSE")) == ["task-force"]
    assert slugs(search(client, q="untfsse")) == ["task-force"]
    assert slugs(search(client, q="UNTF")) == []
    response = search(client, q="Lima")
    assert slugs(response) == ["lima"]
    assert "<mark>Lima</mark>, Ana" in response.content.decode()


def test_title_match_ranks_before_summary_metadata_and_full_text(client, build):
    def create():
        text_only = make_publication(
            slug="text",
            title="A long report",
            summary_en="Nothing to see.",
            publication_date=datetime.date(2024, 1, 1),
        )
        make_version(text_only, "en", text="Microfinance. " * 30)
        make_publication(
            slug="summary",
            title="Another report",
            summary_en="This report looks at microfinance.",
            publication_date=datetime.date(2023, 1, 1),
        )
        make_publication(
            slug="theme",
            title="Third report",
            summary_en="Nothing here.",
            themes=[make_theme("microfinance", name_en="Microfinance")],
            publication_date=datetime.date(2022, 1, 1),
        )
        make_publication(
            slug="title",
            title="Microfinance in West Africa",
            summary_en="Nothing here.",
            publication_date=datetime.date(2010, 1, 1),
        )

    build(create)

    response = search(client, q="microfinance")
    assert slugs(response) == ["title", "summary", "theme", "text"]
    assert response.context["search"].sort == "relevance"
    assert slugs(search(client, q="microfinance", sort="newest")) == [
        "text",
        "summary",
        "theme",
        "title",
    ]


# ---------------------------------------------------------------------------------------
# Visibility, facets and filters


def test_unpublished_items_never_appear_nor_count(client, build):
    def create():
        theme = make_theme("finance")
        make_publication(slug="public", title="Cooperative finance", themes=[theme])
        draft = make_publication(
            slug="draft", title="Cooperative finance draft", published=False, themes=[theme]
        )
        link_version(draft, "fr")
        make_publication(
            slug="scheduled",
            title="Cooperative finance scheduled",
            status=PublicationStatus.PUBLISHED,
            published_at=timezone.now() + datetime.timedelta(days=3),
            countries=["BR"],
        )

    build(create)

    for params in ({}, {"q": "cooperative finance"}):
        response = search(client, **params)
        assert slugs(response) == ["public"]
        assert response.context["search"].count == 1
        assert facet(response, "type") == {"country-case-study": 1}
        assert facet(response, "theme") == {"finance": 1}
        assert facet(response, "language") == {}
        assert facet(response, "country") == {}
        assert "draft" not in response.content.decode()


@pytest.fixture
def catalogue(build):
    def create():
        study = make_type("country-case-study")
        brief = make_type("policy-brief", name_en="Policy brief", name_fr="Note d’orientation")
        work = make_theme("decent-work", name_en="Decent work", name_fr="Travail décent")
        finance = make_theme("finance", name_en="Finance")
        rows = [
            ("br-2016", study, ["BR"], [work], ["en", "pt"], 2016, "Cooperatives in Brazil"),
            ("sn-2016", brief, ["SN"], [finance], ["fr"], 2016, "Cooperatives in Senegal"),
            ("br-2019", brief, ["BR", "AR"], [work, finance], ["en"], 2019, "Finance in Brazil"),
            ("pe-2008", study, ["PE"], [], ["es"], 2008, "Cooperatives in Peru"),
        ]
        for slug, kind, countries, themes, languages, year, title in rows:
            publication = make_publication(
                slug=slug,
                title=title,
                summary_en="",
                type=kind,
                countries=countries,
                themes=themes,
                publication_date=datetime.date(year, 6, 1),
            )
            for language in languages:
                link_version(publication, language)

    build(create)


def test_facet_counts_reflect_the_query_and_the_other_filters(client, catalogue):
    response = search(client)
    assert facet(response, "type") == {"country-case-study": 2, "policy-brief": 2}
    assert facet(response, "country") == {"BR": 2, "SN": 1, "AR": 1, "PE": 1}
    assert facet(response, "language") == {"en": 2, "pt": 1, "fr": 1, "es": 1}
    assert facet(response, "theme") == {"decent-work": 2, "finance": 2}
    assert facet(response, "decade") == {"2010": 3, "2000": 1}
    assert facet(response, "year") == {"2019": 1, "2016": 2, "2008": 1}

    response = search(client, q="cooperatives")
    assert response.context["search"].count == 3
    assert facet(response, "type") == {"country-case-study": 2, "policy-brief": 1}
    assert facet(response, "country") == {"BR": 1, "SN": 1, "PE": 1}

    # Years are listed within the chosen decade; decades stay open to a change.
    response = search(client, decade="2010")
    assert facet(response, "year") == {"2019": 1, "2016": 2}
    assert facet(response, "decade") == {"2010": 3, "2000": 1}

    # Disjunctive: a facet ignores its own selection, so the visitor can widen it.
    response = search(client, q="cooperatives", type="policy-brief")
    assert slugs(response) == ["sn-2016"]
    assert facet(response, "type") == {"country-case-study": 2, "policy-brief": 1}
    assert facet(response, "country") == {"SN": 1}
    assert facet(response, "language") == {"fr": 1}


def test_filters_combine(client, catalogue):
    assert set(slugs(search(client, country="BR"))) == {"br-2016", "br-2019"}
    assert set(slugs(search(client, country=["BR", "SN"]))) == {"br-2016", "br-2019", "sn-2016"}
    assert slugs(search(client, country="BR", type="policy-brief")) == ["br-2019"]
    assert slugs(search(client, language="pt")) == ["br-2016"]
    assert set(slugs(search(client, language=["en", "fr"]))) == {"br-2016", "br-2019", "sn-2016"}
    assert slugs(search(client, theme="finance", year="2016")) == ["sn-2016"]
    assert slugs(search(client, decade="2000")) == ["pe-2008"]
    assert slugs(search(client, q="brazil", theme="decent-work", language="en")) == [
        "br-2019",
        "br-2016",
    ]


def test_selected_values_are_shown_even_without_results(client, catalogue):
    response = search(client, country=["PE", "SN"], type="policy-brief")

    assert slugs(response) == ["sn-2016"]
    assert facet(response, "country") == {"SN": 1, "BR": 1, "AR": 1, "PE": 0}
    html = response.content.decode()
    assert 'value="PE" id="facet-country-pe" form="library-search" checked' in html


def test_selected_filters_are_removable_chips(client, catalogue):
    response = search(client, q="cooperatives", country=["BR", "SN"], theme="finance")

    chips = {chip["label"]: chip["url"] for chip in response.context["chips"]}
    assert set(chips) == {"Brazil", "Senegal", "Finance"}
    assert chips["Brazil"] == "?q=cooperatives&country=SN&theme=finance"
    assert chips["Finance"] == "?q=cooperatives&country=BR&country=SN"
    assert response.context["clear_url"] == "?q=cooperatives"
    assert 'href="?q=cooperatives&amp;country=SN&amp;theme=finance"' in response.content.decode()


def test_facet_labels_are_translated(client, catalogue):
    html = search(client, "fr").content.decode()

    assert "Note d’orientation" in html
    assert "Travail décent" in html
    assert "Brésil" in html
    with translation.override("fr"):
        assert translation.gettext("Portuguese") in html


def test_sorting(client, catalogue):
    assert slugs(search(client)) == ["br-2019", "br-2016", "sn-2016", "pe-2008"]
    assert slugs(search(client, sort="oldest")) == ["pe-2008", "br-2016", "sn-2016", "br-2019"]
    assert slugs(search(client, sort="title")) == ["br-2016", "pe-2008", "sn-2016", "br-2019"]
    # Relevance needs a query: without one, the newest come first.
    response = search(client, sort="relevance")
    assert slugs(response) == ["br-2019", "br-2016", "sn-2016", "pe-2008"]
    assert "relevance" not in [value for value, _label in response.context["search"].sort_choices]


def test_pagination_preserves_every_parameter(client, build):
    def create():
        for number in range(25):
            make_publication(
                slug=f"coop-{number:02}",
                title=f"Cooperatives report {number}",
                countries=["BR"],
                publication_date=datetime.date(2000 + number, 1, 1),
            )
        make_publication(slug="other", title="Unrelated", countries=["BR"])

    build(create)

    response = search(client, q="cooperatives", country="BR", sort="oldest")
    assert response.context["search"].count == 25
    assert len(slugs(response)) == 20
    html = response.content.decode()
    assert 'href="?q=cooperatives&amp;country=BR&amp;sort=oldest&amp;page=2" rel="next"' in html

    response = search(client, q="cooperatives", country="BR", sort="oldest", page="2")
    assert slugs(response) == [f"coop-{number:02}" for number in range(20, 25)]
    html = response.content.decode()
    assert 'href="?q=cooperatives&amp;country=BR&amp;sort=oldest" rel="prev"' in html
    assert '<ol class="library-results-list" start="21">' in html


def test_did_you_mean_suggests_words_of_the_library(client, build):
    build(
        lambda: make_publication(slug="coops", title="Cooperatives in Senegal", countries=["SN"])
    )

    response = search(client, q="cooperatvies senegal", country="SN")
    assert slugs(response) == []
    assert response.context["search"].suggestion == "cooperatives senegal"
    assert "Did you mean:" in response.content.decode()
    assert 'href="?q=cooperatives+senegal&amp;country=SN"' in response.content.decode()

    # A spelling that finds nothing under the same filters is not suggested.
    assert search(client, q="cooperatvies", country="BR").context["search"].suggestion is None
    assert search(client, q="zzzzqqqq").context["search"].suggestion is None


def test_snippets_highlight_and_escape_html(client, build):
    def create():
        make_publication(
            slug="xss",
            title="Cooperatives <b>bold</b> & co",
            summary_en='Cooperatives <script>alert("x")</script> 1 < 2 & more.',
        )

    build(create)

    html = search(client, q="cooperatives").content.decode()
    assert "<script>alert" not in html
    assert "<b>bold</b>" not in html
    assert "<mark>Cooperatives</mark>" in html
    assert "1 &lt; 2 &amp; more" in html

    html = search(client).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "Cooperatives &lt;b&gt;bold&lt;/b&gt; &amp; co" in html


@pytest.mark.parametrize(
    "params",
    [
        {"page": "-1"},
        {"page": "abc"},
        {"page": "0"},
        {"page": "99999999999999999999999999"},
        {"type": "nope"},
        {"type": "\x00"},
        {"type": "x" * 500},
        {"theme": "<script>"},
        {"year": "abcd"},
        {"year": "99999"},
        {"year": "-5"},
        {"decade": "1995"},
        {"decade": "9990"},
        {"year": "9999"},
        {"country": "XX"},
        {"language": "zz"},
        {"sort": "; DROP TABLE"},
        {"q": "cooperatives " * 400},
        {"q": "-"},
        {"q": '"'},
        {"q": '"unterminated phrase'},
        {"q": "\x00"},
        {"q": "&|!():*<->'\\"},
        {"q": "or"},
        {"q": "-or or - or"},
        {"q": "-cooperatives"},
    ],
)
def test_hostile_parameters_never_fail(client, build, params):
    build(lambda: make_publication(slug="coops", title="Cooperatives in Senegal"))

    response = client.get(library_url(), params)

    assert response.status_code == 200
    assert "<h1>Library</h1>" in response.content.decode()


def test_invalid_filters_are_reported_and_ignored(client, catalogue):
    response = search(client, type=["nope", "policy-brief"], year="abcd", country="BR")

    assert set(slugs(response)) == {"br-2016", "br-2019"}
    html = response.content.decode()
    assert "Some filters could not be used and were ignored" in html
    assert "Enter a year, such as 2016." in html


def test_query_without_a_word_to_look_for_shows_the_library(client, build):
    build(lambda: make_publication(slug="coops", title="Cooperatives in Senegal"))

    for text in ("-cooperatives", '"', "the"):
        response = search(client, q=text)
        assert slugs(response) == ["coops"]
        assert "Your search has no word to look for" in response.content.decode()


def test_very_long_query_is_cut(client, build):
    build(lambda: make_publication(slug="coops", title="Cooperatives in Senegal"))

    response = search(client, q="senegal " + "x" * 500)
    assert len(response.context["search"].query) == 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_renders_in_every_language(client, catalogue, language):
    for params in ({}, {"q": "cooperatives", "country": "BR"}, {"q": "nothingatall"}):
        response = search(client, language, **params)
        html = response.content.decode()
        assert f'<html lang="{language}"' in html
        assert 'type="application/rss+xml"' in html
        with translation.override(language):
            assert translation.gettext("Apply filters") in html


def test_empty_library_and_empty_results(client, db):
    assert "No publications have been published yet." in search(client).content.decode()
    html = search(client, q="nothing").content.decode()
    assert "No publications match your search." in html
    assert "0 publications" in html


# ---------------------------------------------------------------------------------------
# Queries: a fixed number, whatever the size of the library or the page


def _queries(client, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(library_url(), params)
    assert response.status_code == 200
    return len(captured), response


def _add_publications(count, start=0):
    study = make_type()
    theme = make_theme("decent-work")
    for number in range(start, start + count):
        publication = make_publication(
            slug=f"coop-{number}",
            title=f"Cooperatives study {number}",
            type=study,
            themes=[theme, make_theme(f"theme-{number % 4}")],
            countries=["BR", "SN"][: number % 2 + 1],
            authors=[f"Author {number}", "Lima, Ana"],
            publication_date=datetime.date(1990 + number, 1, 1),
        )
        link_version(publication, "en")
        link_version(publication, ["fr", "es", "pt"][number % 3])


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "cooperatives"},
        {"q": "cooperatives", "type": "country-case-study", "theme": "decent-work"},
        {"q": "cooperatives", "country": "BR", "language": "en", "sort": "title", "page": "2"},
        {"decade": "1990", "year": "1991", "sort": "oldest"},
    ],
)
def test_number_of_queries_does_not_grow_with_the_library(client, build, params):
    build(lambda: _add_publications(3))
    few, response = _queries(client, params)

    build(lambda: _add_publications(40, start=3))
    many, response = _queries(client, params)
    assert len(slugs(response)) >= 1

    assert many == few
    assert many <= 9


def test_search_uses_the_stored_vector_and_ranks_one_page(client, build):
    build(lambda: _add_publications(3))

    with CaptureQueriesContext(connection) as captured:
        search(client, q="cooperatives")
    sql = "\n".join(query["sql"] for query in captured.captured_queries)
    assert '"publications_searchdocument"."vector" @@' in sql
    assert '"publications_publication"."search_vector"' not in sql
    assert len(re.findall(r"ts_headline", sql)) >= 2
    assert re.search(r"ts_rank\(.*LIMIT 3", sql)
