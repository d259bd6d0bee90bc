import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from collective_brain.views import SearchView
from tests.news.factories import make_event, make_news
from tests.publications.factories import make_publication, make_version


@pytest.fixture
def content(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        study = make_publication(slug="finance", title="Social finance and cooperatives")
        make_version(study, "fr", text="La finance solidaire soutient les coopératives locales.")
        make_publication(slug="secret", title="Secret cooperatives draft", published=False)
    make_news(slug="coop-news", title_en="Cooperatives gather online")
    make_news(slug="hidden", title_en="Hidden cooperatives news", published=False)
    make_event(slug="coop-webinar", title_en="Webinar on cooperatives")


def test_one_search_groups_results_by_section(client, content):
    response = client.get("/en/search/", {"q": "cooperatives"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Social finance and cooperatives" in html
    assert "Cooperatives gather online" in html
    assert "Webinar on cooperatives" in html
    assert "Secret cooperatives draft" not in html
    assert "Hidden cooperatives news" not in html
    counts = {group["title"]: group["count"] for group in response.context["groups"]}
    assert counts["Publications"] == 1 and counts["News"] == 1 and counts["Events"] == 1
    assert "/en/library/?q=cooperatives" in html


def test_one_search_finds_words_inside_french_pdfs_without_accents(client, content):
    response = client.get("/fr/search/", {"q": "cooperatives locales"})

    assert "Social finance and cooperatives" in response.content.decode()


@pytest.mark.parametrize("query", ['"', "-", "or", "a" * 500, "<script>alert(1)</script>", "%00"])
def test_hostile_queries_never_fail(client, content, query):
    response = client.get("/en/search/", {"q": query})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("language", ["en", "fr", "es", "pt", "it"])
def test_search_page_in_every_language(client, content, language):
    html = client.get(f"/{language}/search/", {"q": "cooperatives"}).content.decode()

    with translation.override(language):
        assert translation.gettext("Publications") in html


# ---------------------------------------------------------------------------------------
# Publications: the library's own search, through its narrow search documents


@pytest.fixture
def library(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_publication(slug="title-match", title="Microfinance for cooperatives")
        make_publication(
            slug="summary-match",
            title="Rural credit",
            summary_en="How microfinance reaches cooperatives.",
            publication_date=datetime.date(2020, 1, 1),
        )
        make_publication(
            slug="chile",
            title="Microfinance in Chile",
            publication_date=datetime.date(2021, 1, 1),
        )
        for number in range(9):
            make_publication(slug=f"other-{number}", title=f"Microfinance note {number}")
        make_publication(slug="draft", title="Microfinance draft", published=False)


SHOWN = SearchView.results_per_group


def library_slugs(client, query):
    response = client.get("/en/library/", {"q": query})
    return [item.slug for item in response.context["page_obj"].object_list], response.context[
        "search"
    ].count


def publications_group(client, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    return response.context["groups"][0]


@pytest.mark.parametrize(
    "query", ["microfinance", "microfinance cooperatives", '"rural credit"', "microfinance -chile"]
)
def test_publications_are_the_library_search_first_results(client, library, query):
    group = publications_group(client, query)
    slugs, count = library_slugs(client, query)

    assert [item.slug for item in group["results"]] == slugs[:SHOWN]
    assert group["count"] == count
    assert group["has_more"] == (count > SHOWN)
    assert "draft" not in [item.slug for item in group["results"]]


def test_publications_count_past_the_shown_ones(client, library):
    group = publications_group(client, "microfinance")

    assert len(group["results"]) == SHOWN
    assert group["count"] == 12 and group["has_more"]
    assert (
        "/en/library/?q=microfinance"
        in client.get("/en/search/", {"q": "microfinance"}).content.decode()
    )


def test_a_change_to_the_library_reaches_the_cached_publications(
    client, library, django_capture_on_commit_callbacks
):
    assert publications_group(client, "beekeeping")["count"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        make_publication(slug="bees", title="Beekeeping cooperatives")

    group = publications_group(client, "beekeeping")
    assert group["count"] == 1 and [item.slug for item in group["results"]] == ["bees"]


def test_publications_load_only_the_shown_rows(client, library):
    publications_group(client, "microfinance")  # warms the rest of the page
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        publications_group(client, "microfinance")
    publication_reads = [
        query["sql"]
        for query in queries.captured_queries
        if '"publications_publication"' in query["sql"]
    ]
    # Matching and ranking read search documents; one read of the shown publications.
    assert len(publication_reads) == 1
    assert "publications_searchdocument" not in publication_reads[0]
    assert all(
        '"publications_publication"."search_vector"' not in query["sql"]
        for query in queries.captured_queries
    )
