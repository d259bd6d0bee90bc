import datetime
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from academies.models import Edition
from pages.models import Page
from publications.models import Publication, PublicationStatus
from tests.publications.factories import make_publication

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def fetch(client):
    """Every <url> of every section listed by the /sitemap.xml index."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    root = ET.fromstring(index.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    urls = {}
    for location in root.findall(f"{SITEMAP}sitemap/{SITEMAP}loc"):
        response = client.get(location.text.removeprefix("http://testserver"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/xml")
        section = ET.fromstring(response.content)
        assert section.tag == f"{SITEMAP}urlset"
        urls.update(
            (url.findtext(f"{SITEMAP}loc"), url) for url in section.findall(f"{SITEMAP}url")
        )
    return urls


def alternates(url):
    return {
        link.get("hreflang"): link.get("href")
        for link in url.findall(f"{XHTML}link")
        if link.get("rel") == "alternate"
    }


@pytest.fixture
def site(db):
    Page.objects.create(slug="ilo-and-sse", title_en="The ILO and the SSE", body_en="Text")
    Page.objects.create(slug="hidden", title_en="Hidden", body_en="Text", is_published=False)
    Edition.objects.create(number=1, slug="1-turin", city_en="Turin", country="IT", year=2010)
    make_publication(slug="brazil")
    make_publication(slug="draft", published=False)
    make_publication(
        slug="scheduled",
        status=PublicationStatus.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(days=1),
    )


def test_every_public_page_in_every_language(client, site):
    urls = fetch(client)

    for path in ["", "about/", "academy/", "library/", "forum/", "news/", "about/ilo-and-sse/",
                 "academy/1-turin/", "library/brazil/"]:  # fmt: skip
        for language in LANGUAGES:
            assert f"http://testserver/{language}/{path}" in urls, (language, path)
    assert len(urls) == 9 * len(LANGUAGES)


def test_each_url_lists_its_hreflang_alternates(client, site):
    urls = fetch(client)

    for language in LANGUAGES:
        links = alternates(urls[f"http://testserver/{language}/about/ilo-and-sse/"])
        assert links == {
            **{code: f"http://testserver/{code}/about/ilo-and-sse/" for code in LANGUAGES},
            # As in the pages' own <link rel="alternate">: the unprefixed URL only redirects.
            "x-default": "http://testserver/en/about/ilo-and-sse/",
        }


def test_nothing_private(client, site):
    body = client.get("/sitemap.xml").content.decode()

    for private in ["/about/hidden/", "/library/draft/", "/library/scheduled/", "/accounts/",
                    "/admin/"]:  # fmt: skip
        assert private not in body


def test_lastmod_of_pages_and_publications(client, site):
    Publication.objects.filter(slug="brazil").update(
        updated_at=datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)
    )

    urls = fetch(client)

    assert urls["http://testserver/fr/library/brazil/"].findtext(f"{SITEMAP}lastmod") == (
        "2024-05-06"
    )
    assert urls["http://testserver/es/about/ilo-and-sse/"].findtext(f"{SITEMAP}lastmod")
    assert urls["http://testserver/it/academy/1-turin/"].find(f"{SITEMAP}lastmod") is None


def test_sitemap_queries_do_not_grow_with_content(client, db):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            fetch(client)
        return len(captured)

    for number in range(2):
        make_publication(slug=f"few-{number}")
    few = queries()
    for number in range(20):
        make_publication(slug=f"many-{number}")
        Page.objects.create(slug=f"page-{number}", title_en="Page", body_en="Text")

    assert queries() == few
    assert len(fetch(client)) == (6 + 22 + 20) * len(LANGUAGES)


def test_news_and_events_are_in_the_sitemap_unless_drafts(client, site):
    from tests.news.factories import make_event, make_news

    make_news(slug="visible-news")
    make_news(slug="draft-news", published=False)
    make_event(slug="webinar")

    urls = fetch(client)

    assert "http://testserver/fr/news/visible-news/" in urls
    assert "http://testserver/it/news/events/webinar/" in urls
    assert not any("draft-news" in url for url in urls)
