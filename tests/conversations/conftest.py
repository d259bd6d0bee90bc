import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from accounts.models import MODERATORS_GROUP
from conversations import services
from tests.browser.conftest import browser_type_launch_args, site  # noqa: F401 - the journey


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def alice(make_member):
    return make_member("alice", display_name="Alice Martin")


@pytest.fixture
def bruno(make_member):
    return make_member("bruno", display_name="Bruno Costa", preferred_language="pt")


@pytest.fixture
def carla(make_member):
    return make_member("carla", display_name="Carla Rossi")


@pytest.fixture
def moderator(make_member):
    user = make_member("marco", display_name="Marco Moderator")
    user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return user


@pytest.fixture
def make_conversation():
    def make(author, *recipients, subject="Planning the Madrid visit", body="Hello there",
             language="en", replies=0):  # fmt: skip
        conversation = services.conversation_start(
            author=author, recipients=recipients, subject=subject, body=body, language=language
        )
        for number in range(replies):
            services.message_send(
                conversation=conversation,
                author=recipients[number % len(recipients)] if recipients else author,
                body=f"Reply {number + 1}",
                language=language,
            )
        conversation.refresh_from_db()
        return conversation

    return make


@pytest.fixture
def conversation(alice, bruno, make_conversation):
    return make_conversation(alice, bruno)
