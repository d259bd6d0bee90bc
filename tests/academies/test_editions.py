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


# --- Editions, programme, collection, figures -------------------------------------------

from decimal import Decimal  # noqa: E402

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from academies.charts import bar_chart, edition_map  # noqa: E402
from academies.models import Participation, ParticipationStatus, Session  # noqa: E402
from academies.validators import validate_picture  # noqa: E402
from publications.models import Collection  # noqa: E402
from tests.academies.factories import enrol, make_edition  # noqa: E402
from tests.publications.factories import make_publication  # noqa: E402


def test_edition_page_shows_the_programme_with_only_published_materials(client, madrid):
    madrid.programme_note_en = "Example programme: generic sessions."
    madrid.languages_of_instruction = ["es", "en"]
    madrid.organisers = "International Training Centre of the ILO\nCity partner"
    madrid.venue_en = "Conference centre"
    madrid.save()
    published = make_publication(title="Reader on SSE policies")
    draft = make_publication(title="Unfinished draft", published=False)
    session = Session.objects.create(
        edition=madrid, day=2, title_en="Public policies", title_es="Políticas públicas",
        speakers="A. Speaker\nB. Speaker", summary_en="We agreed on three points.",
        recording_url="https://video.example.org/42",
    )  # fmt: skip
    session.materials.set([published, draft])
    Session.objects.create(edition=madrid, day=1, title_en="Opening")

    html = client.get("/en/academy/11-madrid/").content.decode()

    assert "Example programme: generic sessions." in html
    assert html.index("Opening") < html.index("Public policies")
    assert "Day 2" in html and "A. Speaker, B. Speaker" in html
    assert "We agreed on three points." in html
    assert "https://video.example.org/42" in html
    assert "Reader on SSE policies" in html
    assert "Unfinished draft" not in html
    assert "International Training Centre of the ILO" in html
    assert "Conference centre" in html
    assert "Spanish" in html
    assert "Políticas públicas" in client.get("/es/academy/11-madrid/").content.decode()


def test_edition_page_lists_its_published_collection(client, madrid):
    collection = Collection.objects.create(slug="madrid", title_en="SSE Academy Collection Madrid",
                                           edition=madrid)  # fmt: skip
    make_publication(title="Visible reader").collections.add(collection)
    make_publication(title="Hidden draft", published=False).collections.add(collection)

    html = client.get("/en/academy/11-madrid/").content.decode()

    assert "SSE Academy Collection Madrid" in html
    assert "Visible reader" in html
    assert "Hidden draft" not in html


def test_academy_page_draws_a_map_and_figures_served_by_the_project(client, madrid, seoul,
                                                                      make_member):  # fmt: skip
    enrol(make_member("a", country="ES"), madrid)
    enrol(make_member("b", country="KR"), seoul)
    enrol(make_member("c", country="KR"), seoul, role="facilitator")

    html = client.get("/en/academy/").content.decode()

    assert 'class="academy-map"' in html and "<path" in html  # drawn here, no tiles
    assert "http" not in html.split('class="academy-map"')[1].split("</svg>")[0]
    assert 'role="img"' in html and "<title" in html
    assert "Participants by country" in html and "South Korea" in html
    assert "Participations by role" in html and "Facilitator / resource person" in html
    assert "<table>" in html  # each chart has a table alternative


def test_figures_count_by_database_and_name_nobody(client, madrid, make_member):
    hidden = make_member("hidden", display_name="Secret Person", country="SN",
                         directory_visibility="cohort")  # fmt: skip
    enrol(hidden, madrid)

    html = client.get("/en/academy/11-madrid/").content.decode()

    assert "Senegal" in html  # counted…
    assert "Secret Person" not in html  # …never named


def test_chart_numbers_are_not_localised(client, madrid, make_member):
    enrol(make_member("a", country="ES"), madrid)
    enrol(make_member("b", country="IT"), madrid)
    enrol(make_member("c", country="IT"), madrid)

    html = client.get("/fr/academy/11-madrid/").content.decode()

    svg = html.split('class="academy-bars"')[1].split("</svg>")[0]
    assert "," not in svg.split("<desc")[0]  # 170,0 would break the drawing in French


def test_bar_chart_groups_the_tail_into_others():
    chart = bar_chart("c", "Countries", [(f"Country {i}", 20 - i) for i in range(20)], max_bars=5)

    assert len(chart.bars) == 5 and chart.bars[-1].label == "Others"
    assert chart.bars[-1].value == sum(20 - i for i in range(4, 20))
    assert len(chart.rows) == 20 and chart.total == sum(range(1, 21))


def test_edition_map_places_known_cities_and_explicit_coordinates(db):
    turin = make_edition("Turin", "IT", number=1)
    turin_again = make_edition("Turin", "IT", number=10)
    nairobi = make_edition("Nairobi", "KE", number=12, latitude=Decimal("-1.29"),
                           longitude=Decimal("36.82"))  # fmt: skip
    unknown = make_edition("Atlantis", "GR", number=13)

    drawing = edition_map([turin_again, turin, nairobi, unknown])

    labels = {point.label for point in drawing["points"]}
    assert labels == {"1, 10", "12"}


class TestEditionValidation:
    def test_reserved_and_inconsistent_values_are_refused(self, db):
        edition = make_edition("Lima", "PE", slug="participants", year=2030,
                               start_date=datetime.date(2031, 5, 2),
                               end_date=datetime.date(2031, 5, 1))  # fmt: skip

        with pytest.raises(ValidationError) as error:
            edition.full_clean()

        assert {"slug", "end_date", "year"} <= set(error.value.message_dict)

    def test_short_invitation_codes_are_refused(self, madrid):
        madrid.invitation_code = "abc"
        with pytest.raises(ValidationError):
            madrid.full_clean()

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("photo.png", b"GIF89a not a png"),
            ("photo.jpg", b"\x89PNG\r\n\x1a\n"),
            ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
            ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
            ("page.html", b"<html></html>"),
            ("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10),
        ],
    )  # fmt: skip
    def test_pictures_must_be_what_they_claim(self, name, content):
        with pytest.raises(ValidationError):
            validate_picture(SimpleUploadedFile(name, content))

    def test_a_real_png_and_a_plain_svg_are_accepted(self):
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (4, 3), "green").save(buffer, format="PNG")
        validate_picture(SimpleUploadedFile("photo.png", buffer.getvalue()))
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"><rect width="4" height="3"/></svg>'
        validate_picture(SimpleUploadedFile("drawing.svg", svg))


def test_participation_status_follows_the_edition_unless_overridden(db, member):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    edition = make_edition("Lima", "PE", start_date=today + 10 * day, end_date=today + 15 * day)
    participation = enrol(member, edition)

    assert participation.status == ParticipationStatus.FUTURE
    edition.start_date, edition.end_date = today - day, today + day
    assert participation.status == ParticipationStatus.CURRENT
    edition.start_date, edition.end_date = today - 9 * day, today - 5 * day
    assert participation.status == ParticipationStatus.ALUMNI
    participation.status_override = ParticipationStatus.CURRENT
    assert participation.status == ParticipationStatus.CURRENT
    assert Participation.objects.get().status_override == ""


def test_edition_page_has_sharing_meta(client, turin):
    html = client.get("/fr/academy/1-turin/").content.decode()

    assert '<meta property="og:title" content="' in html
    assert 'property="og:url" content="http://testserver/fr/academy/1-turin/"' in html
    assert '<meta name="twitter:card" content="summary">' in html
