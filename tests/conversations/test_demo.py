import pytest
from django.core.management import call_command

from conversations.models import Conversation, Membership, Message


@pytest.fixture
def seeded(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("seed_demo")


def test_demo_conversations_have_members_messages_and_unread_counts(seeded):
    conversation = Conversation.objects.get(subject="Comparing support for small cooperatives")
    members = set(
        Membership.objects.current()
        .filter(conversation=conversation)
        .values_list("user__email", flat=True)
    )
    assert members == {
        "member@demo.collective-brain.org",
        "participant@demo.collective-brain.org",
    }
    languages = list(conversation.messages.order_by("number").values_list("language", flat=True))
    assert languages == ["en", "es"]
    # The member has not read the participant's reply yet: the header counter shows it.
    unread = Membership.objects.unread().filter(user__email="member@demo.collective-brain.org")
    assert unread.count() == 2


def test_seeding_conversations_twice_changes_nothing(seeded):
    counts = (Conversation.objects.count(), Message.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (
        Conversation.objects.count(),
        Message.objects.count(),
        Membership.objects.count(),
    ) == counts
    assert counts[0] == 2
