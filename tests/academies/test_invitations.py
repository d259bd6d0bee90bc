"""Invitations by e-mail (token link → sign-up → participation) and invitation codes."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import formats, timezone, translation

from academies.enrolment import enrolment_apply, parse_csv
from academies.models import EditionInvitation, Participation
from academies.services import invitations_accept_for_email
from tests.academies.factories import enrol


@pytest.fixture
def invitation(madrid):
    enrolment_apply(
        edition=madrid,
        rows=parse_csv(
            b"name,email,organisation,country,role,language\n"
            b"Nadia Haddad,nadia@example.org,Cooperative Support Network,LB,facilitator,fr\n"
        ),
    )
    mail.outbox.clear()
    return EditionInvitation.objects.get()


def invitation_path(invitation, language="en"):
    return f"/{language}/academy/invitations/{invitation.token}/"


class TestInvitationLink:
    def test_the_email_carries_the_link_in_the_invitees_language(self, madrid):
        enrolment_apply(edition=madrid, rows=parse_csv(b"email,language\nana@example.org,pt-BR\n"))

        message = mail.outbox[0]
        invitation = EditionInvitation.objects.get()
        assert message.to == ["ana@example.org"]
        assert message.extra_headers["Content-Language"] == "pt"
        assert f"/pt/academy/invitations/{invitation.token}/" in message.body
        with translation.override("pt"):
            assert str(madrid) in message.subject  # the edition's name in Portuguese

    def test_a_visitor_is_sent_to_sign_up_with_the_invited_address(self, client, invitation):
        response = client.get(invitation_path(invitation))

        assert response.status_code == 302
        url = urlparse(response["Location"])
        assert url.path == "/en/accounts/signup/"
        query = parse_qs(url.query)
        assert query["email"] == ["nadia@example.org"]
        assert query["next"] == [invitation_path(invitation)]

    def test_sign_up_verify_and_land_in_the_edition(self, client, invitation, password, madrid):
        signup_url = client.get(invitation_path(invitation))["Location"]
        form = client.get(signup_url)
        assert 'value="nadia@example.org"' in form.content.decode()  # prefilled
        # The form carries the way back to the invitation through sign-up and verification.
        assert f'name="next" value="{invitation_path(invitation)}"' in form.content.decode()

        client.post(signup_url, {"email": "nadia@example.org", "username": "nadia",
                                 "password1": password, "password2": password,
                                 "next": invitation_path(invitation)})  # fmt: skip
        confirm = re.search(
            r"http://testserver(/en/accounts/confirm-email/\S+)", mail.outbox[-1].body
        )[1]
        response = client.post(confirm, follow=True)

        assert response.redirect_chain[-1][0] == "/en/academy/11-madrid/"
        assert response.context["is_participant"] is True
        participation = Participation.objects.get(user__username="nadia", edition=madrid)
        assert participation.role == "facilitator"
        invitation.refresh_from_db()
        assert invitation.accepted_by == participation.user
        # What the curators knew fills the empty profile fields.
        assert participation.user.display_name == "Nadia Haddad"
        assert participation.user.country.code == "LB"
        # The edition's people, and the directory, are now open.
        assert "Nadia Haddad" in response.content.decode()
        assert client.get("/en/academy/participants/").status_code == 200

    def test_confirming_the_address_elsewhere_accepts_the_invitation_too(
        self, client, invitation, password, madrid
    ):
        client.post("/en/accounts/signup/", {"email": "nadia@example.org", "username": "nadia",
                                             "password1": password, "password2": password})  # fmt: skip
        confirm = re.search(
            r"http://testserver(/en/accounts/confirm-email/\S+)", mail.outbox[-1].body
        )[1]
        client.logout()
        client.cookies.clear()

        client.post(confirm)  # another browser, without the "next" of the invitation

        assert Participation.objects.filter(user__username="nadia", edition=madrid).exists()

    def test_signed_in_with_the_invited_verified_address(self, client, invitation, make_member,
                                                         madrid):  # fmt: skip
        nadia = make_member("nadia", email="Nadia@Example.org", display_name="N. H.")
        client.force_login(nadia)

        response = client.get(invitation_path(invitation))

        assert response.status_code == 302 and response["Location"] == "/en/academy/11-madrid/"
        assert Participation.objects.filter(user=nadia, edition=madrid).exists()
        nadia.refresh_from_db()
        assert nadia.display_name == "N. H."  # a member's own profile is never overwritten
        # Following the link again simply leads to the edition.
        assert client.get(invitation_path(invitation))["Location"] == "/en/academy/11-madrid/"

    def test_someone_else_signed_in_cannot_use_it(self, client, invitation, member):
        client.force_login(member)

        response = client.get(invitation_path(invitation))

        assert response.status_code == 403
        assert "nadia@example.org" not in response.content.decode()  # masked
        assert not Participation.objects.exists()

    def test_an_unverified_address_is_not_enough(self, client, invitation, db):
        from django.contrib.auth import get_user_model

        squatter = get_user_model().objects.create_user("squat", "nadia@example.org", "x")
        EmailAddress.objects.create(user=squatter, email="nadia@example.org", verified=False)
        client.force_login(squatter)

        response = client.get(invitation_path(invitation))

        assert response.status_code == 403
        assert not Participation.objects.exists()

    def test_an_existing_account_is_sent_to_sign_in(self, client, invitation, make_member):
        make_member("nadia", email="nadia@example.org")

        response = client.get(invitation_path(invitation))

        assert response["Location"].startswith("/en/accounts/login/?next=")

    @pytest.mark.parametrize("token", ["nope", "x" * 500, "%00", "..%2F..%2Fetc"])
    def test_unknown_tokens_are_404(self, client, db, token):
        assert client.get(f"/en/academy/invitations/{token}/").status_code == 404

    def test_a_used_invitation_cannot_be_used_by_someone_else(self, client, invitation,
                                                              make_member, member):  # fmt: skip
        client.force_login(make_member("nadia", email="nadia@example.org"))
        client.get(invitation_path(invitation))
        client.force_login(member)

        assert client.get(invitation_path(invitation)).status_code == 410
        assert not Participation.objects.filter(user=member).exists()


def expire(invitation):
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save(update_fields=["expires_at"])


class TestInvitationExpiry:
    def test_an_invitation_is_valid_for_the_configured_days(self, madrid, settings):
        settings.ACADEMY_INVITATION_DAYS = 7

        enrolment_apply(edition=madrid, rows=parse_csv(b"email,language\nana@example.org,fr\n"))

        invitation = EditionInvitation.objects.get()
        valid_for = invitation.expires_at - invitation.created_at
        assert abs(valid_for - timedelta(days=7)) < timedelta(minutes=1)
        with translation.override("fr"):
            expected = formats.date_format(invitation.expires_at, "DATE_FORMAT")
        assert expected in mail.outbox[0].body  # the date, in French, in the French e-mail

    def test_the_default_is_thirty_days(self, invitation):
        valid_for = invitation.expires_at - invitation.created_at

        assert abs(valid_for - timedelta(days=30)) < timedelta(minutes=1)

    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_an_expired_link_is_refused_with_a_translated_410(self, client, invitation,
                                                              language):  # fmt: skip
        expire(invitation)

        response = client.get(invitation_path(invitation, language))

        assert response.status_code == 410
        assert f'lang="{language}"' in response.content.decode()
        assert response.context["reason"] == "expired"
        if language == "en":
            assert "Ask the organisers of the edition for a new invitation" in (
                response.content.decode()
            )

    def test_even_the_invited_address_cannot_use_an_expired_link(self, client, invitation,
                                                                 make_member, madrid):  # fmt: skip
        nadia = make_member("nadia", email="nadia@example.org")
        expire(invitation)
        client.force_login(nadia)

        assert client.get(invitation_path(invitation)).status_code == 410
        assert not Participation.objects.exists()
        invitations_accept_for_email(user=nadia, email="nadia@example.org")  # on verification
        assert not Participation.objects.exists()
        invitation.refresh_from_db()
        assert invitation.accepted_at is None

    def test_a_link_valid_until_the_last_moment_still_works(self, client, invitation,
                                                           make_member, madrid):  # fmt: skip
        invitation.expires_at = timezone.now() + timedelta(minutes=1)
        invitation.save()
        client.force_login(make_member("nadia", email="nadia@example.org"))

        assert client.get(invitation_path(invitation))["Location"] == "/en/academy/11-madrid/"

    def test_an_accepted_invitation_still_leads_its_member_in_after_expiry(
        self, client, invitation, make_member
    ):
        client.force_login(make_member("nadia", email="nadia@example.org"))
        client.get(invitation_path(invitation))
        expire(invitation)

        assert client.get(invitation_path(invitation))["Location"] == "/en/academy/11-madrid/"


class TestInvitationCode:
    CODE = "MADRID-ABCDE-23456"

    @pytest.fixture
    def coded(self, madrid):
        madrid.invitation_code = self.CODE
        madrid.save()
        return madrid

    def test_form_shown_to_signed_in_non_participants_only(self, client, coded, member,
                                                           make_member):  # fmt: skip
        assert "Join this edition" not in client.get("/en/academy/11-madrid/").content.decode()
        client.force_login(member)
        html = client.get("/en/academy/11-madrid/").content.decode()
        assert "Join this edition" in html
        assert self.CODE not in html  # the code itself is never shown
        participant = make_member("p")
        enrol(participant, coded)
        client.force_login(participant)
        assert "Join this edition" not in client.get("/en/academy/11-madrid/").content.decode()

    def test_redeeming_the_code(self, client, coded, member):
        client.force_login(member)

        response = client.post("/en/academy/11-madrid/join/", {"code": " madrid-abcde-23456 "})

        assert response.status_code == 302 and response["Location"] == "/en/academy/11-madrid/"
        assert Participation.objects.get(user=member).role == "participant"
        again = client.post("/en/academy/11-madrid/join/", {"code": self.CODE})
        assert again.status_code == 302 and Participation.objects.count() == 1

    def test_wrong_codes_are_refused_then_rate_limited(self, client, coded, member, seoul):
        seoul.invitation_code = "SEOUL-ZZZZZ-99999"
        seoul.save()
        client.force_login(member)

        assert (
            client.post("/en/academy/11-madrid/join/", {"code": "SEOUL-ZZZZZ-99999"}).status_code
            == 400
        )
        assert client.post("/en/academy/11-madrid/join/", {"code": ""}).status_code == 400
        assert client.post("/en/academy/11-madrid/join/", {"code": "x" * 500}).status_code == 400
        for _attempt in range(10):
            client.post("/en/academy/11-madrid/join/", {"code": "WRONG-CODE"})
        response = client.post("/en/academy/11-madrid/join/", {"code": self.CODE})

        assert response.status_code == 429
        assert not Participation.objects.exists()

    def test_editions_without_a_code_accept_none(self, client, madrid, member):
        client.force_login(member)

        assert client.post("/en/academy/11-madrid/join/", {"code": ""}).status_code == 400
        assert (
            client.post("/en/academy/11-madrid/join/", {"code": "ANYTHING-1"}).status_code == 400
        )
        assert not Participation.objects.exists()

    def test_visitors_must_sign_in(self, client, coded):
        response = client.post("/en/academy/11-madrid/join/", {"code": self.CODE})

        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert client.get("/en/academy/11-madrid/join/").status_code == 302

    def test_unknown_edition_is_404(self, client, member):
        client.force_login(member)

        assert client.post("/en/academy/nowhere/join/", {"code": "X"}).status_code == 404

    def test_an_expired_code_is_refused_clearly(self, client, coded, member):
        coded.invitation_code_expires = timezone.localdate() - timedelta(days=1)
        coded.save()
        client.force_login(member)

        assert "Join this edition" not in client.get("/en/academy/11-madrid/").content.decode()
        response = client.post("/en/academy/11-madrid/join/", {"code": self.CODE})

        assert response.status_code == 410
        assert "no longer valid" in response.content.decode()
        assert not Participation.objects.exists()

    def test_a_code_works_until_its_last_day(self, client, coded, member):
        coded.invitation_code_expires = timezone.localdate()
        coded.save()
        client.force_login(member)

        assert "can be used until" in client.get("/en/academy/11-madrid/").content.decode()
        response = client.post("/en/academy/11-madrid/join/", {"code": self.CODE})

        assert response.status_code == 302
        assert Participation.objects.filter(user=member, edition=coded).exists()
