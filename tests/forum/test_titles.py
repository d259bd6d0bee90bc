"""A topic's title can be changed by its author (while the topic is open) and by moderators."""

import pytest
from django.urls import reverse

from forum import services
from forum.models import ModerationAction, ModerationLog, Notification, NotificationKind

pytestmark = pytest.mark.django_db


def _retitle(client, topic, title):
    return client.post(reverse("forum:topic_title", args=[topic.pk]), {"title": title})


def test_the_author_renames_a_topic_and_old_links_still_work(client, public, member, make_topic):
    topic = make_topic(public, member, title="Savings groups", body="Let us talk", replies=25)
    old_url = topic.get_absolute_url()
    client.force_login(member)
    form = client.get(reverse("forum:topic_title", args=[topic.pk]))
    assert form.status_code == 200 and form.context["form"].initial["title"] == "Savings groups"
    response = _retitle(client, topic, "  Tontines and   rotating savings ")
    topic.refresh_from_db()
    assert topic.title == "Tontines and rotating savings"
    assert topic.slug == "tontines-and-rotating-savings"
    assert response["Location"] == topic.get_absolute_url() != old_url
    # The old address answers a permanent redirect to the new one, keeping the page.
    moved = client.get(old_url)
    assert moved.status_code == 301 and moved["Location"] == topic.get_absolute_url()
    moved = client.get(old_url, {"page": 2})
    assert moved["Location"] == topic.get_absolute_url() + "?page=2"
    # The earlier title is kept; an author's own change is not a moderation action.
    assert list(topic.revisions.values_list("title", flat=True)) == ["Savings groups"]
    assert not ModerationLog.objects.exists()
    first = topic.posts.get(number=1)
    revisions = client.get(reverse("forum:post_revisions", args=[first.pk]))
    assert "“Savings groups”" in revisions.content.decode()
    # The first post is found under its new title.
    results = client.get(reverse("forum:search"), {"q": "tontines"}).context["results"]
    assert [post.pk for post in results] == [first.pk]


def test_a_moderator_renames_a_topic_logged_and_the_author_told(
    client, public, member, moderator, make_topic
):
    topic = make_topic(public, member, title="HELP!!!")
    client.force_login(moderator)
    _retitle(client, topic, "Help with cooperative statutes")
    topic.refresh_from_db()
    assert topic.title == "Help with cooperative statutes"
    entry = ModerationLog.objects.get()
    assert entry.action == ModerationAction.RETITLE and entry.topic == topic
    assert entry.note == "HELP!!! → Help with cooperative statutes"
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (member, NotificationKind.RETITLED)
    assert b"Changed the topic" in client.get(reverse("forum:moderation")).content


def test_who_may_not_rename(client, public, cohort, member, outsider, moderator, make_topic):
    topic = make_topic(public, member, title="Original")
    client.force_login(outsider)
    assert _retitle(client, topic, "Hijacked").status_code == 403
    assert client.get(topic.get_absolute_url()).context["can_edit_title"] is False
    # The author of a locked topic no more; a moderator still.
    services.topic_set_locked(topic=topic, moderator=moderator, locked=True)
    client.force_login(member)
    assert _retitle(client, topic, "Changed").status_code == 403
    client.force_login(moderator)
    assert _retitle(client, topic, "Changed by a moderator").status_code == 302
    topic.refresh_from_db()
    assert topic.title == "Changed by a moderator"
    # Bad titles are form errors, nothing changes; unknown topics are 404.
    response = _retitle(client, topic, "")
    assert response.status_code == 200 and response.context["form"].errors["title"]
    response = _retitle(client, topic, "x" * 201)
    assert response.status_code == 200 and response.context["form"].errors["title"]
    topic.refresh_from_db()
    assert topic.title == "Changed by a moderator"
    assert client.post(reverse("forum:topic_title", args=[999999])).status_code == 404


def test_renaming_a_private_topic_is_404_for_outsiders(
    client, cohort, participant, outsider, make_topic
):
    topic = make_topic(cohort, participant, title="Cohort plans")
    client.force_login(outsider)
    assert _retitle(client, topic, "Seen").status_code == 404
    client.force_login(participant)
    assert _retitle(client, topic, "Cohort plans for Turin").status_code == 302
