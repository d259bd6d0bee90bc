"""Enrolment by curators: a CSV file, a preview row by row, then apply (idempotent)."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from academies.enrolment import Action, CsvError, enrolment_apply, enrolment_plan, parse_csv
from academies.models import EditionInvitation, Participation
from tests.academies.factories import enrol

CSV = (
    "name,email,organisation,country,role,language\n"
    "Lucía Fernández,Lucia@Example.org,Cooperativa Tejiendo Redes,ES,participant,es\n"
    "Nadia Haddad,nadia@example.org,Cooperative Support Network,Lebanon,facilitator,fr\n"
    "Tom New,tom@example.org,,GB,,\n"
    "Broken Row,not-an-email,,Narnia,king,xx\n"
)


@pytest.fixture
def lucia(make_member):
    return make_member("lucia", email="lucia@example.org", display_name="Lucía Fernández")


def enrol_url(edition):
    return f"/admin/academies/edition/{edition.pk}/enrol/"


def upload(client, edition, content, name="people.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(enrol_url(edition), {"file": SimpleUploadedFile(name, data)})


def snapshot():
    return (
        sorted(Participation.objects.values_list("user__email", "edition_id", "role")),
        sorted(EditionInvitation.objects.values_list("email", "edition_id", "role", "token")),
    )


class TestParsing:
    def test_reads_headers_in_any_case_and_order_with_semicolons(self):
        rows = parse_csv("E-mail;Name;Organization\nA@x.org;Ana;Coop\n\n".encode("utf-8-sig"))

        assert rows == [{"line": 2, "email": "A@x.org", "name": "Ana", "organisation": "Coop"}]

    def test_windows_encoded_files_are_read(self):
        rows = parse_csv("email,name\njose@x.org,José\n".encode("cp1252"))

        assert rows[0]["name"] == "José"

    @pytest.mark.parametrize(
        "content",
        [b"", b"   \n", b"name,organisation\nAna,Coop\n", b"email\n", b"\x00\x01\x02binary",
         b"%PDF-1.7\x00\x00", b"email\n" + b"a@x.org\n" * 2001, b"\x81\x8d\x8f\x90\x9d"],
    )  # fmt: skip
    def test_unreadable_files_raise_a_clear_error(self, content):
        with pytest.raises(CsvError):
            parse_csv(content)


class TestPlan:
    def test_plan_row_by_row(self, madrid, lucia, make_member):
        enrolled = make_member("kwame", email="kwame@example.org")
        enrol(enrolled, madrid)
        rows = parse_csv((CSV + "Kwame,KWAME@example.org,,,participant,\n").encode())

        plan = enrolment_plan(edition=madrid, rows=rows)

        assert [row.action for row in plan] == [
            Action.LINK, Action.INVITE, Action.INVITE, Action.ERROR, Action.UNCHANGED,
        ]  # fmt: skip
        assert plan[0].user == lucia
        assert (
            plan[1].country == "LB" and plan[1].role == "facilitator" and plan[1].language == "fr"
        )
        assert plan[2].language == "en" and plan[2].role == "participant"
        assert len(plan[3].errors) == 4  # e-mail, country, role, language
        assert Participation.objects.count() == 1  # nothing written
        assert EditionInvitation.objects.count() == 0

    def test_an_unverified_address_is_invited_not_linked(self, madrid, db):
        """Anyone can sign up with someone else's address; only a verified one is trusted."""
        from django.contrib.auth import get_user_model

        squatter = get_user_model().objects.create_user("squatter", "lucia@example.org", "x")
        EmailAddress.objects.create(user=squatter, email=squatter.email, verified=False)

        plan = enrolment_plan(edition=madrid, rows=parse_csv(CSV.encode()))

        assert plan[0].action == Action.INVITE

    def test_duplicates_in_the_file_are_errors(self, madrid, db):
        rows = parse_csv(b"email\na@x.org\nA@X.org\n")

        plan = enrolment_plan(edition=madrid, rows=rows)

        assert [row.action for row in plan] == [Action.INVITE, Action.ERROR]

    def test_role_changes_are_shown_and_applied(self, madrid, lucia):
        enrol(lucia, madrid)
        rows = parse_csv(b"email,role\nlucia@example.org,Organizer\n")

        assert enrolment_plan(edition=madrid, rows=rows)[0].action == Action.UPDATE_ROLE
        enrolment_apply(edition=madrid, rows=rows)
        assert Participation.objects.get(user=lucia).role == "organiser"


