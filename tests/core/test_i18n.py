import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

LANGUAGES = [code for code, _name in settings.LANGUAGES]
PAGES = ["", "about/", "about/ilo-and-sse/", "academy/", "academy/1-turin/", "library/",
         "forum/", "news/", "search/?q=academy", "accounts/login/", "accounts/signup/",
         "accounts/password/reset/"]  # fmt: skip


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("seed_demo")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_every_language(client, demo, language, page):
    response = client.get(f"/{language}/{page}")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    for code in LANGUAGES:
        assert f'hreflang="{code}"' in html
    assert 'hreflang="x-default"' in html


@pytest.mark.parametrize("language", ["fr", "es", "pt", "it"])
def test_navigation_is_translated(client, demo, language):
    html = client.get(f"/{language}/").content.decode()

    with translation.override(language):
        for label in ["Home", "Library", "News", "Skip to main content", "Search"]:
            translated = translation.gettext(label)
            assert translated != label or label == "Forum"
            assert translated in html


def test_hreflang_alternates_point_at_the_same_page(client, demo):
    html = client.get("/fr/about/ilo-and-sse/").content.decode()

    links = dict(re.findall(r'hreflang="([a-z-]+)" href="([^"]+)"', html))
    assert links["es"] == "http://testserver/es/about/ilo-and-sse/"
    assert links["x-default"] == "http://testserver/en/about/ilo-and-sse/"


def test_unprefixed_url_redirects_to_a_language(client, db):
    response = client.get("/", headers={"accept-language": "pt-BR,pt;q=0.9"})

    assert response.status_code == 302
    assert response["Location"] == "/pt/"


def test_switching_language_stays_on_the_page(client, db):
    response = client.post("/i18n/setlang/", {"language": "it", "next": "/en/about/"})

    assert response.status_code == 302
    assert response["Location"] == "/it/about/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "it"


def test_switching_language_rejects_foreign_redirects(client, db):
    response = client.post("/i18n/setlang/", {"language": "it", "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_switching_language_remembers_a_members_choice(client, member):
    client.force_login(member)

    client.post("/i18n/setlang/", {"language": "es", "next": "/en/"})

    member.refresh_from_db()
    assert member.preferred_language == "es"


def test_unknown_language_changes_nothing(client, member):
    client.force_login(member)
    member.preferred_language = "fr"
    member.save()

    client.post("/i18n/setlang/", {"language": "xx", "next": "/en/"})

    member.refresh_from_db()
    assert member.preferred_language == "fr"


def test_login_applies_the_saved_language(client, member, password):
    member.preferred_language = "pt"
    member.save()

    response = client.post("/en/accounts/login/", {"login": member.email, "password": password})

    assert response.status_code == 302
    assert response["Location"] == "/pt/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pt"


@pytest.mark.parametrize("language", ["fr", "es", "pt", "it"])
def test_not_found_page_is_translated(client, db, language):
    response = client.get(f"/{language}/no-such-page/")

    assert response.status_code == 404
    with translation.override(language):
        assert translation.gettext("Page not found") in response.content.decode()
        assert translation.gettext("Page not found") != "Page not found"


@override_settings(DEBUG=False)
def test_server_error_page_renders_without_a_database(client, db):
    from django.template.loader import render_to_string

    with translation.override("fr"):
        html = render_to_string("500.html")
        assert translation.gettext("Something went wrong") in html
        assert '<html lang="fr">' in html
