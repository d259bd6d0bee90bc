"""Events: upcoming and past lists, event pages in the event's time zone, iCalendar files."""

import datetime
import re
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from academies.models import Edition
from news import ical
from news.models import DatePrecision, Event, EventKind, Status
from tests.news.factories import LANGUAGES, days_from_now, make_event

LIMA = zoneinfo.ZoneInfo("America/Lima")


def unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def assert_valid_ics(body: bytes) -> str:
    """CRLF everywhere, lines of at most 75 octets, balanced components."""
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert b"\r" not in body.replace(b"\r\n", b"")
    for line in body.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # never a UTF-8 character cut in two
    text = body.decode("utf-8")
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT")
    return text


def vevents(text: str) -> list[dict[str, str]]:
    events, current = [], None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None and line:
            name, _, value = line.partition(":")
            current[name] = value
    return events


@pytest.fixture
def events(db):
    return {
        "soon": make_event(slug="soon", title="Soon webinar", starts_in_days=2),
        "later": make_event(slug="later", title="Later conference", starts_in_days=20),
        "ongoing": make_event(
            slug="ongoing",
            title="Ongoing session",
            start=days_from_now(-1),
            end=days_from_now(1),
        ),
        "past": make_event(slug="past", title="Past webinar", starts_in_days=-30),
        "older": make_event(slug="older", title="Older conference", starts_in_days=-300),
        "draft": make_event(slug="draft", title="Secret draft event", published=False),
        "past_draft": make_event(
            slug="past-draft", title="Secret past draft", published=False, starts_in_days=-3
        ),
    }


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"')[1].split("</section>")[0]


def event_titles(fragment: str) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', fragment)


@pytest.mark.parametrize("language", LANGUAGES)
def test_upcoming_and_past_lists(client, events, language):
    response = client.get(f"/{language}/news/events/")

    assert response.status_code == 200
    html = response.content.decode()
    assert event_titles(section(html, "upcoming-heading")) == [
        "Ongoing session",
        "Soon webinar",
        "Later conference",
    ]
    assert event_titles(section(html, "past-heading")) == ["Past webinar", "Older conference"]
    assert "Secret" not in html


def test_both_lists_are_paginated_independently(client, db):
    for number in range(12):
        make_event(slug=f"up-{number}", title=f"Up {number:02d}", starts_in_days=number + 1)
        make_event(slug=f"down-{number}", title=f"Down {number:02d}", starts_in_days=-number - 1)

    html = client.get("/en/news/events/?page=2&past_page=2").content.decode()

    assert event_titles(section(html, "upcoming-heading")) == ["Up 10", "Up 11"]
    assert event_titles(section(html, "past-heading")) == ["Down 10", "Down 11"]
    assert "?page=1&amp;past_page=2" in html
    assert "?page=2&amp;past_page=1" in html


@pytest.mark.parametrize(
    "query", ["?page=abc", "?past_page=abc", "?page=-5&past_page=999", "?page=%00"]
)
def test_hostile_pages_never_fail(client, events, query):
    assert client.get(f"/en/news/events/{query}").status_code == 200


def test_list_query_count_does_not_grow(client, db):
    edition = Edition.objects.create(number=1, slug="1-turin", city_en="Turin", country="IT")
    for number in range(3):
        make_event(slug=f"a-{number}", edition=edition, starts_in_days=number + 1)
        make_event(slug=f"b-{number}", edition=edition, starts_in_days=-number - 1)
    with CaptureQueriesContext(connection) as few:
        client.get("/en/news/events/")
    for number in range(30):
        make_event(slug=f"c-{number}", edition=edition, starts_in_days=number + 1)
        make_event(slug=f"d-{number}", edition=edition, starts_in_days=-number - 1)
    with CaptureQueriesContext(connection) as many:
        client.get("/en/news/events/")

    assert len(few) == len(many)