class TestApply:
    def test_apply_links_invites_and_sends_mail_in_the_invitees_language(self, madrid, lucia):
        counts = enrolment_apply(edition=madrid, rows=parse_csv(CSV.encode()))

        assert counts[Action.LINK] == 1 and counts[Action.INVITE] == 2
        assert counts[Action.ERROR] == 1
        assert Participation.objects.get(user=lucia).edition == madrid
        nadia = EditionInvitation.objects.get(email="nadia@example.org")
        assert nadia.role == "facilitator" and nadia.language == "fr" and nadia.sent_at
        assert sorted(message.to[0] for message in mail.outbox) == [
            "nadia@example.org", "tom@example.org",
        ]  # fmt: skip
        french = next(message for message in mail.outbox if message.to == ["nadia@example.org"])
        assert "Vous êtes invité" in french.subject or "invit" in french.subject.lower()
        assert f"/fr/academy/invitations/{nadia.token}/" in french.body
        english = next(message for message in mail.outbox if message.to == ["tom@example.org"])
        assert "/en/academy/invitations/" in english.body

    def test_reimporting_the_same_file_changes_nothing(self, madrid, lucia):
        enrolment_apply(edition=madrid, rows=parse_csv(CSV.encode()))
        before, sent = snapshot(), len(mail.outbox)

        counts = enrolment_apply(edition=madrid, rows=parse_csv(CSV.encode()))

        assert snapshot() == before
        assert len(mail.outbox) == sent  # nobody is invited twice
        assert counts[Action.LINK] == counts[Action.INVITE] == 0


class TestExpiredInvitations:
    def test_reimporting_renews_an_expired_invitation_only(self, madrid):
        csv = b"name,email,role\nAna,ana@example.org,participant\nBen,ben@example.org,\n"
        enrolment_apply(edition=madrid, rows=parse_csv(csv))
        ana = EditionInvitation.objects.get(email="ana@example.org")
        ana.expires_at = timezone.now() - timedelta(days=1)
        ana.save()
        ben_before = EditionInvitation.objects.values().get(email="ben@example.org")
        mail.outbox.clear()
        rows = parse_csv(csv.replace(b"Ana,", b"Ana Lopes,"))

        plan = enrolment_plan(edition=madrid, rows=rows)
        assert [row.action for row in plan] == [Action.RENEW, Action.ALREADY_INVITED]
        counts = enrolment_apply(edition=madrid, rows=rows)

        assert counts[Action.RENEW] == 1
        renewed = EditionInvitation.objects.get(email="ana@example.org")
        assert renewed.expires_at > timezone.now() + timedelta(days=29)
        assert renewed.token == ana.token and renewed.name == "Ana Lopes"
        assert [message.to for message in mail.outbox] == [["ana@example.org"]]
        # The valid invitation is left exactly as it was.
        assert EditionInvitation.objects.values().get(email="ben@example.org") == ben_before
        # And importing once more changes nothing at all.
        before = snapshot()
        enrolment_apply(edition=madrid, rows=rows)
        assert snapshot() == before and len(mail.outbox) == 1


class TestAdmin:
    def test_curator_previews_then_applies(self, client, curator, madrid, lucia):
        client.force_login(curator)
        assert client.get(f"/admin/academies/edition/{madrid.pk}/change/").status_code == 200
        assert (
            "Enrol participants"
            in client.get(f"/admin/academies/edition/{madrid.pk}/change/").content.decode()
        )

        preview = upload(client, madrid, CSV)

        assert preview.status_code == 200
        html = preview.content.decode()
        assert "Link the existing account" in html
        assert "Invite a new person by e-mail" in html
        assert "Unknown country" in html
        assert Participation.objects.count() == 0 and not mail.outbox  # preview writes nothing
        payload = re.search(r'name="payload" value="([^"]+)"', html)[1]

        response = client.post(enrol_url(madrid), {"payload": payload})

        assert response.status_code == 302
        assert Participation.objects.filter(user=lucia, edition=madrid).exists()
        assert EditionInvitation.objects.count() == 2 and len(mail.outbox) == 2
        before = snapshot()
        client.post(enrol_url(madrid), {"payload": payload})  # applied twice
        html = upload(client, madrid, CSV).content.decode()  # and uploaded again
        assert "Already a participant: no change" in html
        assert "Already invited: no change" in html
        assert snapshot() == before and len(mail.outbox) == 2

    @pytest.mark.parametrize(
        "content", [b"", b"\x00\x00\x00", b"name\nAna\n", "x" * 2_000_000],
    )  # fmt: skip
    def test_bad_files_get_a_form_error_not_a_500(self, client, curator, madrid, content):
        client.force_login(curator)

        response = upload(client, madrid, content)

        assert response.status_code == 400
        assert response.context["upload_form"].errors

    def test_a_tampered_payload_is_refused(self, client, curator, madrid, seoul):
        client.force_login(curator)
        html = upload(client, madrid, "email\nnew@example.org\n").content.decode()
        payload = re.search(r'name="payload" value="([^"]+)"', html)[1]

        for bad in [payload[:-3] + "abc", "nonsense", ""]:
            response = client.post(enrol_url(madrid), {"payload": bad})
            assert response.status_code == 302
        # A preview of one edition cannot be applied to another.
        assert client.post(enrol_url(seoul), {"payload": payload}).status_code == 302
        assert not EditionInvitation.objects.exists()

    def test_unknown_edition_is_404(self, client, curator):
        client.force_login(curator)

        assert client.get("/admin/academies/edition/999999/enrol/").status_code == 404

    def test_staff_without_permissions_are_refused(self, client, make_member, madrid):
        from allauth.mfa.models import Authenticator

        staff = make_member("staffer", is_staff=True)
        Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
        client.force_login(staff)

        assert client.get(enrol_url(madrid)).status_code == 403
        assert upload(client, madrid, CSV).status_code == 403

    def test_members_cannot_reach_it(self, client, member, madrid):
        client.force_login(member)

        assert client.get(enrol_url(madrid)).status_code in {302, 403}
        assert upload(client, madrid, CSV).status_code in {302, 403}
        assert not EditionInvitation.objects.exists()

    def test_invitation_code_action_and_resend(self, client, curator, madrid):
        client.force_login(curator)

        client.post("/admin/academies/edition/", {"action": "create_invitation_codes",
                                                   "_selected_action": [madrid.pk]})  # fmt: skip

        madrid.refresh_from_db()
        assert madrid.invitation_code.startswith("MADRID-") and len(madrid.invitation_code) >= 16
        enrolment_apply(edition=madrid, rows=parse_csv(b"email\nnew@example.org\n"))
        invitation = EditionInvitation.objects.get()
        client.post("/admin/academies/editioninvitation/", {"action": "send_again",
                                                             "_selected_action": [invitation.pk]})  # fmt: skip
        assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "path",
    [
        "/admin/academies/edition/",
        "/admin/academies/edition/add/",
        "/admin/academies/editioninvitation/",
        "/admin/academies/editioninvitation/add/",
        "/admin/academies/participation/",
        "/admin/academies/participation/add/",
    ],
)
def test_admin_pages_open(client, curator, madrid, path):
    client.force_login(curator)

    assert client.get(path).status_code == 200


