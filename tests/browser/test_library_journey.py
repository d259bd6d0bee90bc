"""Issue journey: a curator with MFA adds a bilingual publication in the admin and publishes
it; a visitor finds it by a word only in the French PDF, narrows by language and downloads
the French file."""

import re
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from publications.models import LanguageVersion, Publication
from publications.pdf import make_pdf
from tests.browser.conftest import assert_accessible
from tests.publications.factories import make_type

PASSWORD = "curating-with-care-2026"
FRENCH_ONLY_WORD = "mutualistes"


def curator_with_totp():
    user = get_user_model().objects.create_user(
        "curator", "curator@example.org", PASSWORD, is_staff=True, is_superuser=True
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def test_curator_adds_a_bilingual_publication_and_a_visitor_finds_the_french_file(
    page, site, tmp_path
):
    make_type(slug="report", name_en="Report")
    curator, secret = curator_with_totp()
    english_pdf = tmp_path / "english.pdf"
    english_pdf.write_bytes(
        make_pdf("Savings groups", ["Savings groups help members build assets together."])
    )
    french_pdf = tmp_path / "french.pdf"
    french_pdf.write_bytes(
        make_pdf(
            "Groupes d'épargne",
            [f"Les sociétés {FRENCH_ONLY_WORD} protègent leurs membres contre les risques."],
            language="fr",
        )
    )

    # The curator signs in through the site's login with a one-time code, then opens the admin.
    page.goto(f"{site}/admin/")
    expect(page).to_have_url(re.compile(r"/en/accounts/login/"))
    page.get_by_label("Email").fill(curator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    page.locator("input[name=code]").fill(code)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(f"{site}/admin/publications/publication/add/")
    page.locator("#id_title_en").fill("Savings groups and mutual societies")
    page.evaluate(
        """typeId => {
            const select = document.getElementById('id_type');
            select.add(new Option('Report', typeId, true, true));
        }""",
        str(make_type(slug="report").pk),
    )
    page.locator("#id_status").select_option("published")
    page.locator("#id_publication_date").fill("2026-11-01")
    page.locator("#id_versions-0-language").select_option("en")
    page.locator("#id_versions-0-file").set_input_files(str(english_pdf))
    page.locator("#versions-group .add-row a").click()
    page.locator("#id_versions-1-language").select_option("fr")
    page.locator("#id_versions-1-file").set_input_files(str(french_pdf))
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    publication = Publication.objects.get(title_en="Savings groups and mutual societies")
    assert publication.is_public
    assert set(publication.versions.values_list("language", flat=True)) == {"en", "fr"}
    assert LanguageVersion.objects.get(publication=publication, language="fr").text

    # A visitor searches a word that occurs only inside the French PDF.
    page.context.clear_cookies()
    page.goto(f"{site}/en/library/?q={FRENCH_ONLY_WORD}")
    expect(page.locator("main")).to_contain_text("Savings groups and mutual societies")
    assert_accessible(page)
    page.locator("#facet-language-fr").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"language=fr"))
    page.get_by_role("link", name="Savings groups and mutual societies").first.click()
    expect(page).to_have_url(re.compile(rf"/en/library/{publication.slug}/"))
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.locator("a[href$='/download/fr/']").first.click()
    download = download_info.value
    assert download.suggested_filename == f"{publication.slug}-fr.pdf"
    assert Path(download.path()).read_bytes() == french_pdf.read_bytes()
    assert LanguageVersion.objects.get(publication=publication, language="fr").download_count == 1
