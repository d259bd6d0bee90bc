import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from publications.models import PublicationStatus
from tests.publications.factories import make_publication, make_theme, make_type, make_version

ATOM = "{http://www.w3.org/2005/Atom}"


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def rss(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel")


def rss_titles(channel):
    return [item.findtext("title") for item in channel.findall("item")]


@pytest.fixture
def library(db):
    guide = make_type("guide", name_en="Guide", name_fr="Guide pratique")
    brazil = make_publication(
        slug="brazil",
        title="Public policies for the SSE in Brazil",
        title_fr="Politiques publiques pour l’ESS au Brésil",
        published_at=days_ago(3),
        authors=["Lima, Ana", "Silva, João"],
        themes=[make_theme("decent-work", name_en="Decent work", name_fr="Travail décent")],
    )
    make_version(brazil, "en")
    make_version(brazil, "fr")
    cooperatives = make_publication(
        slug="cooperatives",
        title="A guide to cooperatives & <mutuals>",
        type=guide,
        published_at=days_ago(1),
    )
    make_version(cooperatives, "es")
    make_publication(slug="draft", title="A draft", published=False)
    make_publication(
        slug="scheduled",
        title="Not yet public",
        status=PublicationStatus.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(days=2),
    )
    return {"brazil": brazil, "cooperatives": cooperatives}


def test_rss_lists_published_publications_newest_first(client, library):
    channel = rss(client, "/en/library/feed/")

    assert rss_titles(channel) == [
        "A guide to cooperatives & <mutuals>",
        "Public policies for the SSE in Brazil",
    ]
    assert channel.findtext("language") == "en"
    assert channel.findtext("link") == "http://testserver/en/library/"
    brazil = channel.findall("item")[1]
    assert brazil.findtext("link") == "http://testserver/en/library/brazil/"
    assert brazil.findtext("pubDate")
    assert "social and solidarity economy" in brazil.findtext("description")
    categories = [category.text for category in brazil.findall("category")]
    assert categories == ["Country case study on public policy", "Decent work"]
    assert brazil.findtext("{http://purl.org/dc/elements/1.1/}creator") == (
        "Lima, Ana; Silva, João"
    )
    enclosure = brazil.find("enclosure")
    assert enclosure.get("url") == "http://testserver/en/library/brazil/download/en/"
    assert enclosure.get("type") == "application/pdf"
    assert int(enclosure.get("length")) > 0


def test_drafts_and_scheduled_publications_never_appear(client, library):
    for url in ["/en/library/feed/", "/en/library/feed/atom/"]:
        body = client.get(url).content.decode()
        assert "A draft" not in body
        assert "Not yet public" not in body
        assert "/draft/" not in body
        assert "/scheduled/" not in body


def test_atom_feed(client, library):
    response = client.get("/en/library/feed/atom/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "A guide to cooperatives & <mutuals>",
        "Public policies for the SSE in Brazil",
    ]
    brazil = entries[1]
    assert brazil.findtext(f"{ATOM}published")
    assert brazil.findtext(f"{ATOM}updated")
    enclosures = [
        link.get("href")
        for link in brazil.findall(f"{ATOM}link")
        if link.get("rel") == "enclosure"
    ]
    assert enclosures == [
        "http://testserver/en/library/brazil/download/en/",
        "http://testserver/en/library/brazil/download/fr/",
    ]
    self_link = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == "http://testserver/en/library/feed/atom/"


def test_feed_of_one_type(client, library):
    channel = rss(client, "/en/library/feed/?type=guide")

    assert rss_titles(channel) == ["A guide to cooperatives & <mutuals>"]
    assert "Guide" in channel.findtext("title")


def test_feed_of_one_language(client, library):
    assert rss_titles(rss(client, "/en/library/feed/?language=fr")) == [
        "Public policies for the SSE in Brazil"
    ]
    assert rss_titles(rss(client, "/en/library/feed/?language=es")) == [
        "A guide to cooperatives & <mutuals>"
    ]
    assert rss_titles(rss(client, "/en/library/feed/?language=it")) == []
    assert rss_titles(rss(client, "/en/library/feed/?language=fr&type=guide")) == []
    atom = ET.fromstring(client.get("/en/library/feed/atom/?language=es&type=guide").content)
    assert [entry.findtext(f"{ATOM}title") for entry in atom.findall(f"{ATOM}entry")] == [
        "A guide to cooperatives & <mutuals>"
    ]


@pytest.mark.parametrize(
    "query",
    ["type=no-such-type", "language=xx", "language=", "type=guide&type=country-case-study"],
)
def test_unknown_filters_are_not_found(client, library, query):
    if query == "language=":  # empty means no filter
        assert client.get(f"/en/library/feed/?{query}").status_code == 200
        return
    assert client.get(f"/en/library/feed/?{query}").status_code == 404
    assert client.get(f"/en/library/feed/atom/?{query}").status_code == 404


def test_french_feed_is_in_french_with_english_fallback(client, library):
    channel = rss(client, "/fr/library/feed/")

    assert channel.findtext("language") == "fr"
    assert rss_titles(channel) == [
        "A guide to cooperatives & <mutuals>",  # no French title: English
        "Politiques publiques pour l’ESS au Brésil",
    ]
    brazil = channel.findall("item")[1]
    assert brazil.findtext("link") == "http://testserver/fr/library/brazil/"
    assert [category.text for category in brazil.findall("category")] == [
        "Étude de cas pays sur les politiques publiques",
        "Travail décent",
    ]
    assert brazil.find("enclosure").get("url").endswith("/brazil/download/fr/")
    guide = rss(client, "/fr/library/feed/?type=guide")
    assert "Guide pratique" in guide.findtext("title")


def test_feeds_are_cacheable(client, library):
    response = client.get("/en/library/feed/")

    assert "max-age=" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert response["Last-Modified"]


def test_feed_queries_do_not_grow_with_items(client, db):
    themes = [make_theme("decent-work"), make_theme("gender-equality")]

    def publish(count, start):
        for number in range(start, start + count):
            publication = make_publication(
                slug=f"p-{number}", authors=[f"Author {number}"], themes=themes
            )
            make_version(publication, "en", text=f"Cooperatives, part {number}.")

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    publish(3, 0)
    few = {url: queries(url) for url in ["/en/library/feed/", "/en/library/feed/atom/"]}
    publish(27, 3)
    many = {url: queries(url) for url in ["/en/library/feed/", "/en/library/feed/atom/"]}

    assert few == many
    assert len(rss(client, "/en/library/feed/").findall("item")) == 30


def test_feed_holds_the_fifty_newest(client, db):
    publication_type = make_type()
    for number in range(55):
        make_publication(
            slug=f"p-{number}", type=publication_type, published_at=days_ago(60 - number)
        )

    items = rss(client, "/en/library/feed/").findall("item")

    assert len(items) == 50
    assert items[0].findtext("link").endswith("/p-54/")
    assert items[-1].findtext("link").endswith("/p-5/")
