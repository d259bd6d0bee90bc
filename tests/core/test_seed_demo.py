import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from academies.models import Edition, Participation
from accounts.models import CURATORS_GROUP, MODERATORS_GROUP
from pages.models import Page

User = get_user_model()


@pytest.fixture
def seeded(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("seed_demo")


def snapshot():
    return (
        list(Edition.objects.values_list("number", "slug", "city_en", "city_fr", "year")),
        list(Page.objects.values_list("slug", "title_en", "title_it", "body_pt")),
        list(User.objects.order_by("email").values_list("email", "password", "is_staff")),
        list(
            Participation.objects.order_by("user__email", "edition__number").values_list(
                "user__email", "edition__number"
            )
        ),
        EmailAddress.objects.count(),
    )


def test_seed_loads_the_facts_of_the_seed_page(seeded):
    cities = list(Edition.objects.values_list("city_en", flat=True))
    assert cities == ["Turin", "Montreal", "Agadir", "Campinas", "Johannesburg", "Puebla",
                      "San José", "Seoul", "Luxembourg City", "Turin", "Madrid"]  # fmt: skip
    assert Edition.objects.get(number=1).year == 2010
    assert set(Page.objects.values_list("slug", flat=True)) == {
        "social-solidarity-economy", "ilo-and-sse", "untfsse", "sse-academy", "collective-brain"
    }  # fmt: skip
    for page in Page.objects.all():
        for language in ["fr", "es", "pt", "it"]:
            assert getattr(page, f"title_{language}")
            assert getattr(page, f"body_{language}") != page.body_en


def test_seed_is_idempotent(seeded):
    before = snapshot()

    call_command("seed_demo")

    assert snapshot() == before


def test_demo_accounts_have_their_roles(seeded, client):
    emails = {role: f"{role}@demo.collective-brain.org" for role in
              ["member", "participant", "moderator", "curator"]}  # fmt: skip
    for email in emails.values():
        assert client.login(username=email, password="demo-pass-for-tests")
        assert EmailAddress.objects.get(email=email).verified
    assert User.objects.get(email=emails["curator"]).is_staff
    assert User.objects.get(email=emails["curator"]).groups.filter(name=CURATORS_GROUP).exists()
    assert (
        User.objects.get(email=emails["moderator"]).groups.filter(name=MODERATORS_GROUP).exists()
    )
    assert Participation.objects.filter(user__email=emails["participant"]).exists()
    assert not User.objects.get(email=emails["member"]).is_staff


def test_demo_accounts_need_a_password_outside_development(db, monkeypatch, settings):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    settings.DEBUG = False

    with pytest.raises(CommandError):
        call_command("seed_demo")
