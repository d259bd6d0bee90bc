"""The demo news and events: facts of the seed page only, in five languages, idempotent."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command

from academies.models import Edition
from news.demo import seed_news
from news.models import DatePrecision, Event, NewsItem, Tag

LANGUAGES = ["en", "fr", "es", "pt", "it"]


def snapshot():
    return (
        list(Tag.objects.order_by("slug").values_list("slug", "name_en", "name_it")),
        list(
            NewsItem.objects.order_by("slug").values_list(
                "slug", "title_fr", "body_pt", "status", "published_at", "updated_at"
            )
        ),
        list(NewsItem.tags.through.objects.order_by("pk").values_list("newsitem", "tag")),
        list(
            Event.objects.order_by("slug").values_list(
                "slug", "title_es", "start", "end", "edition", "updated_at"
            )
        ),
    )


@pytest.fixture
def seeded(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("seed_demo")


def test_seed_demo_adds_news_and_events(seeded, client):
    assert NewsItem.objects.published().count() == 4
    for item in NewsItem.objects.all():
        for language in LANGUAGES[1:]:
            assert getattr(item, f"title_{language}")
            assert getattr(item, f"summary_{language}")
            assert getattr(item, f"body_{language}") != item.body_en
    durban = NewsItem.objects.get(slug="ilo-director-general-sse-durban-2019")
    assert "February 2019" in durban.body_en
    assert "Durban, South Africa" in durban.body_en
    assert durban.published_at.date() == datetime.date(2019, 2, 1)
    untfsse = NewsItem.objects.get(slug="untfsse-chaired-by-the-ilo")
    assert "18 UN agencies and the OECD" in untfsse.body_en
    assert "13 civil society organizations" in untfsse.body_en
    academy = NewsItem.objects.get(slug="sse-academy-from-turin-2010-to-madrid")
    assert sorted(academy.editions.values_list("number", flat=True)) == [1, 11]
    # The demo pages render in every language.
    for language in LANGUAGES:
        assert client.get(f"/{language}/news/").status_code == 200
        assert client.get(f"/{language}/news/{durban.slug}/").status_code == 200
        assert client.get(f"/{language}/news/events/").status_code == 200


def test_demo_events_carry_only_known_dates(seeded, client):
    durban = Event.objects.get(slug="social-economy-national-consultation-conference-durban-2019")
    local = zoneinfo.ZoneInfo("Africa/Johannesburg")
    assert durban.start == datetime.datetime(2019, 2, 1, tzinfo=local)
    assert durban.end == datetime.datetime(2019, 2, 1, 23, 59, tzinfo=local)
    assert durban.all_day
    assert durban.date_precision == DatePrecision.MONTH
    turin = Event.objects.get(slug="first-sse-academy-turin-2010")
    assert turin.date_precision == DatePrecision.YEAR
    assert turin.edition == Edition.objects.get(number=1)
    # Only the editions the seed dates: no event for the others.
    assert Event.objects.count() == 2
    page = client.get(f"/fr/news/events/{durban.slug}/").content.decode()
    assert "février 2019" in page
    ics = client.get(f"/en/news/events/{durban.slug}/event.ics").content.decode()
    assert "DTSTART;VALUE=DATE:20190201" in ics


def test_seed_news_is_idempotent(seeded):
    before = snapshot()

    seed_news()
    call_command("seed_demo")

    assert snapshot() == before


def test_seed_news_works_without_editions_or_publications(db):
    seed_news()

    assert NewsItem.objects.count() == 4
    assert Event.objects.get(slug="first-sse-academy-turin-2010").edition is None
