"""End to end in Chromium: a curator enrols people from a CSV file, an invitee follows the
e-mailed link, signs up and lands in the edition, finds a fellow participant in the
directory; a member outside the edition sees neither. (The cohort forum space comes with the
forum.)"""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from academies.models import Participation
from accounts.models import DirectoryVisibility
from forum.models import Access, Category
from tests.academies.factories import enrol, make_edition

pytestmark = pytest.mark.browser

PASSWORD = "a-Long-browser-passphrase-42"


def sign_in(page, base, email, password=PASSWORD):
    page.goto(f"{base}/en/accounts/login/")
    form = page.locator("main form")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    expect(page.locator("details.account-menu")).to_have_count(1)


@pytest.fixture
def people(site, make_member, settings):
    settings.ADMIN_REQUIRE_MFA = False  # the MFA gate has its own tests
    madrid = make_edition("Madrid", "ES", number=11, slug="11-madrid")
    curator = make_member("joana", email="joana@example.org", is_staff=True, is_superuser=True)
    fellow = make_member("kwame", email="kwame@example.org", display_name="Kwame Mensah",
                         organisation="Ghana Cooperative Council", country="GH",
                         directory_visibility=DirectoryVisibility.COHORT)  # fmt: skip
    outsider = make_member("outsider", email="outsider@example.org")
    enrol(outsider, make_edition("Seoul", "KR", number=8, slug="8-seoul"))
    for user in (curator, fellow, outsider):
        user.set_password(PASSWORD)
        user.save()
    cohort = Category.objects.create(
        slug="madrid-cohort", name_en="Madrid 2026 cohort", access=Access.COHORT, order=1
    )
    cohort.editions.add(madrid)
    return {"madrid": madrid, "fellow": fellow}


def test_enrol_invite_sign_up_and_find_a_fellow(page: Page, browser, site, people, axe,
                                                tmp_path: Path):  # fmt: skip
    # A curator imports a CSV file for the edition, previews it, applies it.
    sign_in(page, site, "joana@example.org")
    page.goto(f"{site}/admin/academies/edition/{people['madrid'].pk}/change/")
    page.get_by_role("link", name="Enrol participants from a CSV file").click()
    csv_file = tmp_path / "madrid.csv"
    csv_file.write_text(
        "name,email,organisation,country,role,language\n"
        "Kwame Mensah,kwame@example.org,Ghana Cooperative Council,GH,facilitator,en\n"
        "Nadia Haddad,nadia@example.org,Cooperative Support Network,LB,participant,fr\n",
        encoding="utf-8",
    )
    page.locator("input[type=file]").set_input_files(str(csv_file))
    page.locator("input[type=submit]").click()
    expect(page.locator("table.enrolment-preview")).to_contain_text("Link the existing account")
    expect(page.locator("table.enrolment-preview")).to_contain_text("Invite a new person")
    page.locator("input[type=submit][value=Apply]").click()
    expect(page.locator(".messagelist")).to_contain_text("1 accounts linked, 1 people invited")

    # The invitee follows the e-mailed link (in French), signs up and confirms the address.
    invitation = next(message for message in mail.outbox if message.to == ["nadia@example.org"])
    path = re.search(r"https?://[^/\s]+(/fr/academy/invitations/\S+/)", invitation.body)[1]
    invitee = browser.new_context().new_page()
    invitee.goto(f"{site}{path}")
    expect(invitee).to_have_url(re.compile(r"/fr/accounts/signup/\?"))
    form = invitee.locator("main form")
    expect(form.locator("input[name=email]")).to_have_value("nadia@example.org")
    form.locator("input[name=username]").fill("nadia")
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["nadia@example.org"]
    link = re.search(rf"{re.escape(site)}/\S*/accounts/confirm-email/\S+/", confirmation.body)
    invitee.goto(link.group(0))
    invitee.locator("main form button[type=submit]").click()

    # …and lands on the edition's page as a participant, among its people.
    expect(invitee).to_have_url(f"{site}/fr/academy/11-madrid/")
    expect(invitee.locator("#participants")).to_contain_text("Kwame Mensah")
    assert Participation.objects.filter(user__username="nadia", edition=people["madrid"]).exists()
    axe(invitee)

    # Her edition's cohort space opens in the forum.
    invitee.goto(f"{site}/en/forum/")
    expect(invitee.locator("main")).to_contain_text("Madrid 2026 cohort")
    axe(invitee)

    # She finds her fellow participant in the directory.
    invitee.goto(f"{site}/en/academy/participants/")
    invitee.get_by_label("Name or organisation").fill("Ghana")
    invitee.get_by_role("button", name="Search", exact=True).last.click()
    expect(invitee.locator(".academy-people")).to_contain_text("Kwame Mensah")
    axe(invitee)

    # A participant of another edition sees neither Madrid's people nor, in the directory,
    # a fellow who shows their profile to their own cohorts only.
    outsider = browser.new_context().new_page()
    sign_in(outsider, site, "outsider@example.org")
    outsider.goto(f"{site}/en/academy/11-madrid/")
    expect(outsider.locator("#participants")).not_to_contain_text("Kwame Mensah")
    expect(outsider.locator("#participants")).not_to_contain_text("Nadia")
    outsider.goto(f"{site}/en/academy/participants/?q=Ghana")
    expect(outsider.locator("main")).not_to_contain_text("Kwame Mensah")
    assert outsider.goto(f"{site}/en/members/kwame/").status == 404
    outsider.goto(f"{site}/en/forum/")
    expect(outsider.locator("main")).not_to_contain_text("Madrid 2026 cohort")
    assert outsider.goto(f"{site}/en/forum/madrid-cohort/").status == 404
    axe(outsider)
