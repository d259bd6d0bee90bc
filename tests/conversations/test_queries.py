"""Query counts per page stay the same whatever the messages, members or conversations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conversations import services

pytestmark = pytest.mark.django_db


def _count(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(queries)


def test_my_conversations_page(client, alice, bruno, make_member, make_conversation):
    make_conversation(alice, bruno)
    client.force_login(alice)
    url = reverse("conversations:index")
    small = _count(client, url)
    others = [make_member(f"friend{n}") for n in range(4)]
    for number in range(35):
        conversation = make_conversation(alice, others[number % 4], bruno, subject=f"S{number}")
        services.message_send(
            conversation=conversation, author=bruno, body="Unread", language="en"
        )
    assert _count(client, url) == small
    assert _count(client, url, page=2) == small
    assert small <= 10


def test_conversation_page(client, alice, bruno, make_member, make_conversation):
    small = make_conversation(alice, bruno)
    client.force_login(alice)
    few = _count(client, small.get_absolute_url())
    others = [make_member(f"friend{n}", directory_visibility="everyone") for n in range(6)]
    big = make_conversation(alice, bruno, *others, replies=45)
    assert _count(client, big.get_absolute_url()) == few
    assert _count(client, big.get_absolute_url(), page=3) == few
    assert few <= 14


def test_moderation_pages(client, alice, bruno, moderator, make_conversation):
    conversation = make_conversation(alice, bruno, replies=3)
    report = services.report_create(
        message=conversation.messages.get(number=2), reporter=bruno, reason="Spam"
    )
    client.force_login(moderator)
    queue = _count(client, reverse("conversations:moderation"))
    detail = _count(client, reverse("conversations:report_detail", args=[report.pk]))
    big = make_conversation(alice, bruno, replies=30)
    for number in range(1, 12):
        extra = services.report_create(
            message=big.messages.get(number=number), reporter=bruno, reason=f"Spam {number}"
        )
        if number % 3 == 0:
            services.report_resolve(report=extra, moderator=moderator)
    big_report = big.messages.get(number=15).reports.create(reporter=bruno, reason="Middle")
    assert _count(client, reverse("conversations:moderation")) == queue
    assert _count(client, reverse("conversations:report_detail", args=[big_report.pk])) == detail
