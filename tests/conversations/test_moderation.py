"""Moderators reach a conversation only through a member's report."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from conversations import services
from conversations.models import Message, MessageReport, ModerationLog, ReportStatus
from conversations.views import REPORT_CONTEXT

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_conversation(alice, bruno, make_conversation):
    return make_conversation(alice, bruno, replies=20)


def _report(client, reporter, message, reason="Insults in this message"):
    client.force_login(reporter)
    return client.post(reverse("conversations:report", args=[message.pk]), {"reason": reason})


def test_a_member_reports_a_message(client, bruno, long_conversation):
    message = long_conversation.messages.get(number=10)
    client.force_login(bruno)
    form = client.get(reverse("conversations:report", args=[message.pk]))
    assert "nothing else of the conversation" in form.content.decode()
    empty = client.post(reverse("conversations:report", args=[message.pk]), {"reason": ""})
    assert empty.status_code == 400
    assert "Tell the moderators why" in empty.content.decode()
    response = _report(client, bruno, message)
    assert response.status_code == 302
    report = MessageReport.objects.get()
    assert report.message == message and report.reporter == bruno
    assert report.status == ReportStatus.OPEN


def test_moderator_sees_the_message_and_its_surroundings_only_via_the_report(
    client, alice, bruno, moderator, long_conversation
):
    reported = long_conversation.messages.get(number=10)
    _report(client, bruno, reported)
    report = MessageReport.objects.get()
    client.force_login(moderator)
    # The conversation itself stays closed to the moderator.
    assert client.get(long_conversation.get_absolute_url()).status_code == 404
    assert client.get(reverse("conversations:message", args=[reported.pk])).status_code == 404

    queue = client.get(reverse("conversations:moderation"))
    assert queue.status_code == 200
    assert reverse("conversations:report_detail", args=[report.pk]) in queue.content.decode()

    page = client.get(reverse("conversations:report_detail", args=[report.pk]))
    assert page.status_code == 200
    numbers = [message.number for message in page.context["around"]]
    assert numbers == list(range(10 - REPORT_CONTEXT, 10 + REPORT_CONTEXT + 1))
    html = page.content.decode()
    assert "Insults in this message" in html
    assert "Reply 1<" not in html  # message #2 is outside the window
    assert long_conversation.subject not in html
    assert f'action="{reverse("conversations:reply", args=[long_conversation.pk])}"' not in html


def test_non_moderators_cannot_see_reports(client, alice, bruno, carla, long_conversation):
    _report(client, bruno, long_conversation.messages.get(number=3))
    report = MessageReport.objects.get()
    staff = get_user_model().objects.create_user("staffer", "s@example.org", "x", is_staff=True)
    for user in (carla, alice, staff):
        client.force_login(user)
        assert client.get(reverse("conversations:moderation")).status_code == 403
        assert (
            client.get(reverse("conversations:report_detail", args=[report.pk])).status_code == 403
        )
        response = client.post(
            reverse("conversations:report_act", args=[report.pk]), {"action": "hide"}
        )
        assert response.status_code == 403
    assert not Message.objects.filter(is_hidden=True).exists()


def test_moderator_hides_the_reported_message_and_it_is_logged(
    client, alice, bruno, moderator, long_conversation
):
    reported = long_conversation.messages.get(number=4)
    _report(client, bruno, reported)
    report = MessageReport.objects.get()
    client.force_login(moderator)
    act = reverse("conversations:report_act", args=[report.pk])
    assert client.post(act, {"action": "hide"}).status_code == 302
    reported.refresh_from_db()
    assert reported.is_hidden
    assert client.post(act, {"action": "resolve"}).status_code == 302
    assert client.post(act, {"action": "explode"}).status_code == 400
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED and report.resolved_by == moderator
    actions = list(ModerationLog.objects.order_by("pk").values_list("action", "moderator"))
    assert actions == [("hide", moderator.pk), ("resolve", moderator.pk)]
    log_page = client.get(reverse("conversations:moderation")).content.decode()
    assert "Hid a private message" in log_page

    client.force_login(alice)
    html = client.get(long_conversation.get_absolute_url()).content.decode()
    assert "This message was hidden by a moderator." in html
    assert "Reply 3<" not in html  # message #4's text

    client.force_login(moderator)
    client.post(act, {"action": "unhide"})
    reported.refresh_from_db()
    assert not reported.is_hidden


def test_a_hidden_message_is_not_mailed(
    alice, bruno, conversation, django_capture_on_commit_callbacks
):
    from django.core import mail

    message = services.message_send(
        conversation=conversation, author=alice, body="Rude", language="en", notify=False
    )
    Message.objects.filter(pk=message.pk).update(is_hidden=True)
    from conversations.notify import send_message_emails

    mail.outbox.clear()
    assert send_message_emails.call(message.pk) == 0
    assert mail.outbox == []


def test_admin_lists_reported_messages_only(client, alice, bruno, long_conversation):
    _report(client, bruno, long_conversation.messages.get(number=3), reason="Spam")
    from django.contrib import admin

    from conversations.models import Conversation, Membership

    assert Conversation not in admin.site._registry
    assert Message not in admin.site._registry
    assert Membership not in admin.site._registry
    assert MessageReport in admin.site._registry
