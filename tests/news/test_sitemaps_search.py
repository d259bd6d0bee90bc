"""The sitemap sections and the search functions the site-wide pieces call."""

import pytest
from django.contrib.sitemaps.views import sitemap
from django.test import RequestFactory
from django.utils import translation

from news.models import Status
from news.search import search_events, search_news
from news.sitemaps import EventSitemap, NewsSitemap
from tests.news.factories import LANGUAGES, days_from_now, make_event, make_news


@pytest.fixture
def content(db):
    make_news(
        slug="cooperatives-news",
        title="Cooperatives in the world of work",
        title_fr="Les coopératives dans le monde du travail",
        summary_en="Solidarity finance matters.",
        body_en="A body about mutual benefit societies.",
    )
    make_news(slug="draft-news", title="Cooperatives draft", published=False)
    make_news(
        slug="scheduled-news",
        title="Cooperatives scheduled",
        status=Status.PUBLISHED,
        published_at=days_from_now(3),
    )
    make_event(
        slug="cooperatives-webinar",
        title="Webinar on cooperatives",
        title_es="Seminario web sobre cooperativas",
        place_en="Geneva",
        description_en="With practitioners from Senegal.",
    )
    make_event(slug="past-event", title="Past meeting", starts_in_days=-40)
    make_event(slug="draft-event", title="Cooperatives draft event", published=False)


def locations(sitemap_class):
    return [url["location"] for url in sitemap_class().get_urls(protocol="https", site=Site())]


class Site:
    domain = "example.org"
    name = "example.org"


def test_news_sitemap_lists_only_published_items_in_every_language(content):
    urls = locations(NewsSitemap)

    assert sorted(urls) == sorted(
        f"https://example.org/{language}/news/cooperatives-news/" for language in LANGUAGES
    )


def test_news_sitemap_alternates_and_x_default(content):
    (first, *_rest) = NewsSitemap().get_urls(protocol="https", site=Site())

    alternates = {alt["lang_code"]: alt["location"] for alt in first["alternates"]}
    assert set(alternates) == {*LANGUAGES, "x-default"}
    assert alternates["x-default"] == "https://example.org/en/news/cooperatives-news/"
    assert first["lastmod"] is not None


def test_event_sitemap_lists_published_events_upcoming_and_past(content):
    urls = locations(EventSitemap)

    assert len(urls) == 2 * len(LANGUAGES)
    assert "https://example.org/it/news/events/cooperatives-webinar/" in urls
    assert "https://example.org/it/news/events/past-event/" in urls
    assert not any("draft" in url for url in urls)


def test_sections_render_as_sitemap_xml(content):
    request = RequestFactory().get("/sitemap-news.xml")
    response = sitemap(request, sitemaps={"news": NewsSitemap, "events": EventSitemap})
    response.render()
    body = response.content.decode()

    assert 'hreflang="fr"' in body
    assert "cooperatives-news" in body
    assert "draft" not in body
    assert "scheduled" not in body


def test_search_news_ranks_published_items_only(content):
    with translation.override("en"):
        results = list(search_news("cooperatives"))
        assert [item.slug for item in results] == ["cooperatives-news"]
        assert [item.slug for item in search_news("mutual benefit")] == ["cooperatives-news"]
    with translation.override("fr"):
        assert [item.slug for item in search_news("coopérative")] == ["cooperatives-news"]


def test_search_news_ranks_titles_above_bodies(db):
    make_news(slug="in-body", title="Another title", body_en="About cooperatives.")
    make_news(slug="in-title", title="Cooperatives first", body_en="Nothing.")

    with translation.override("en"):
        assert [item.slug for item in search_news("cooperatives")] == ["in-title", "in-body"]


def test_search_events_finds_published_events_only(content):
    with translation.override("en"):
        assert [event.slug for event in search_events("cooperatives")] == ["cooperatives-webinar"]
        assert [event.slug for event in search_events("Senegal")] == ["cooperatives-webinar"]
    with translation.override("es"):
        assert [event.slug for event in search_events("cooperativas")] == ["cooperatives-webinar"]


@pytest.mark.parametrize("text", ["", "   ", None, "\x00", '"', "-", "a & b | !c", "x" * 5000])
def test_search_functions_survive_odd_queries(content, text):
    with translation.override("en"):
        list(search_news(text))
        list(search_events(text))
