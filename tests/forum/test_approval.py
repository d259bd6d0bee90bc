"""Per category, a new member's first posts wait for a moderator's approval, and until then
nobody else learns of them: not in pages, counts, search, feeds, sitemaps, notifications."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from collective_brain.home import active_topics
from forum import services
from forum.models import (
    Approval,
    CategoryWatch,
    ModerationAction,
    ModerationLog,
    Notification,
    NotificationKind,
    Post,
    Topic,
)
from forum.sitemaps import ForumTopicSitemap

pytestmark = pytest.mark.django_db


@pytest.fixture
def guarded(public, member, make_topic):
    """Holds the first two posts of a member; ``member`` has two approved posts elsewhere."""
    elsewhere = type(public).objects.create(slug="elsewhere", name_en="Elsewhere", order=9)
    make_topic(elsewhere, member, title="Earlier", body="Earlier", replies=1)
    public.approve_first_posts = 2
    public.save()
    return public


@pytest.fixture
def newcomer(make_member):
    user = make_member("newcomer", display_name="New Comer", directory_visibility="everyone")
    return user


@pytest.fixture
def watcher(make_member, guarded):
    user = make_member("watcher")
    CategoryWatch.objects.create(category=guarded, user=user)
    return user


def _start_topic(client, category, title="Zanzibar seaweed cooperatives", body=None):
    body = body or "Our seaweed cooperative in Zanzibar looks for partners to export."
    return client.post(
        reverse("forum:topic_create", args=[category.slug]),
        {"title": title, "body": body, "language": "en"},
    )


def test_a_new_members_topic_waits_and_leaks_nowhere(
    client, guarded, newcomer, member, watcher, moderator, make_topic
):
    make_topic(guarded, member, title="An open topic", body="Visible to everyone")
    client.force_login(newcomer)
    response = _start_topic(client, guarded)
    topic = Topic.objects.get(author=newcomer)
    post = topic.posts.get()
    assert response["Location"] == topic.get_absolute_url()
    assert topic.is_pending and post.approval == Approval.PENDING and post.number is None
    assert (topic.post_count, topic.last_number) == (0, 0)
    assert post.search_vector is None

    # The author sees it, marked as waiting, and finds it listed on the category page.
    page = client.get(topic.get_absolute_url(), follow=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Our seaweed cooperative" in html and "waits for a moderator" in html
    listing = client.get(reverse("forum:category", args=[guarded.slug]))
    assert [t.title for t in listing.context["my_pending"]] == [topic.title]
    assert [t.title for t in listing.context["topics"]] == ["An open topic"]
    assert client.get(reverse("forum:reply", args=[topic.pk])).status_code == 403

    for reader in (member, AnonymousUser()):
        if reader.is_authenticated:
            client.force_login(reader)
        else:
            client.logout()
        assert client.get(topic.get_absolute_url()).status_code == 404
        assert client.get(reverse("forum:post", args=[post.pk])).status_code == 404
        listing = client.get(reverse("forum:category", args=[guarded.slug]))
        assert b"Zanzibar" not in listing.content
        index = client.get(reverse("forum:index")).context["categories"]
        assert [(c.slug, c.topic_total, c.post_total) for c in index][0] == (guarded.slug, 1, 1)
        search = client.get(reverse("forum:search"), {"q": "seaweed"})
        assert search.context["results"] == []
        assert b"Zanzibar" not in client.get("/en/search/", {"q": "seaweed"}).content
        assert b"Zanzibar" not in client.get("/en/").content
        feed = client.get(reverse("forum:category_feed", args=[guarded.slug]))
        assert b"Zanzibar" not in feed.content
        assert client.get(reverse("forum:topic_feed", args=[topic.pk])).status_code == 404
        profile = client.get(newcomer.get_absolute_url())
        assert b"Zanzibar" not in profile.content
        assert topic not in active_topics(reader)
    assert topic not in list(ForumTopicSitemap().items())
    assert b"Zanzibar" not in client.get("/sitemap-forum-topics.xml").content
    assert not Notification.objects.filter(post=post).exists()  # the watcher is not told yet

    # The moderator finds it in the queue and approves it: now it is everywhere.
    client.force_login(moderator)
    queue = client.get(reverse("forum:moderation"))
    assert [p.pk for p in queue.context["pending"]] == [post.pk]
    assert client.get(topic.get_absolute_url()).status_code == 200
    response = client.post(
        reverse("forum:post_moderate", args=[post.pk]), {"action": "approve", "next": "queue"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("forum:moderation")
    topic.refresh_from_db()
    post.refresh_from_db()
    assert not topic.is_pending and post.approval == Approval.APPROVED and post.number == 1
    assert (topic.post_count, topic.last_number, topic.last_post_author) == (1, 1, newcomer)
    kinds = dict(Notification.objects.filter(post=post).values_list("recipient__username", "kind"))
    assert kinds == {"watcher": NotificationKind.NEW_TOPIC, "newcomer": NotificationKind.APPROVED}
    assert ModerationLog.objects.filter(action=ModerationAction.APPROVE, post=post).exists()
    client.logout()
    assert client.get(topic.get_absolute_url()).status_code == 200
    assert client.get(reverse("forum:search"), {"q": "seaweed"}).context["results"] == [post]
    assert b"Zanzibar" in client.get(reverse("forum:category_feed", args=[guarded.slug])).content
    assert topic in list(ForumTopicSitemap().items())


def test_a_waiting_reply_is_not_counted_numbered_or_notified(
    client, guarded, newcomer, member, moderator, make_topic
):
    topic = make_topic(guarded, member, title="Open", body="Opening post", replies=1)
    before = (topic.post_count, topic.last_number, topic.last_post_at, topic.last_post_author)
    client.force_login(member)
    client.get(topic.get_absolute_url())  # read up to #2

    client.force_login(newcomer)
    response = client.post(
        reverse("forum:reply", args=[topic.pk]),
        {"body": "A reply about tontines, waiting", "language": "en"},
    )
    reply = Post.objects.get(author=newcomer)
    assert response["Location"] == f"{topic.get_absolute_url()}#post-{reply.pk}"
    assert reply.is_pending and reply.number is None
    topic.refresh_from_db()
    assert (topic.post_count, topic.last_number, topic.last_post_at, topic.last_post_author) == (
        before
    )
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "tontines" in page and "Waiting for a moderator" in page
    # The author may edit it while it waits.
    client.post(
        reverse("forum:post_edit", args=[reply.pk]),
        {"body": "A reply about tontines and savings, waiting", "language": "en"},
    )
    reply.refresh_from_db()
    assert "savings" in reply.body and reply.is_pending and reply.search_vector is None

    client.force_login(member)
    page = client.get(topic.get_absolute_url())
    assert b"tontines" not in page.content and len(page.context["posts"]) == 2
    listing = client.get(reverse("forum:category", args=[guarded.slug]))
    (listed,) = listing.context["topics"]
    assert listed.post_count == 2 and listed.new_posts == 0
    assert client.get(reverse("forum:post", args=[reply.pk])).status_code == 404
    assert client.post(reverse("forum:post_like", args=[reply.pk])).status_code == 404
    assert b"tontines" not in client.get(reverse("forum:topic_feed", args=[topic.pk])).content
    assert client.get(reverse("forum:search"), {"q": "tontines"}).context["results"] == []
    assert not Notification.objects.exists()  # the topic's author watches, but hears nothing

    # Rejected: the author is told, and still nobody else sees it.
    client.force_login(moderator)
    page = client.get(topic.get_absolute_url())
    assert [p.pk for p in page.context["pending"]] == [reply.pk]
    client.post(reverse("forum:post_moderate", args=[reply.pk]), {"action": "reject"})
    reply.refresh_from_db()
    assert reply.is_rejected and reply.number is None
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (newcomer, NotificationKind.REJECTED)
    assert ModerationLog.objects.filter(action=ModerationAction.REJECT, post=reply).exists()
    # Approving it now is refused, with a clear answer.
    response = client.post(reverse("forum:post_moderate", args=[reply.pk]), {"action": "approve"})
    assert response.status_code == 409
    client.force_login(newcomer)
    notifications = client.get(reverse("forum:notifications")).content.decode()
    assert "did not approve your post" in notifications
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "did not approve this post" in page
    assert client.get(reverse("forum:post_edit", args=[reply.pk])).status_code == 403
    client.force_login(member)
    assert b"tontines" not in client.get(topic.get_absolute_url()).content


def test_an_approved_reply_takes_the_next_number_and_notifies(
    client, guarded, newcomer, member, moderator, make_topic
):
    topic = make_topic(guarded, member, title="Open", replies=1)
    reply = services.post_create(topic=topic, author=newcomer, body="Hello @member", language="en")
    services.post_create(topic=topic, author=member, body="Meanwhile", language="en")
    services.post_approve(post=reply, moderator=moderator)
    reply.refresh_from_db()
    topic.refresh_from_db()
    assert reply.number == 4 and topic.last_number == 4 and topic.post_count == 4
    assert topic.last_post_author == newcomer
    assert list(topic.posts.values_list("number", flat=True)) == [1, 2, 3, 4]
    kinds = dict(Notification.objects.values_list("recipient__username", "kind"))
    assert kinds == {"member": NotificationKind.MENTION, "newcomer": NotificationKind.APPROVED}


def test_members_with_enough_approved_posts_and_moderators_are_not_held(
    guarded, newcomer, member, moderator, make_topic, make_member
):
    topic = make_topic(guarded, member)
    first = services.post_create(topic=topic, author=newcomer, body="One", language="en")
    services.post_approve(post=first, moderator=moderator)
    second = services.post_create(topic=topic, author=newcomer, body="Two", language="en")
    assert second.is_pending  # 1 approved post of the 2 asked
    services.post_approve(post=second, moderator=moderator)
    third = services.post_create(topic=topic, author=newcomer, body="Three", language="en")
    assert not third.is_pending and third.number == 4
    # Approved posts anywhere in the forum count (the rule is forum-wide).
    keeper = make_member("keeper")
    guarded.moderators.add(keeper)
    assert not services.post_create(
        topic=topic, author=keeper, body="Mod", language="en"
    ).is_pending
    assert not services.post_create(
        topic=topic, author=moderator, body="Global mod", language="en"
    ).is_pending


def test_only_the_categorys_moderators_approve(
    client, guarded, newcomer, member, outsider, make_member, make_topic
):
    topic = make_topic(guarded, member)
    reply = services.post_create(topic=topic, author=newcomer, body="Waiting", language="en")
    client.force_login(outsider)
    assert client.get(reverse("forum:moderation")).status_code == 403
    response = client.post(reverse("forum:post_moderate", args=[reply.pk]), {"action": "approve"})
    assert response.status_code == 404  # a waiting post does not exist for others
    client.force_login(newcomer)
    response = client.post(reverse("forum:post_moderate", args=[reply.pk]), {"action": "approve"})
    assert response.status_code == 403
    keeper = make_member("keeper")
    other = type(guarded).objects.create(slug="other", name_en="Other")
    other.moderators.add(keeper)
    client.force_login(keeper)
    assert list(client.get(reverse("forum:moderation")).context["pending"]) == []
    reply.refresh_from_db()
    assert reply.is_pending


def test_a_category_without_approval_publishes_at_once(public, newcomer, make_topic):
    topic = make_topic(public, newcomer)
    assert not topic.is_pending and topic.posts.get().number == 1


def test_the_author_is_emailed_when_a_post_is_not_approved_or_hidden(
    guarded, newcomer, member, moderator, make_topic, django_capture_on_commit_callbacks
):
    from django.core import mail

    topic = make_topic(guarded, member)
    waiting = services.post_create(topic=topic, author=newcomer, body="Buy now", language="en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reject(post=waiting, moderator=moderator)
    assert [message.to for message in mail.outbox] == [["newcomer@example.org"]]
    assert "did not approve your post" in mail.outbox[0].subject
    assert "Buy now" not in mail.outbox[0].body
    reply = services.post_create(topic=topic, author=member, body="Rude words", language="en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_set_hidden(post=reply, moderator=moderator, hidden=True)
    assert [message.to for message in mail.outbox] == [["member@example.org"]]
    assert "hid your post" in mail.outbox[0].subject
