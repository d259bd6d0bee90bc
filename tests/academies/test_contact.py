"""Writing to a member through the platform: no address leaks, rate-limited, visibility."""

import pytest
from django.core import mail

from accounts.models import DirectoryVisibility


@pytest.fixture
def sender(make_member):
    return make_member("sender", email="sender-private@example.org", display_name="Sam Sender")


@pytest.fixture
def recipient(make_member):
    return make_member("reader", email="reader-private@example.org", display_name="Rita Reader",
                       preferred_language="fr")  # fmt: skip


def contact(client, username="reader", **data):
    data.setdefault("subject", "Cooperative housing")
    data.setdefault("message", "Hello, could we talk about your project?")
    return client.post(f"/en/members/{username}/contact/", data)


def test_visitors_must_sign_in(client, recipient):
    response = client.get("/en/members/reader/contact/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert contact(client).status_code == 302 and not mail.outbox


def test_message_is_sent_without_revealing_either_address(client, sender, recipient):
    client.force_login(sender)
    page = client.get("/en/members/reader/contact/")
    assert page.status_code == 200 and "reader-private@example.org" not in page.content.decode()

    response = contact(client)

    assert response.status_code == 302 and response["Location"] == "/en/members/reader/"
    message = mail.outbox[0]
    assert message.to == ["reader-private@example.org"]
    assert message.reply_to == []
    everything = f"{message.subject}{message.body}{message.from_email}{message.extra_headers}"
    assert "sender-private@example.org" not in everything
    assert "Hello, could we talk about your project?" in message.body
    assert "Sam Sender" in message.subject
    assert "/fr/members/sender/" in message.body  # in the recipient's language
    assert message.extra_headers["Content-Language"] == "fr"
    followed = client.get(response["Location"]).content.decode()
    assert "reader-private@example.org" not in followed


def test_reply_to_only_when_the_sender_agrees(client, sender, recipient):
    client.force_login(sender)

    contact(client, share_email="on")

    assert mail.outbox[0].reply_to == ["sender-private@example.org"]


def test_subject_cannot_inject_headers(client, sender, recipient):
    client.force_login(sender)

    contact(client, subject="Hi\r\nBcc: victim@example.org")

    assert "\n" not in mail.outbox[0].subject
    assert mail.outbox[0].bcc == []


def test_rate_limit_five_messages_an_hour(client, sender, recipient):
    client.force_login(sender)

    statuses = [contact(client).status_code for _message in range(6)]

    assert statuses == [302] * 5 + [429]
    assert len(mail.outbox) == 5
    assert "many messages" in client.get("/en/members/reader/contact/").content.decode()


@pytest.mark.parametrize(
    "data",
    [{"subject": "", "message": "x"}, {"subject": "x", "message": ""},
     {"subject": "x" * 500, "message": "x"}, {"subject": "x", "message": "x" * 6000},
     {"subject": "x\x00", "message": "y"}],
)  # fmt: skip
def test_bad_input_is_refused_clearly(client, sender, recipient, data):
    client.force_login(sender)

    assert contact(client, **data).status_code == 400
    assert not mail.outbox


def test_only_visible_members_can_be_contacted(client, sender, make_member):
    make_member("cohortonly", directory_visibility=DirectoryVisibility.COHORT)
    gone = make_member("gone")
    gone.is_active = False
    gone.save()
    client.force_login(sender)

    for username in ["cohortonly", "gone", "nobody", "sender", "a%00b"]:
        assert client.get(f"/en/members/{username}/contact/").status_code == 404
        assert contact(client, username).status_code == 404
    assert not mail.outbox


def test_profile_offers_the_contact_form_to_members_only(client, sender, recipient):
    recipient.directory_visibility = DirectoryVisibility.EVERYONE
    recipient.save()

    assert "/contact/" not in client.get("/en/members/reader/").content.decode()
    client.force_login(sender)
    assert "/en/members/reader/contact/" in client.get("/en/members/reader/").content.decode()
    client.force_login(recipient)
    assert "/contact/" not in client.get("/en/members/reader/").content.decode()


def test_odd_profile_urls_are_404(client, sender):
    client.force_login(sender)

    assert client.get("/en/members/%00/").status_code == 404
