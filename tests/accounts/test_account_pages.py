import pytest
from django.conf import settings
from django.utils import translation

LANGUAGES = [code for code, _name in settings.LANGUAGES]
MEMBER_PAGES = [
    ("accounts/profile/", "Edit profile"),
    ("accounts/email/", "E-mail addresses"),
    ("accounts/password/change/", "Password"),
    ("accounts/2fa/", "Two-factor authentication"),
    ("members/member/", "My profile"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("path", "label"), MEMBER_PAGES)
def test_account_pages_use_the_site_layout_in_every_language(
    client, member, language, path, label
):
    client.force_login(member)

    response = client.get(f"/{language}/{path}")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html
    assert 'id="main"' in html
    with translation.override(language):
        assert translation.gettext(label) in html


@pytest.mark.parametrize("language", ["fr", "es", "pt", "it"])
def test_allauth_strings_are_translated(client, db, language):
    html = client.get(f"/{language}/accounts/login/").content.decode()

    with translation.override(language):
        assert translation.gettext("Forgot your password?") != "Forgot your password?"
        assert translation.gettext("Forgot your password?") in html


def test_member_sets_up_totp_and_recovery_codes_then_opens_the_admin(
    client, make_member, password
):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        SECRET_SESSION_KEY,
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    curator = make_member("curator", is_staff=True, is_superuser=True)
    client.post("/en/accounts/login/", {"login": curator.email, "password": password})
    response = client.get("/fr/accounts/2fa/totp/activate/")
    assert response["Location"].startswith(
        "/fr/accounts/reauthenticate/"
    )  # sensitive: password again
    client.post(response["Location"], {"password": password})
    page = client.get("/fr/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert "data:image/svg+xml;base64," in page.content.decode()  # QR code made locally
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))

    response = client.post("/fr/accounts/2fa/totp/activate/", {"code": code})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=curator, type=Authenticator.Type.TOTP).exists()
    assert client.get("/en/accounts/2fa/recovery-codes/generate/").status_code == 200
    assert client.get("/admin/").status_code == 200