def test_event_page_shows_times_in_the_event_time_zone(client, db):
    make_event(
        slug="lima-webinar",
        title="Webinar from Lima",
        title_es="Seminario web desde Lima",
        start=datetime.datetime(2031, 3, 10, 15, 0, tzinfo=LIMA),
        end=datetime.datetime(2031, 3, 10, 16, 30, tzinfo=LIMA),
        time_zone="America/Lima",
        place_en="Online",
        online_url="https://example.org/live",
        registration_url="https://example.org/register",
        description_en="Join us <script>alert(1)</script> **now**.",
    )

    english = client.get("/en/news/events/lima-webinar/").content.decode()
    spanish = client.get("/es/news/events/lima-webinar/").content.decode()

    assert "March 10, 2031, 3 p.m. – 4:30 p.m." in english
    assert "(America/Lima, UTC-05:00)" in english
    assert 'datetime="2031-03-10T15:00:00-05:00"' in english
    assert "https://example.org/register" in english
    assert "<strong>now</strong>" in english
    assert "<script>alert" not in english
    assert "Seminario web desde Lima" in spanish
    assert "10 de marzo de 2031" in spanish
    assert "15:00" in spanish


def test_all_day_and_approximate_dates_show_only_what_is_known(client, db):
    johannesburg = zoneinfo.ZoneInfo("Africa/Johannesburg")
    make_event(
        slug="durban",
        title="Durban conference",
        start=datetime.datetime(2019, 2, 1, tzinfo=johannesburg),
        end=datetime.datetime(2019, 2, 1, 23, 59, tzinfo=johannesburg),
        all_day=True,
        date_precision=DatePrecision.MONTH,
        time_zone="Africa/Johannesburg",
    )

    html = client.get("/fr/news/events/durban/").content.decode()

    assert '<time datetime="2019-02">février 2019</time>' in html
    assert "00:00" not in html
    assert "UTC+02:00" not in html


def test_past_events_hide_the_registration_link(client, events):
    Event.objects.filter(pk=events["past"].pk).update(
        registration_url="https://example.org/register-old"
    )

    html = client.get("/en/news/events/past/").content.decode()

    assert "register-old" not in html
    assert "Past event" in html


def test_draft_events_are_hidden_except_for_curators(client, events, curator):
    assert client.get("/en/news/events/draft/").status_code == 404
    assert client.get("/en/news/events/draft/event.ics").status_code == 404

    client.force_login(curator)
    preview = client.get("/en/news/events/draft/")
    assert preview.status_code == 200
    assert "no-store" in preview["Cache-Control"]
    assert "event.ics" not in preview.content.decode()


