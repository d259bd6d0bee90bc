"""Nothing of a conversation shows outside it: not in forum search, the one search, feeds,
sitemaps, profiles, the home page or the weekly digest."""

import pytest
from django.core import mail
from django.urls import reverse

from forum import services as forum_services
from forum.models import Category

pytestmark = pytest.mark.django_db

SECRET = "zanzibarcooperative"


@pytest.fixture
def public_topic(alice):
    category = Category.objects.create(slug="welcome", name_en="Welcome")
    return forum_services.topic_create(
        category=category,
        author=alice,
        title="Open cooperative talk",
        body="Public words about cooperatives",
        language="en",
    )


@pytest.fixture
def secret(alice, bruno, make_conversation, public_topic):
    """A conversation whose subject and messages carry a word found nowhere else."""
    conversation = make_conversation(
        alice, bruno, subject=f"The {SECRET} plan", body=f"Only for us: {SECRET} finance"
    )
    from conversations import services

    services.message_send(
        conversation=conversation, author=bruno, body=f"Agreed on {SECRET}", language="en"
    )
    return conversation


@pytest.fixture(params=["visitor", "alice", "bruno", "moderator", "staff"])
def reader(request, client, make_member):
    if request.param == "staff":
        client.force_login(make_member("curator", is_staff=True, is_superuser=True))
    elif request.param != "visitor":
        client.force_login(request.getfixturevalue(request.param))
    return client


def test_not_in_forum_search(reader, secret):
    response = reader.get(reverse("forum:search"), {"q": SECRET})
    assert response.status_code == 200
    assert response.context["results"] == []
    assert "Only for us" not in response.content.decode()


def test_not_in_the_one_search(reader, secret):
    html = reader.get("/en/search/", {"q": SECRET}).content.decode()
    assert f"The {SECRET} plan" not in html and "Only for us" not in html
    # The control: the same search finds public forum content.
    assert (
        "Open cooperative talk"
        in reader.get("/en/search/", {"q": "cooperatives"}).content.decode()
    )


def test_not_in_feeds(client, secret, public_topic):
    for url in (
        reverse("forum:category_feed", args=[public_topic.category.slug]),
        reverse("forum:topic_feed", args=[public_topic.pk]),
        reverse("news:feed"),
        reverse("news:feed_atom"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert SECRET not in body and "/forum/conversations/" not in body, url
    assert (
        "Public words about cooperatives"
        in client.get(reverse("forum:topic_feed", args=[public_topic.pk])).content.decode()
    )


def test_not_in_sitemaps(client, secret):
    import xml.etree.ElementTree as ET

    index = client.get("/sitemap.xml")
    locations = [
        element.text
        for element in ET.fromstring(index.content).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    assert locations
    for location in locations:
        body = client.get(location.removeprefix("http://testserver")).content.decode()
        assert "/forum/conversations/" not in body
        assert SECRET not in body


def test_not_in_profile_activity(reader, alice, bruno, secret):
    for member in (alice, bruno):
        member.directory_visibility = "everyone"
        member.save(update_fields=["directory_visibility"])
        html = reader.get(member.get_absolute_url()).content.decode()
        assert SECRET not in html
        assert reverse("conversations:detail", args=[secret.pk]) not in html
    # The control: alice's public post does show.
    assert "Open cooperative talk" in reader.get(alice.get_absolute_url()).content.decode()


def test_not_on_the_home_page(reader, secret):
    html = reader.get("/en/").content.decode()
    assert SECRET not in html
    assert "Open cooperative talk" in html  # the control: public topics are listed


def test_not_in_the_weekly_digest(alice, bruno, secret):
    from accounts.tasks import send_weekly_digests

    for member in (alice, bruno):
        member.digest_subscribed = True
        member.save(update_fields=["digest_subscribed"])
    mail.outbox.clear()
    send_weekly_digests.call()
    assert mail.outbox
    for message in mail.outbox:
        assert SECRET not in message.body
