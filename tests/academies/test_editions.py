import datetime

import pytest
from django.utils import timezone

from academies.models import Edition, EditionStatus


@pytest.fixture
def turin(db):
    return Edition.objects.create(
        number=1, slug="1-turin", city_en="Turin", city_it="Torino", country="IT", year=2010
    )


def test_edition_list_and_page(client, turin):
    assert "SSE Academy Turin 2010" in client.get("/en/academy/").content.decode()
    html = client.get("/it/academy/1-turin/").content.decode()
    assert "Torino" in html


def test_unknown_edition_is_not_found(client, db):
    assert client.get("/en/academy/nowhere/").status_code == 404


def test_status_is_derived_from_dates(db):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    edition = Edition(number=20, city="Nairobi", country="KE")

    edition.start_date, edition.end_date = today + day, today + 5 * day
    assert edition.status == EditionStatus.UPCOMING
    edition.start_date, edition.end_date = today - day, today + day
    assert edition.status == EditionStatus.ONGOING
    edition.start_date, edition.end_date = today - 5 * day, today - day
    assert edition.status == EditionStatus.PAST
    edition.start_date = edition.end_date = None
    edition.year = 2010
    assert edition.status == EditionStatus.PAST
    edition.year = None
    assert edition.status is None


def test_current_or_next_edition(db):
    today = timezone.localdate()
    Edition.objects.create(number=1, slug="a", city="A", country="IT",
                           start_date=today - datetime.timedelta(days=400),
                           end_date=today - datetime.timedelta(days=395))  # fmt: skip
    upcoming = Edition.objects.create(
        number=2, slug="b", city="B", country="ES",
        start_date=today + datetime.timedelta(days=30), end_date=today + datetime.timedelta(days=35),
    )  # fmt: skip

    assert Edition.objects.current_or_next() == upcoming