def test_an_invitation_added_in_the_admin_is_sent(client, curator, madrid):
    client.force_login(curator)

    response = client.post(
        "/admin/academies/editioninvitation/add/",
        {"edition": madrid.pk, "email": "Ana@Example.org", "role": "participant",
         "language": "es", "name": "Ana"},
    )  # fmt: skip

    assert response.status_code == 302
    invitation = EditionInvitation.objects.get()
    assert invitation.email == "ana@example.org" and invitation.invited_by == curator
    assert mail.outbox[0].to == ["ana@example.org"]
    assert f"/es/academy/invitations/{invitation.token}/" in mail.outbox[0].body
    change = client.get(f"/admin/academies/editioninvitation/{invitation.pk}/change/")
    assert invitation.token in change.content.decode()  # the link, to pass on by hand


class TestInvitationAdmin:
    @pytest.fixture
    def invitations(self, madrid, make_member):
        enrolment_apply(edition=madrid, rows=parse_csv(
            b"email\nold@example.org\nfresh@example.org\ntaken@example.org\n"))  # fmt: skip
        EditionInvitation.objects.filter(email="old@example.org").update(
            expires_at=timezone.now() - timedelta(days=3)
        )
        taken = EditionInvitation.objects.get(email="taken@example.org")
        taken.accepted_at, taken.accepted_by = timezone.now(), make_member("taken")
        taken.save()
        mail.outbox.clear()
        return {i.email.split("@")[0]: i for i in EditionInvitation.objects.all()}

    def test_the_list_shows_expiry_and_filters_by_state(self, client, curator, invitations):
        client.force_login(curator)
        url = "/admin/academies/editioninvitation/"

        html = client.get(url).content.decode()
        assert "Valid until" in html and "Expired" in html and "Waiting for an answer" in html

        def emails(state):
            response = client.get(f"{url}?state={state}")
            return {i.email for i in response.context["cl"].result_list}

        assert emails("expired") == {"old@example.org"}
        assert emails("valid") == {"fresh@example.org"}
        assert emails("accepted") == {"taken@example.org"}

    def test_renew_resets_the_expiry_and_sends_again(self, client, curator, invitations):
        client.force_login(curator)
        old = invitations["old"]
        assert client.get(f"/en/academy/invitations/{old.token}/").status_code == 410

        response = client.post("/admin/academies/editioninvitation/", {
            "action": "send_again",
            "_selected_action": [old.pk, invitations["taken"].pk]}, follow=True)  # fmt: skip

        assert "renewed until" in response.content.decode()
        old.refresh_from_db()
        assert old.expires_at > timezone.now() + timedelta(days=29)
        assert [message.to for message in mail.outbox] == [["old@example.org"]]
        client.logout()
        assert client.get(f"/en/academy/invitations/{old.token}/").status_code == 302
        taken = EditionInvitation.objects.get(pk=invitations["taken"].pk)
        assert taken.expires_at == invitations["taken"].expires_at  # accepted: left alone

    def test_a_new_code_drops_a_past_expiry_date(self, client, curator, madrid):
        madrid.invitation_code = "MADRID-OLDCO-DE234"
        madrid.invitation_code_expires = timezone.localdate() - timedelta(days=2)
        madrid.save()
        client.force_login(curator)

        client.post("/admin/academies/edition/", {"action": "create_invitation_codes",
                                                   "_selected_action": [madrid.pk]})  # fmt: skip

        madrid.refresh_from_db()
        assert madrid.invitation_code != "MADRID-OLDCO-DE234"
        assert madrid.invitation_code_expires is None and madrid.has_invitation_code
