import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core import mail

from academies.models import Edition, Participation
from accounts.models import DirectoryVisibility

User = get_user_model()


def test_signup_sends_a_verification_email_in_the_visitors_language(client, db, password):
    response = client.post(
        "/fr/accounts/signup/",
        {
            "email": "nadia@example.org",
            "username": "nadia",
            "password1": password,
            "password2": password,
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="nadia@example.org")
    assert user.preferred_language == "fr"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nadia@example.org"]
    assert "Confirmez votre adresse" in mail.outbox[0].subject
    assert "/fr/accounts/confirm-email/" in mail.outbox[0].body


def test_confirming_the_email_verifies_and_signs_in(client, db, password):
    client.post(
        "/en/accounts/signup/",
        {
            "email": "li@example.org",
            "username": "li",
            "password1": password,
            "password2": password,
        },
    )
    url = re.search(r"http://testserver(/en/accounts/confirm-email/\S+)", mail.outbox[0].body)[1]

    client.post(url)

    assert EmailAddress.objects.get(email="li@example.org").verified


def test_unverified_member_cannot_log_in(client, db, password):
    user = User.objects.create_user("kofi", "kofi@example.org", password)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    response = client.post("/en/accounts/login/", {"login": user.email, "password": password})

    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_login_is_by_email(client, member, password):
    response = client.post("/en/accounts/login/", {"login": member.email, "password": password})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_login_by_username_is_refused(client, member, password):
    response = client.post("/en/accounts/login/", {"login": "member", "password": password})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_password_shows_a_translated_error(client, member):
    response = client.post("/es/accounts/login/", {"login": member.email, "password": "nope"})

    assert response.status_code == 200
    assert "no son correctas" in response.content.decode()


def test_password_reset_sends_a_link(client, member):
    client.post("/en/accounts/password/reset/", {"email": member.email})

    assert len(mail.outbox) == 1
    assert "/en/accounts/password/reset/key/" in mail.outbox[0].body


def test_email_addresses_are_unique_regardless_of_case(db, make_member):
    from django.db import IntegrityError

    make_member("one", email="Same@Example.org")
    with pytest.raises(IntegrityError):
        User.objects.create_user("two", "same@example.org", "x")


def test_repeated_failed_logins_are_rate_limited(client, member, password):
    for _attempt in range(6):
        client.post("/en/accounts/login/", {"login": member.email, "password": "wrong"})

    response = client.post("/en/accounts/login/", {"login": member.email, "password": password})

    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_logout_needs_post(client, member):
    client.force_login(member)

    client.get("/en/accounts/logout/")
    assert "_auth_user_id" in client.session
    client.post("/en/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_member_edits_their_profile(client, member):
    client.force_login(member)

    response = client.post(
        "/en/accounts/profile/",
        {
            "display_name": "Amina D.",
            "country": "SN",
            "organisation": "Coop Dakar",
            "languages_spoken": ["fr", "ar"],
            "preferred_language": "fr",
            "bio": "Working on <b>savings</b> groups.",
            "directory_visibility": DirectoryVisibility.EVERYONE,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/profile/"
    member.refresh_from_db()
    assert member.languages_spoken == ["fr", "ar"]
    assert member.country.code == "SN"
    page = client.get(member.get_absolute_url()).content.decode()
    assert "&lt;b&gt;savings&lt;/b&gt;" in page


def test_profile_form_rejects_bad_input_and_keeps_the_old_values(client, member):
    client.force_login(member)

    response = client.post(
        "/en/accounts/profile/",
        {
            "display_name": "x" * 500,
            "languages_spoken": ["klingon"],
            "directory_visibility": "all",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"display_name", "languages_spoken"}
    member.refresh_from_db()
    assert member.display_name == "Amina Diallo"


def test_profile_edit_needs_a_login(client, db):
    response = client.get("/en/accounts/profile/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


class TestProfileVisibility:
    @pytest.fixture
    def edition(self, db):
        return Edition.objects.create(number=11, slug="11-madrid", city="Madrid", country="ES")

    def test_everyone_profile_is_public(self, client, make_member):
        person = make_member("open", directory_visibility=DirectoryVisibility.EVERYONE)

        assert client.get(person.get_absolute_url()).status_code == 200

    def test_members_profile_hidden_from_visitors(self, client, make_member, member):
        person = make_member("quiet", directory_visibility=DirectoryVisibility.MEMBERS)

        assert client.get(person.get_absolute_url()).status_code == 404
        client.force_login(member)
        assert client.get(person.get_absolute_url()).status_code == 200

    def test_cohort_profile_only_for_fellow_participants(self, client, make_member, edition):
        person = make_member("cohort", directory_visibility=DirectoryVisibility.COHORT)
        fellow = make_member("fellow")
        outsider = make_member("outsider")
        Participation.objects.create(user=person, edition=edition)
        Participation.objects.create(user=fellow, edition=edition)

        client.force_login(outsider)
        assert client.get(person.get_absolute_url()).status_code == 404
        client.force_login(fellow)
        assert client.get(person.get_absolute_url()).status_code == 200
        client.force_login(person)
        assert client.get(person.get_absolute_url()).status_code == 200

    def test_inactive_members_are_hidden(self, client, make_member):
        person = make_member("gone", directory_visibility=DirectoryVisibility.EVERYONE)
        person.is_active = False
        person.save()

        assert client.get(person.get_absolute_url()).status_code == 404


class TestAdminNeedsMfa:
    @pytest.fixture
    def curator(self, make_member):
        return make_member("curator", is_staff=True)

    def test_anonymous_visitors_are_sent_to_the_site_login(self, client, db):
        response = client.get("/admin/")

        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
        response = client.get(response["Location"])
        assert response["Location"].startswith("/en/accounts/login/?next=")

    def test_staff_without_mfa_are_sent_to_set_it_up(self, client, curator):
        client.force_login(curator)

        response = client.get("/admin/", follow=True)

        assert response.redirect_chain[-1][0].endswith("/accounts/2fa/")
        assert "two-factor" in response.content.decode().lower()

    def test_staff_with_mfa_open_the_admin(self, client, curator):
        Authenticator.objects.create(user=curator, type=Authenticator.Type.TOTP, data={})
        client.force_login(curator)

        assert client.get("/admin/").status_code == 200

    def test_members_who_are_not_staff_are_refused(self, client, member):
        client.force_login(member)

        assert client.get("/admin/login/").status_code == 403

    def test_login_redirect_ignores_foreign_next(self, client, curator):
        Authenticator.objects.create(user=curator, type=Authenticator.Type.TOTP, data={})
        client.force_login(curator)

        response = client.get("/admin/login/?next=https://evil.example/")

        assert response["Location"] == "/admin/"

    def test_the_development_demo_can_switch_mfa_off(self, client, curator, settings):
        settings.ADMIN_REQUIRE_MFA = False
        client.force_login(curator)

        assert client.get("/admin/").status_code == 200
