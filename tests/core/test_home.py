import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from academies.models import Edition
from tests.news.factories import make_event, make_news
from tests.publications.factories import make_publication


def make_content(count, start=1):
    Edition.objects.bulk_create(
        Edition(number=n, slug=f"e-{n}", city=f"City {n}", country="IT", year=2000 + n)
        for n in range(start, start + count)
    )
    for n in range(start, start + count):
        make_publication(slug=f"p-{n}", title=f"Publication {n}")
        make_news(slug=f"n-{n}", title_en=f"News {n}")
        make_event(slug=f"ev-{n}", title_en=f"Event {n}")


def home_queries(client):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/").status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_home_queries_do_not_grow_with_data(client, member, signed_in):
    if signed_in:
        client.force_login(member)
    make_content(2)
    few = home_queries(client)
    make_content(12, start=3)

    assert home_queries(client) == few
    assert few <= 10


def test_home_is_served_from_the_cache_on_later_visits(client, db):
    make_content(2)
    home_queries(client)

    with CaptureQueriesContext(connection) as queries:
        client.get("/en/")

    assert len(queries) <= 2  # sessions and messages only, no content queries


def test_home_lists_only_public_content(client, db):
    make_publication(slug="public", title="Visible study")
    make_publication(slug="draft", title="Secret draft", published=False)
    make_news(slug="visible-news", title_en="Visible news")
    make_news(slug="hidden-news", title_en="Hidden news", published=False)

    html = client.get("/en/").content.decode()

    assert "Visible study" in html and "Visible news" in html
    assert "Secret draft" not in html and "Hidden news" not in html
