"""A conversation exists only for its current members: everyone else meets a 404."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from conversations import services
from conversations.models import Conversation, Membership

pytestmark = pytest.mark.django_db


def _urls(conversation):
    message = conversation.messages.get(number=1)
    return [
        reverse("conversations:detail", args=[conversation.pk]),
        reverse("conversations:reply", args=[conversation.pk]),
        reverse("conversations:first_unread", args=[conversation.pk]),
        reverse("conversations:add_members", args=[conversation.pk]),
        reverse("conversations:leave", args=[conversation.pk]),
        reverse("conversations:message", args=[message.pk]),
        reverse("conversations:report", args=[message.pk]),
    ]


@pytest.fixture
def superuser(make_member):
    return get_user_model().objects.create_superuser(
        username="root-user", email="root@example.org", password="x-Long-passphrase-1"
    )


@pytest.fixture
def staff(make_member):
    return make_member("curator1", is_staff=True)


@pytest.mark.parametrize("who", ["carla", "staff", "moderator", "superuser"])
def test_non_members_get_404_on_every_url(client, conversation, request, who):
    client.force_login(request.getfixturevalue(who))
    for url in _urls(conversation):
        assert client.get(url).status_code == 404, url
        assert (
            client.post(url, {"body": "x", "reason": "x", "recipients": "carla"}).status_code
            == 404
        ), url
    assert conversation.messages.count() == 1
    assert not conversation.memberships.filter(user__username="carla").exists()


def test_a_missing_conversation_looks_the_same_as_a_private_one(client, conversation, carla):
    client.force_login(carla)
    private = client.get(reverse("conversations:detail", args=[conversation.pk]))
    missing = client.get(reverse("conversations:detail", args=[conversation.pk + 1000]))
    assert private.status_code == missing.status_code == 404


def test_visitors_are_sent_to_sign_in(client, conversation):
    response = client.get(reverse("conversations:detail", args=[conversation.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_members_read_the_conversation(client, conversation, bruno):
    client.force_login(bruno)
    response = client.get(reverse("conversations:detail", args=[conversation.pk]))
    assert response.status_code == 200
    assert "Planning the Madrid visit" in response.content.decode()


def test_after_leaving_no_access_and_the_conversation_stays(client, conversation, alice, bruno):
    client.force_login(bruno)
    leave = reverse("conversations:leave", args=[conversation.pk])
    assert client.get(leave).status_code == 200
    assert client.post(leave).status_code == 302
    for url in _urls(conversation):
        assert client.get(url).status_code == 404, url
    assert "Planning" not in client.get(reverse("conversations:index")).content.decode()

    client.force_login(alice)
    client.post(leave)
    assert Conversation.objects.filter(pk=conversation.pk).exists()
    assert conversation.messages.count() == 1
    assert Membership.objects.current().filter(conversation=conversation).count() == 0


def test_adding_a_member_shows_them_the_history(client, conversation, alice, carla):
    client.force_login(alice)
    page = client.get(reverse("conversations:add_members", args=[conversation.pk]))
    assert "every earlier message included" in page.content.decode()
    response = client.post(
        reverse("conversations:add_members", args=[conversation.pk]), {"recipients": "carla"}
    )
    assert response.status_code == 302
    client.force_login(carla)
    html = client.get(reverse("conversations:detail", args=[conversation.pk])).content.decode()
    assert "Hello there" in html
    assert "Carla Rossi" in html


def test_adding_back_someone_who_left(conversation, alice, bruno):
    services.member_leave(conversation=conversation, user=bruno)
    assert services.member_add(conversation=conversation, user=bruno, added_by=alice)
    assert not services.member_add(conversation=conversation, user=bruno, added_by=alice)
    assert Conversation.objects.of_member(bruno).filter(pk=conversation.pk).exists()


def test_unknown_and_hidden_members_get_the_same_answer(client, conversation, alice, make_member):
    make_member("hidden", directory_visibility="cohort")
    client.force_login(alice)
    url = reverse("conversations:add_members", args=[conversation.pk])
    hidden = client.post(url, {"recipients": "hidden"})
    unknown = client.post(url, {"recipients": "nobody-here"})
    assert hidden.status_code == unknown.status_code == 400
    assert "No member you can write to has the user name “hidden”" in hidden.content.decode()
    assert "No member you can write to has the user name “nobody-here”" in unknown.content.decode()
    assert not conversation.memberships.filter(user__username="hidden").exists()


def test_inactive_members_cannot_be_added(client, conversation, alice, make_member):
    make_member("gone", is_active=False, directory_visibility="everyone")
    client.force_login(alice)
    response = client.post(
        reverse("conversations:add_members", args=[conversation.pk]), {"recipients": "gone"}
    )
    assert response.status_code == 400


def test_only_verified_members_start_conversations(client, make_member, bruno):
    from allauth.account.models import EmailAddress

    unverified = make_member("newbie")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    client.force_login(unverified)
    response = client.post(
        reverse("conversations:start"),
        {"recipients": "bruno", "subject": "Hi there", "body": "Hello", "language": "en"},
    )
    assert response.status_code == 403
    assert not Conversation.objects.exists()


def test_conversations_is_not_a_category_address(client, alice):
    from django.core.exceptions import ValidationError
    from django.urls import resolve

    from forum.models import Category

    with pytest.raises(ValidationError):
        Category(slug="conversations", name_en="Conversations").full_clean()
    assert resolve("/en/forum/conversations/").view_name == "conversations:index"
    client.force_login(alice)
    assert client.get("/en/forum/conversations/").status_code == 200
