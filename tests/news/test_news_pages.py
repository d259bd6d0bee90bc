"""The news list and news item pages: languages, tags, drafts, sharing meta, hostile input."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from academies.models import Edition
from news.models import NewsItem, Status
from tests.news.factories import LANGUAGES, days_from_now, make_news, make_tag
from tests.publications.factories import make_publication

TITLES = {
    "en": "Cooperatives meet in Turin",
    "fr": "Les coopératives se réunissent à Turin",
    "es": "Las cooperativas se reúnen en Turín",
    "pt": "As cooperativas reúnem-se em Turim",
    "it": "Le cooperative si riuniscono a Torino",
}


@pytest.fixture
def news(db):
    academy = make_tag("sse-academy", name_en="SSE Academy", name_fr="Académie ESS")
    untfsse = make_tag("untfsse", name_en="UNTFSSE")
    turin = make_news(
        slug="turin",
        tags=[academy],
        **{f"title_{code}": title for code, title in TITLES.items()},
        summary_fr="Un résumé en français.",
        published_at=days_from_now(-1),
    )
    task_force = make_news(
        slug="task-force",
        title="The Task Force meets",
        tags=[untfsse],
        published_at=days_from_now(-3),
    )
    draft = make_news(slug="a-draft", title="Secret draft news", published=False)
    scheduled = make_news(
        slug="scheduled",
        title="Scheduled news for later",
        status=Status.PUBLISHED,
        published_at=days_from_now(2),
    )
    return {"turin": turin, "task_force": task_force, "draft": draft, "scheduled": scheduled}


def titles_in(response):
    return re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', response.content.decode())


@pytest.mark.parametrize("language", LANGUAGES)
def test_list_shows_published_news_newest_first_in_each_language(client, news, language):
    response = client.get(f"/{language}/news/")

    assert response.status_code == 200
    assert titles_in(response) == [TITLES[language], "The Task Force meets"]
    html = response.content.decode()
    assert "Secret draft news" not in html
    assert "Scheduled news for later" not in html
    assert f'href="/{language}/news/feed/"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_detail_in_each_language(client, news, language):
    response = client.get(f"/{language}/news/turin/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{TITLES[language]}</h1>" in html
    assert f'<html lang="{language}">' in html
    assert "<strong>Markdown</strong>" in html


def test_fallback_to_english_where_a_translation_is_missing(client, news):
    response = client.get("/fr/news/task-force/")

    assert "<h1>The Task Force meets</h1>" in response.content.decode()


def test_filter_by_tag(client, news):
    response = client.get("/en/news/?tag=untfsse")

    assert response.status_code == 200
    assert titles_in(response) == ["The Task Force meets"]
    assert 'aria-current="page">UNTFSSE</a>' in response.content.decode()


def test_tag_names_follow_the_language(client, news):
    response = client.get("/fr/news/?tag=sse-academy")

    html = response.content.decode()
    assert titles_in(response) == [TITLES["fr"]]
    assert "Académie ESS" in html


def test_tags_only_of_published_news_are_offered(client, news):
    make_tag("hidden-tag", name_en="Hidden tag")
    news["draft"].tags.set([make_tag("hidden-tag")])

    html = client.get("/en/news/").content.decode()

    assert "Hidden tag" not in html


@pytest.mark.parametrize(
    "query",
    [
        "?tag=nope",
        "?page=abc",
        "?page=999",
        "?page=-1",
        "?tag=nope&page=abc",
        "?tag=%00",
        "?tag=" + "x" * 5000,
        "?tag=sse-academy&tag=untfsse",
        "?tag[]=1",
        "?page=1e9",
    ],
)
def test_hostile_parameters_never_fail(client, news, query):
    response = client.get(f"/en/news/{query}")

    assert response.status_code == 200
    assert "Secret draft news" not in response.content.decode()


def test_an_unknown_tag_is_reported_and_ignored(client, news):
    response = client.get("/en/news/?tag=nope")

    html = response.content.decode()
    assert "There is no such tag." in html
    assert len(titles_in(response)) == 2


def test_pagination_keeps_the_tag(client, db):
    tag = make_tag("sse-academy")
    for number in range(15):
        make_news(slug=f"item-{number}", tags=[tag])
    make_news(slug="other", title="Untagged")

    first = client.get("/en/news/?tag=sse-academy")
    second = client.get("/en/news/?tag=sse-academy&page=2")

    assert len(titles_in(first)) == 12
    assert "?tag=sse-academy&amp;page=2" in first.content.decode()
    assert len(titles_in(second)) == 3
    assert "Untagged" not in second.content.decode()


def test_drafts_and_scheduled_items_are_not_found(client, news):
    assert client.get("/en/news/a-draft/").status_code == 404
    assert client.get("/en/news/scheduled/").status_code == 404
    assert client.get("/en/news/no-such-item/").status_code == 404


def test_members_cannot_preview_drafts(client, news, member):
    client.force_login(member)

    assert client.get("/en/news/a-draft/").status_code == 404


def test_curators_preview_drafts_and_scheduled_items(staff_client, news):
    draft = staff_client.get("/en/news/a-draft/")
    scheduled = staff_client.get("/en/news/scheduled/")

    assert draft.status_code == 200
    assert "Draft – not public" in draft.content.decode()
    assert 'name="robots" content="noindex, nofollow"' in draft.content.decode()
    assert "no-store" in draft["Cache-Control"]
    assert scheduled.status_code == 200
    assert "Scheduled – not public yet" in scheduled.content.decode()
    # The list stays what readers see.
    assert "Secret draft news" not in staff_client.get("/en/news/").content.decode()


def test_a_scheduled_item_appears_when_its_time_comes(client, news):
    NewsItem.objects.filter(pk=news["scheduled"].pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert client.get("/en/news/scheduled/").status_code == 200
    assert "Scheduled news for later" in client.get("/en/news/").content.decode()


def test_markdown_is_sanitised(client, db):
    make_news(
        slug="hostile",
        body_en=(
            "Hello <script>alert('x')</script>\n\n"
            "[click](javascript:alert(1)) <img src=x onerror=alert(2)>\n\n"
            '<a href="https://example.org" onclick="steal()">fine link</a>'
        ),
        summary_en="<b>bold?</b>",
    )

    html = client.get("/en/news/hostile/").content.decode()
    main = html.split('<main id="main"')[1]

    assert "<script>alert" not in main
    assert 'href="javascript:' not in main.lower()
    assert "<img" not in main
    assert "onerror" not in main
    assert "onclick" not in main
    assert "fine link" in main
    assert "&lt;b&gt;bold?&lt;/b&gt;" in main  # the summary is plain text


def test_open_graph_and_twitter_meta(client, news, media_root):
    item = news["turin"]
    item.image = "news/turin.png"
    item.image_alt_en = "Participants in a meeting room"
    item.save()

    html = client.get("/en/news/turin/").content.decode()
    head = html.split("</head>")[0]

    assert '<meta property="og:title" content="Cooperatives meet in Turin">' in head
    assert '<meta property="og:description" content="A short summary of the news.">' in head
    assert '<meta property="og:type" content="article">' in head
    assert '<meta property="og:url" content="http://testserver/en/news/turin/">' in head
    assert '<meta property="og:image" content="http://testserver/media/news/turin.png">' in head
    assert '<meta name="twitter:card" content="summary_large_image">' in head
    assert '<meta property="article:tag" content="SSE Academy">' in head
    assert '<link rel="canonical" href="http://testserver/en/news/turin/">' in head


def test_open_graph_without_image_in_french(client, news):
    head = client.get("/fr/news/turin/").content.decode().split("</head>")[0]

    assert f'<meta property="og:title" content="{TITLES["fr"]}">' in head.replace("&#x27;", "'")
    assert '<meta property="og:description" content="Un résumé en français.">' in head
    assert '<meta property="og:url" content="http://testserver/fr/news/turin/">' in head
    assert "og:image" not in head
    assert '<meta name="twitter:card" content="summary">' in head


def test_related_publications_only_published_and_editions(client, news):
    public = make_publication(slug="public-one", title="A public study")
    hidden = make_publication(slug="hidden-one", title="A hidden study", published=False)
    edition = Edition.objects.create(number=1, slug="1-turin", city_en="Turin", country="IT")
    news["turin"].publications.set([public, hidden])
    news["turin"].editions.set([edition])

    html = client.get("/en/news/turin/").content.decode()

    assert "A public study" in html
    assert "A hidden study" not in html
    assert 'href="/en/academy/1-turin/"' in html


def _rich_news(count):
    tags = [make_tag(f"tag-{number}") for number in range(3)]
    editions = [
        Edition.objects.get_or_create(
            number=number, defaults={"slug": f"{number}-x", "city_en": "X", "country": "IT"}
        )[0]
        for number in range(1, 3)
    ]
    publication = make_publication(slug=f"pub-{count}")
    for number in range(count):
        item = make_news(slug=f"rich-{count}-{number}", tags=tags)
        item.publications.set([publication])
        item.editions.set(editions)
    return item


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("url", ["/en/news/", "/en/news/?tag=tag-1"])
def test_list_query_count_does_not_grow(client, db, url, make_member):
    author = make_member("writer", display_name="A writer")
    _rich_news(3)
    NewsItem.objects.update(author=author)
    few = _queries(client, url)

    _rich_news(30)
    NewsItem.objects.update(author=author)
    many = _queries(client, url)

    assert few == many
    assert many <= 6


def test_detail_query_count_does_not_grow(client, db):
    item = _rich_news(3)
    few = _queries(client, item.get_absolute_url())

    extra = [make_tag(f"more-{number}") for number in range(20)]
    item.tags.add(*extra)
    item.publications.add(*[make_publication(slug=f"more-pub-{n}") for n in range(10)])
    many = _queries(client, item.get_absolute_url())

    assert few == many
    assert many <= 6


def test_reserved_slugs_are_refused(db):
    from django.core.exceptions import ValidationError

    item = NewsItem(slug="events", title_en="Clash", status=Status.DRAFT)
    with pytest.raises(ValidationError):
        item.full_clean()


def test_the_header_link_still_works(client, db):
    html = client.get("/es/news/").content.decode()

    assert 'href="/es/news/" aria-current="page"' in html
