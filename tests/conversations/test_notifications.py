"""Notifying like a topic: header counters, e-mails by the forum preference, the digest."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conversations import services
from conversations.context_processors import header_counts
from forum.models import EmailMode, EmailPreference, Notification
from forum.notify_email import preference_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailed(django_capture_on_commit_callbacks):
    """Run the on-commit e-mail queueing (tasks run immediately in tests)."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def test_header_shows_unread_counts(client, alice, bruno, make_conversation):
    make_conversation(alice, bruno, subject="One")
    make_conversation(alice, bruno, subject="Two")
    client.force_login(bruno)
    html = client.get("/en/library/").content.decode()
    assert 'href="/en/forum/conversations/"' in html
    assert '2<span class="visually-hidden"> unread conversations</span>' in html
    client.force_login(alice)
    html = client.get("/en/library/").content.decode()
    assert 'href="/en/forum/conversations/"' in html
    assert "unread conversation" not in html


def test_header_counts_forum_notifications_too(client, alice, bruno):
    from forum import services as forum_services
    from forum.models import Category

    category = Category.objects.create(slug="welcome", name_en="Welcome")
    topic = forum_services.topic_create(
        category=category, author=alice, title="Hello all", body="Hi", language="en"
    )
    forum_services.post_create(topic=topic, author=bruno, body="Hi @alice", language="en")
    client.force_login(alice)
    html = client.get("/en/library/").content.decode()
    assert '1<span class="visually-hidden"> unread</span>' in html


def test_header_counts_cost_one_query_and_none_for_visitors(alice, bruno, make_conversation):
    from django.contrib.auth.models import AnonymousUser

    for number in range(5):
        make_conversation(alice, bruno, subject=f"Subject {number}")
    request = RequestFactory().get("/")
    request.user = bruno
    with CaptureQueriesContext(connection) as queries:
        counts = header_counts(request)["header_counts"]
        assert counts.conversations == 5
        assert counts.notifications == 0
        assert header_counts(request)["header_counts"].conversations == 5  # cached per request
    assert len(queries) == 1

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        assert header_counts(request) == {}
    assert len(queries) == 0


def test_visitors_see_no_counters(client, alice, bruno, make_conversation):
    make_conversation(alice, bruno)
    html = client.get("/en/library/").content.decode()
    assert "/forum/conversations/" not in html


def test_immediate_email_in_the_recipients_language(alice, bruno, mailed):
    mail.outbox.clear()
    conversation = mailed(
        services.conversation_start,
        author=alice,
        recipients=[bruno],
        subject="Secret plans",
        body="Very private words",
        language="en",
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bruno@example.org"]
    assert "Alice Martin" in message.subject and "Secret plans" in message.subject
    assert "Very private words" not in message.body  # a link, never the text
    first = conversation.messages.get()
    assert f"/pt/forum/conversations/m/{first.pk}/" in message.body  # Bruno reads Portuguese
    token = EmailPreference.objects.get(user=bruno).token
    assert f"/pt/forum/unsubscribe/{token}/" in message.body
    assert token in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    mail.outbox.clear()
    mailed(
        services.message_send, conversation=conversation, author=bruno, body="Reply", language="pt"
    )
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "/en/forum/conversations/m/" in mail.outbox[0].body


def test_unsubscribe_link_stops_conversation_emails(client, alice, bruno, conversation, mailed):
    token = preference_for(bruno).token
    assert client.post(reverse("forum:unsubscribe", args=[token])).status_code == 200
    mail.outbox.clear()
    mailed(
        services.message_send, conversation=conversation, author=alice, body="Hi", language="en"
    )
    assert mail.outbox == []


def test_no_email_when_off_nor_after_leaving(alice, bruno, carla, make_conversation, mailed):
    EmailPreference.objects.create(user=carla, mode=EmailMode.OFF)
    conversation = make_conversation(alice, bruno, carla)
    services.member_leave(conversation=conversation, user=bruno)
    mail.outbox.clear()
    mailed(
        services.message_send, conversation=conversation, author=alice, body="Hi", language="en"
    )
    assert mail.outbox == []
    # No in-app counter for those who left either.
    from conversations.models import Membership

    assert not Membership.objects.unread().filter(user=bruno).exists()
    assert Membership.objects.unread().filter(user=carla).exists()


def test_added_member_is_told(alice, bruno, carla, conversation, mailed):
    mail.outbox.clear()
    mailed(services.member_add, conversation=conversation, user=carla, added_by=alice)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["carla@example.org"]
    assert "added you" in mail.outbox[0].subject
    from conversations.models import Membership

    assert Membership.objects.get(conversation=conversation, user=carla).unread_count == 1


def test_daily_digest_lists_unread_conversations_once(alice, bruno, make_conversation, mailed):
    EmailPreference.objects.create(user=bruno, mode=EmailMode.DAILY)
    mail.outbox.clear()
    conversation = mailed(
        services.conversation_start,
        author=alice,
        recipients=[bruno],
        subject="Digest me",
        body="Words",
        language="en",
    )
    mailed(
        services.message_send, conversation=conversation, author=alice, body="More", language="en"
    )
    assert mail.outbox == []  # digest members get no immediate e-mail
    call_command("forum_digest")
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["bruno@example.org"]
    # In Bruno's language (Portuguese).
    assert "1 conversa privada com mensagens por ler" in digest.subject
    assert "«Digest me»: 2 mensagens por ler" in digest.body
    assert f"/pt/forum/conversations/{conversation.pk}/unread/" in digest.body
    assert "Words" not in digest.body
    assert "/pt/forum/unsubscribe/" in digest.body
    call_command("forum_digest")
    assert len(mail.outbox) == 1  # nothing new since the last digest


def test_digest_skips_conversations_already_read_or_left(alice, bruno, carla, make_conversation):
    for user in (bruno, carla):
        EmailPreference.objects.create(
            user=user,
            mode=EmailMode.DAILY,
            last_digest_at=timezone.now() - datetime.timedelta(hours=1),
        )
    conversation = make_conversation(alice, bruno, carla)
    services.mark_read(conversation=conversation, user=bruno, number=1)
    services.member_leave(conversation=conversation, user=carla)
    mail.outbox.clear()
    call_command("forum_digest")
    assert mail.outbox == []


def test_forum_notifications_and_conversations_share_one_digest(alice, bruno, make_conversation):
    from forum import services as forum_services
    from forum.models import Category

    EmailPreference.objects.create(user=bruno, mode=EmailMode.DAILY)
    category = Category.objects.create(slug="welcome", name_en="Welcome")
    topic = forum_services.topic_create(
        category=category, author=bruno, title="Open topic", body="Hi", language="en"
    )
    forum_services.post_create(topic=topic, author=alice, body="Reply", language="en")
    assert Notification.objects.filter(recipient=bruno).exists()
    make_conversation(alice, bruno, subject="Private one")
    mail.outbox.clear()
    call_command("forum_digest")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Open topic" in body and "«Private one»: 1 mensagem por ler" in body
