"""Writing and reading: start, preview, reply, Markdown made safe, pages, permalinks, unread."""

import pytest
from django.urls import reverse

from conversations import services
from conversations.models import MESSAGES_PER_PAGE, Conversation, Membership, Message

pytestmark = pytest.mark.django_db

HOSTILE = (
    "<script>alert('x')</script>\n\n"
    "[click](javascript:alert(1))\n\n"
    '<img src="x" onerror="alert(2)">\n\n'
    '<a href="https://example.org" onclick="alert(3)">ok</a>'
)


def _start(client, **data):
    payload = {
        "recipients": "bruno",
        "subject": "Our savings group",
        "body": "Hello **Bruno**",
        "language": "en",
    }
    payload.update(data)
    return client.post(reverse("conversations:start"), payload)


def test_start_a_conversation(client, alice, bruno):
    client.force_login(alice)
    response = _start(client, recipients="@bruno, bruno")
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == conversation.get_absolute_url()
    assert set(conversation.memberships.values_list("user__username", flat=True)) == {
        "alice",
        "bruno",
    }
    message = conversation.messages.get()
    assert message.number == 1 and message.author == alice
    assert "<strong>Bruno</strong>" in message.body_html
    html = client.get(response["Location"]).content.decode()
    assert "Our savings group" in html and "<strong>Bruno</strong>" in html
    assert 'name="robots" content="noindex, nofollow"' in html


def test_preview_before_sending_keeps_everything(client, alice, bruno):
    client.force_login(alice)
    response = _start(client, preview="1", body="A *first* draft")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<em>first</em>" in html
    assert "A *first* draft" in html  # the text is back in the form
    assert 'value="bruno"' in html and 'value="Our savings group"' in html
    assert not Conversation.objects.exists()


def test_language_is_detected_when_not_chosen_and_correctable(client, alice, bruno):
    client.force_login(alice)
    body = "Bonjour à toutes et à tous, nous préparons la réunion de la coopérative demain."
    preview = _start(client, preview="1", body=body, language="")
    assert preview.context["form"]["language"].value() == "fr"
    _start(client, body=body, language="")
    assert Message.objects.get().language == "fr"
    _start(client, subject="Another one", body=body, language="it")  # the author's choice wins
    assert Message.objects.order_by("-pk").first().language == "it"


def test_undetectable_text_falls_back_to_the_authors_language(client, make_member, bruno):
    author = make_member("giulia", preferred_language="it")
    client.force_login(author)
    _start(client, body="ok", language="")
    assert Message.objects.get().language == "it"


