"""The Academy part of the demo content (seeding takes seconds: two tests only)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from academies.models import Edition, Participation, Session


@pytest.fixture
def seeded(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("seed_demo")


def test_example_programme_and_demo_participants(seeded, client):
    madrid = Edition.objects.get(number=11)
    sessions = Session.objects.filter(edition=madrid)
    # An example programme, labelled as such in every language, with no invented dates.
    assert sessions.count() >= 5
    assert madrid.programme_note_en.startswith("Example programme")
    assert all(getattr(madrid, f"programme_note_{code}") for code in ["fr", "es", "pt", "it"])
    assert not sessions.exclude(date=None).exists()
    assert not sessions.exclude(start_time=None).exists()
    assert madrid.start_date is None and madrid.year is None  # not in the seed page: left empty
    # Fictional people across several editions, with every role, who cannot sign in.
    demo_people = get_user_model().objects.filter(email__endswith="@demo.collective-brain.org")
    participations = Participation.objects.filter(user__in=demo_people)
    assert participations.values("edition").distinct().count() >= 5
    assert participations.filter(edition__number=11).count() >= 5
    assert set(participations.values_list("role", flat=True)) == {
        "participant", "facilitator", "organiser",
    }  # fmt: skip
    assert not demo_people.filter(username__startswith="demo-").exclude(password__startswith="!")
    # The demo participant finds fellow participants.
    client.force_login(demo_people.get(email="participant@demo.collective-brain.org"))
    assert client.get("/en/academy/").status_code == 200
    page = client.get("/es/academy/11-madrid/").content.decode()
    assert "Programa de ejemplo" in page
    assert "Kwame Mensah" in page
    directory = client.get("/en/academy/participants/")
    assert directory.status_code == 200
    assert "Inês Carvalho" in directory.content.decode()


def test_seeding_twice_changes_nothing(seeded):
    def state():
        return (
            list(Session.objects.order_by("pk").values_list("pk", "title_en", "title_es")),
            sorted(Participation.objects.values_list("user__email", "edition__number", "role")),
            sorted(get_user_model().objects.values_list("email", "password", "display_name")),
        )

    before = state()
    call_command("seed_demo")
    assert state() == before
