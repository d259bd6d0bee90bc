"""RSS and Atom feeds of the news, per language."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import Status
from tests.news.factories import LANGUAGES, days_from_now, make_news, make_tag

ATOM = "{http://www.w3.org/2005/Atom}"
TITLES = {
    "en": "Cooperatives meet in Turin",
    "fr": "Les coopératives se réunissent à Turin",
    "es": "Las cooperativas se reúnen en Turín",
    "pt": "As cooperativas reúnem-se em Turim",
    "it": "Le cooperative si riuniscono a Torino",
}


@pytest.fixture
def news(db, make_member):
    author = make_member("writer", display_name="Joana Silva")
    tag = make_tag("sse-academy", name_en="SSE Academy", name_fr="Académie ESS")
    make_news(
        slug="turin",
        tags=[tag],
        author=author,
        published_at=days_from_now(-1),
        **{f"title_{code}": title for code, title in TITLES.items()},
    )
    make_news(slug="older", title="An older item & <more>", published_at=days_from_now(-5))
    make_news(slug="draft", title="Secret draft news", published=False)
    make_news(
        slug="scheduled",
        title="Scheduled news for later",
        status=Status.PUBLISHED,
        published_at=days_from_now(1),
    )


def rss(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel")


@pytest.mark.parametrize("language", LANGUAGES)
def test_rss_in_each_language(client, news, language):
    channel = rss(client, f"/{language}/news/feed/")

    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == [TITLES[language], "An older item & <more>"]
    link = channel.findall("item")[0].findtext("link")
    assert link == f"http://testserver/{language}/news/turin/"
    assert channel.findtext("language") == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_atom_in_each_language(client, news, language):
    response = client.get(f"/{language}/news/feed/atom/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        TITLES[language],
        "An older item & <more>",
    ]
    assert entries[0].find(f"{ATOM}author").findtext(f"{ATOM}name") == "Joana Silva"
    categories = [category.get("term") for category in entries[0].findall(f"{ATOM}category")]
    assert categories == (["Académie ESS"] if language == "fr" else ["SSE Academy"])


def test_feeds_leave_out_drafts_and_scheduled_items(client, news):
    for url in ["/en/news/feed/", "/en/news/feed/atom/"]:
        body = client.get(url).content.decode()
        assert "Secret draft news" not in body
        assert "Scheduled news for later" not in body


def test_feed_of_one_tag(client, news):
    channel = rss(client, "/en/news/feed/?tag=sse-academy")

    assert [item.findtext("title") for item in channel.findall("item")] == [TITLES["en"]]
    assert "SSE Academy" in channel.findtext("title")


@pytest.mark.parametrize("query", ["?tag=nope", "?tag=%00", "?tag=" + "y" * 3000])
def test_unknown_tag_is_not_found(client, news, query):
    assert client.get(f"/en/news/feed/{query}").status_code == 404


def test_feed_query_count_does_not_grow(client, news):
    with CaptureQueriesContext(connection) as few:
        client.get("/en/news/feed/")
    tag = make_tag("more")
    for number in range(20):
        make_news(slug=f"more-{number}", tags=[tag])
    with CaptureQueriesContext(connection) as many:
        client.get("/en/news/feed/atom/")

    assert len(few) == len(many)
