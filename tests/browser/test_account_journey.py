"""A visitor joins, confirms their address, signs in and makes the site French for good."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import Page, expect

from accounts.models import User

EMAIL = "ana.costa@example.org"
USERNAME = "anacosta"
PASSWORD = "a-Long-browser-passphrase-42"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
PAGES = ["", "about/", "academy/", "library/", "accounts/login/"]


def translated(language, text):
    """What our catalogues (or allauth's) make of ``text`` in ``language``."""
    with translation.override(language):
        return translation.gettext(text)


def path_of(site, language, path=""):
    return re.compile(re.escape(f"{site}/{language}/{path}") + r"(\?.*)?$")


def sign_in(page, email, password):
    form = page.locator("main form")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()


def sign_out(page):
    menu = page.locator("details.account-menu")
    menu.locator("summary").click()
    menu.locator("form button[type=submit]").click()
    expect(page.locator("details.account-menu")).to_have_count(0)
    expect(page.locator(".account-links")).to_be_visible()


def test_join_confirm_sign_in_and_switch_to_french(page: Page, site, axe):
    # The home page, as a visitor.
    page.goto(f"{site}/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe(page)

    # Join.
    page.get_by_role("link", name="Join", exact=True).click()
    expect(page).to_have_url(path_of(site, "en", "accounts/signup/"))
    axe(page)
    form = page.locator("main form")
    form.locator("input[name=email]").fill(EMAIL)
    form.locator("input[name=username]").fill(USERNAME)
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(path_of(site, "en", "accounts/confirm-email/"))
    axe(page)

    # The confirmation e-mail links back to the live server.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    link = re.search(rf"{re.escape(site)}/\S*/accounts/confirm-email/\S+/", message.body)
    assert link, message.body
    page.goto(link.group(0))
    axe(page)
    page.locator("main form button[type=submit]").click()
    # Confirming in the browser that signed up signs the member in
    # (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION); sign out to sign in by hand.
    expect(page.locator("details.account-menu summary")).to_contain_text(USERNAME)
    member = User.objects.get(username=USERNAME)
    assert member.emailaddress_set.get(email=EMAIL).verified
    assert member.preferred_language == "en"
    sign_out(page)

    page.goto(f"{site}/en/accounts/login/")
    sign_in(page, EMAIL, PASSWORD)
    expect(page).to_have_url(path_of(site, "en"))
    expect(page.locator("details.account-menu summary")).to_contain_text(USERNAME)

    # Switch to French with the header switcher: the page, the menu and the account
    # pages (allauth's own French catalogue) follow, and the choice is remembered.
    page.locator(".language-switcher button[value=fr]").click()
    expect(page).to_have_url(path_of(site, "fr"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(".language-switcher button[value=fr]")).to_have_attribute(
        "aria-current", "true"
    )
    menu = page.locator("details.account-menu")
    menu.locator("summary").click()
    expect(menu.locator("form button[type=submit]")).to_have_text(translated("fr", "Sign out"))
    axe(page)
    member.refresh_from_db()
    assert member.preferred_language == "fr"

    page.goto(f"{site}/fr/accounts/email/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    heading = translated("fr", "Email Addresses")
    assert heading != "Email Addresses"  # allauth ships French
    expect(page.locator("main h1")).to_have_text(heading)
    axe(page)

    # Sign out, then sign in again from an English page: the member lands in French.
    sign_out(page)
    expect(page).to_have_url(path_of(site, "fr"))
    page.goto(f"{site}/en/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe(page)
    sign_in(page, EMAIL, PASSWORD)
    expect(page).to_have_url(path_of(site, "fr"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("details.account-menu summary")).to_contain_text(USERNAME)
    axe(page)


@pytest.fixture
def demo(site, monkeypatch):
    """The demo editions and About pages, so the lists are not empty."""
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("seed_demo")


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_render_accessibly_in_every_language(page: Page, site, demo, axe, language):
    for path in PAGES:
        response = page.goto(f"{site}/{language}/{path}")
        assert response is not None and response.status == 200, f"/{language}/{path}"
        expect(page).to_have_url(path_of(site, language, path))
        expect(page.locator("html")).to_have_attribute("lang", language)
        axe(page)