def test_event_ics(client, db):
    make_event(
        slug="geneva",
        title="Cooperatives, mutuals; and \\ foundations",
        title_fr="Coopératives, mutuelles ; et fondations",
        description_en="First line\nSecond line with a very long sentence that certainly "
        "goes beyond the seventy-five octets of one iCalendar line, with accents: éàü€.",
        place_en="ILO, Geneva; Room 1",
        start=datetime.datetime(2031, 6, 1, 9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Zurich")),
        end=datetime.datetime(2031, 6, 1, 11, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Zurich")),
        time_zone="Europe/Zurich",
        registration_url="https://example.org/register",
    )

    response = client.get("/en/news/events/geneva/event.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="geneva.ics"' in response["Content-Disposition"]
    text = assert_valid_ics(response.content)
    (event,) = vevents(text)
    assert event["SUMMARY"] == "Cooperatives\\, mutuals\\; and \\\\ foundations"
    assert event["DTSTART"] == "20310601T073000Z"
    assert event["DTEND"] == "20310601T090000Z"
    assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
    assert event["UID"].startswith("event-") and "@" in event["UID"]
    assert event["LOCATION"] == "ILO\\, Geneva\\; Room 1"
    assert event["URL"] == "http://testserver/en/news/events/geneva/"
    assert event["DESCRIPTION"].startswith("First line\\nSecond line with")
    assert "éàü€" in event["DESCRIPTION"]
    assert "Registration: https://example.org/register" in event["DESCRIPTION"]
    assert any(len(line.encode()) > 75 for line in unfold(text))  # folding happened

    french = vevents(client.get("/fr/news/events/geneva/event.ics").content.decode())[0]
    assert french["SUMMARY"] == "Coopératives\\, mutuelles \\; et fondations"
    assert french["URL"] == "http://testserver/fr/news/events/geneva/"


def test_all_day_event_ics_uses_dates(client, db):
    johannesburg = zoneinfo.ZoneInfo("Africa/Johannesburg")
    make_event(
        slug="durban",
        start=datetime.datetime(2019, 2, 1, tzinfo=johannesburg),
        end=datetime.datetime(2019, 2, 1, 23, 59, tzinfo=johannesburg),
        all_day=True,
        date_precision=DatePrecision.MONTH,
        time_zone="Africa/Johannesburg",
    )
    make_event(
        slug="three-days",
        start=datetime.datetime(2031, 5, 4, tzinfo=LIMA),
        end=datetime.datetime(2031, 5, 6, 23, 59, tzinfo=LIMA),
        all_day=True,
        time_zone="America/Lima",
    )

    durban = vevents(assert_valid_ics(client.get("/en/news/events/durban/event.ics").content))[0]
    three = vevents(assert_valid_ics(client.get("/en/news/events/three-days/event.ics").content))

    # Local dates, not the UTC ones (midnight in Johannesburg is still 31 January in UTC).
    assert durban["DTSTART;VALUE=DATE"] == "20190201"
    assert durban["DTEND;VALUE=DATE"] == "20190202"
    assert "DTSTART" not in durban
    assert durban["DESCRIPTION"].startswith("Exact date unknown: February 2019.")
    assert three[0]["DTSTART;VALUE=DATE"] == "20310504"
    assert three[0]["DTEND;VALUE=DATE"] == "20310507"


def test_calendar_feed_lists_only_upcoming_published_events(client, events):
    response = client.get("/en/news/events/calendar.ics")

    assert response.status_code == 200
    text = assert_valid_ics(response.content)
    summaries = [event["SUMMARY"] for event in vevents(text)]
    assert summaries == ["Ongoing session", "Soon webinar", "Later conference"]
    assert "X-WR-CALNAME:Collective Brain events" in unfold(text)
    uids = [event["UID"] for event in vevents(text)]
    assert len(set(uids)) == len(uids)


def test_calendar_feed_query_count_does_not_grow(client, db):
    make_event(slug="one")
    with CaptureQueriesContext(connection) as few:
        client.get("/en/news/events/calendar.ics")
    for number in range(25):
        make_event(slug=f"more-{number}", starts_in_days=number + 1)
    with CaptureQueriesContext(connection) as many:
        client.get("/en/news/events/calendar.ics")

    assert len(few) == len(many) == 1


def test_empty_calendar_is_still_valid(client, db):
    text = assert_valid_ics(client.get("/en/news/events/calendar.ics").content)

    assert "BEGIN:VEVENT" not in text


# The writer itself


def test_escaping():
    assert ical.escape_text("a,b;c\\d\ne\r\nf\rg") == "a\\,b\\;c\\\\d\\ne\\nf\\ng"
    assert ical.escape_text("bell\x07 and nul\x00") == "bell and nul"


@pytest.mark.parametrize(
    "line",
    ["x" * 75, "x" * 76, "DESCRIPTION:" + "é" * 100, "SUMMARY:" + "€" * 40 + "a" * 3, "y" * 400],
)
def test_folding(line):
    folded = ical.fold(line)
    pieces = folded.split("\r\n")

    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert folded.replace("\r\n ", "") == line


def test_short_lines_are_not_folded():
    assert ical.fold("SUMMARY:short") == "SUMMARY:short"


# The model


def test_time_zone_is_validated(db):
    event = Event(
        slug="bad-zone",
        title_en="Bad zone",
        kind=EventKind.OTHER,
        start=days_from_now(1),
        end=days_from_now(2),
        time_zone="Mars/Olympus_Mons",
        status=Status.DRAFT,
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "time_zone" in error.value.message_dict

    event.time_zone = "../../etc/passwd"
    with pytest.raises(ValidationError):
        event.full_clean()

    event.time_zone = "Asia/Seoul"
    event.full_clean()


def test_end_before_start_is_refused(db):
    event = Event(
        slug="backwards",
        title_en="Backwards",
        start=days_from_now(2),
        end=days_from_now(1),
        time_zone="UTC",
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "end" in error.value.message_dict


def test_approximate_dates_must_be_all_day(db):
    event = Event(
        slug="vague",
        title_en="Vague",
        start=days_from_now(2),
        end=days_from_now(2),
        time_zone="UTC",
        date_precision=DatePrecision.YEAR,
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "all_day" in error.value.message_dict