@pytest.mark.parametrize(
    "data, error",
    [
        ({"recipients": ""}, "Give at least one user name."),
        ({"recipients": "alice"}, "You are part of the conversation already."),
        ({"subject": ""}, "Give the conversation a subject."),
        ({"body": ""}, "Write a message first."),
        ({"body": "x" * 20_001}, "at most 20000 characters"),
        ({"recipients": "bruno\x00"}, "User names cannot contain"),
    ],
)
def test_bad_input_gets_a_clear_message(client, alice, bruno, data, error):
    client.force_login(alice)
    response = _start(client, **data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Conversation.objects.exists()


def test_profile_page_offers_a_prefilled_message(client, alice, bruno):
    client.force_login(alice)
    html = client.get(bruno.get_absolute_url()).content.decode()
    url = reverse("conversations:start") + "?to=bruno"
    assert url in html
    form_page = client.get(url).content.decode()
    assert 'value="bruno"' in form_page
    assert url not in client.get(alice.get_absolute_url()).content.decode()


def test_script_and_event_handlers_never_reach_the_page(client, alice, bruno):
    client.force_login(alice)
    _start(client, body=HOSTILE)
    conversation = Conversation.objects.get()
    client.post(
        reverse("conversations:reply", args=[conversation.pk]),
        {"body": HOSTILE, "language": "en"},
    )
    for response in (
        client.get(conversation.get_absolute_url()),
        _start(client, body=HOSTILE, preview="1"),
        client.post(
            reverse("conversations:reply", args=[conversation.pk]),
            {"body": HOSTILE, "language": "en", "preview": "1"},
        ),
    ):
        html = response.content.decode()
        assert "alert(" in html  # the text is there, escaped or defused
        assert "<script>alert" not in html
        assert 'href="javascript:' not in html.lower()
        assert 'onerror="' not in html and 'onclick="' not in html
    assert "<script" not in Message.objects.get(number=1).body_html


def test_reply_and_permalink_to_the_right_page(client, alice, bruno, make_conversation):
    conversation = make_conversation(alice, bruno, replies=MESSAGES_PER_PAGE + 3)
    client.force_login(bruno)
    response = client.post(
        reverse("conversations:reply", args=[conversation.pk]), {"body": "Last", "language": "en"}
    )
    message = Message.objects.get(conversation=conversation, body="Last")
    assert message.number == MESSAGES_PER_PAGE + 5
    assert response["Location"] == f"{conversation.get_absolute_url()}?page=2#{message.anchor}"
    permalink = client.get(reverse("conversations:message", args=[message.pk]))
    assert permalink["Location"] == response["Location"]
    first = conversation.messages.get(number=1)
    assert client.get(first.get_absolute_url())["Location"].endswith(f"/#{first.anchor}")

    page_two = client.get(conversation.get_absolute_url(), {"page": 2})
    numbers = [m.number for m in page_two.context["conversation_messages"]]
    assert numbers == list(range(MESSAGES_PER_PAGE + 1, MESSAGES_PER_PAGE + 6))
    page_one = client.get(conversation.get_absolute_url())
    assert len(page_one.context["conversation_messages"]) == MESSAGES_PER_PAGE
    for odd in ("0", "-3", "99", "x", "\x00"):
        assert client.get(conversation.get_absolute_url(), {"page": odd}).status_code == 200


def test_unread_tracking_and_jump_to_the_first_unread(client, alice, bruno, make_conversation):
    conversation = make_conversation(alice, bruno)
    membership = Membership.objects.get(conversation=conversation, user=bruno)
    assert membership.unread_count == 1
    client.force_login(bruno)
    client.get(conversation.get_absolute_url())
    membership.refresh_from_db()
    assert membership.unread_count == 0
    for number in range(MESSAGES_PER_PAGE + 2):
        services.message_send(
            conversation=conversation, author=alice, body=f"News {number}", language="en"
        )
    membership.refresh_from_db()
    assert membership.unread_count == MESSAGES_PER_PAGE + 2
    index = client.get(reverse("conversations:index")).content.decode()
    assert reverse("conversations:first_unread", args=[conversation.pk]) in index
    assert f"{MESSAGES_PER_PAGE + 2} unread" in index
    jump = client.get(reverse("conversations:first_unread", args=[conversation.pk]))
    second = conversation.messages.get(number=2)
    assert jump["Location"] == f"{conversation.get_absolute_url()}#{second.anchor}"
    client.get(conversation.get_absolute_url())  # page 1 read: page 2 still unread
    membership.refresh_from_db()
    assert membership.last_read_number == MESSAGES_PER_PAGE
    client.get(conversation.get_absolute_url(), {"page": 2})
    membership.refresh_from_db()
    assert membership.unread_count == 0
    client.get(conversation.get_absolute_url())  # going back never lowers it
    membership.refresh_from_db()
    assert membership.unread_count == 0
    # The author has read their own messages.
    assert Membership.objects.get(conversation=conversation, user=alice).unread_count == 0


def test_my_conversations_newest_activity_first(client, alice, bruno, carla, make_conversation):
    older = make_conversation(alice, bruno, subject="Older one")
    newer = make_conversation(alice, carla, subject="Newer one")
    services.message_send(conversation=older, author=bruno, body="Bump", language="en")
    client.force_login(alice)
    page = client.get(reverse("conversations:index"))
    subjects = [m.conversation.subject for m in page.context["memberships"]]
    assert subjects == ["Older one", "Newer one"]
    assert newer.pk != older.pk
    client.force_login(carla)
    subjects = [
        m.conversation.subject
        for m in client.get(reverse("conversations:index")).context["memberships"]
    ]
    assert subjects == ["Newer one"]


def test_my_conversations_are_paginated(client, alice, bruno, make_conversation):
    from conversations.models import CONVERSATIONS_PER_PAGE

    for number in range(CONVERSATIONS_PER_PAGE + 1):
        make_conversation(alice, bruno, subject=f"Subject {number}")
    client.force_login(alice)
    first = client.get(reverse("conversations:index"))
    assert len(first.context["memberships"]) == CONVERSATIONS_PER_PAGE
    second = client.get(reverse("conversations:index"), {"page": 2})
    assert [m.conversation.subject for m in second.context["memberships"]] == ["Subject 0"]


def test_sending_too_fast_is_refused_with_a_clear_message(client, alice, bruno, conversation):
    from forum.services import POST_RATE_LIMIT

    client.force_login(alice)
    url = reverse("conversations:reply", args=[conversation.pk])
    for number in range(POST_RATE_LIMIT):
        assert client.post(url, {"body": f"m{number}", "language": "en"}).status_code == 302
    response = client.post(url, {"body": "One too many", "language": "en"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "You are sending messages too fast" in html
    assert "One too many" in html  # nothing lost
    assert not Message.objects.filter(body="One too many").exists()


def test_starting_too_many_conversations_is_refused(client, alice, bruno):
    from django.core.cache import cache

    client.force_login(alice)
    for number in range(services.START_RATE_LIMIT):
        cache.delete(f"forum:posts:{alice.pk}")  # only the start budget counts here
        assert _start(client, subject=f"Subject {number}").status_code == 302
    response = _start(client, subject="One more")
    assert response.status_code == 429
    assert "You are sending messages too fast" in response.content.decode()
    assert Conversation.objects.count() == services.START_RATE_LIMIT
