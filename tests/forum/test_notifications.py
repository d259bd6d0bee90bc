import pytest
from django.urls import reverse

from forum import services
from forum.models import (
    ModerationLog,
    Notification,
    NotificationKind,
    TopicReadState,
    TopicWatch,
)

pytestmark = pytest.mark.django_db


def test_reply_mention_and_quote_notify_once_each(
    client, public, member, outsider, make_member, make_topic
):
    make_member("third")
    topic = make_topic(public, member, body="Opening post")
    first = topic.posts.get()
    assert TopicWatch.objects.filter(topic=topic, user=member).exists()  # authors watch
    client.force_login(outsider)
    quote = (
        client.get(reverse("forum:reply", args=[topic.pk]), {"quote": first.pk})
        .context["form"]
        .initial["body"]
    )
    client.post(
        reverse("forum:reply", args=[topic.pk]),
        {"body": quote + "I agree, and @third should see this. @nobody-here", "language": "en"},
    )
    kinds = dict(Notification.objects.values_list("recipient__username", "kind"))
    assert kinds == {"member": NotificationKind.QUOTE, "third": NotificationKind.MENTION}
    # Next reply by the member: the outsider now watches (posted) and is told of it.
    services.post_create(topic=topic, author=member, body="Thanks!", language="en")
    assert (
        Notification.objects.filter(recipient=outsider, kind=NotificationKind.REPLY).count() == 1
    )
    assert not Notification.objects.filter(recipient=member, actor=member).exists()


def test_unread_counter_and_following_a_notification(client, public, member, outsider, make_topic):
    topic = make_topic(public, member)
    services.post_create(topic=topic, author=outsider, body="Hi @member", language="en")
    client.force_login(member)
    index = client.get(reverse("forum:index"))
    assert index.context["header_counts"].notifications == 1
    assert "1 unread" in index.content.decode()
    page = client.get(reverse("forum:notifications"))
    notification = page.context["notifications"][0]
    response = client.get(reverse("forum:notification", args=[notification.pk]))
    reply = topic.posts.get(number=2)
    assert response["Location"] == f"{topic.get_absolute_url()}#post-{reply.pk}"
    index = client.get(reverse("forum:index"))
    assert index.context["header_counts"].notifications == 0
    assert "unread" not in index.content.decode()
    # Someone else's notification is not found.
    client.force_login(outsider)
    assert client.get(reverse("forum:notification", args=[notification.pk])).status_code == 404


def test_no_notification_leaks_out_of_a_cohort_space(
    public, cohort, participant, outsider, make_topic
):
    topic = make_topic(cohort, participant, body="Hello @outsider, are you here?")
    services.post_create(topic=topic, author=participant, body="Anyone?", language="en")
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_notifications_of_a_closed_space_are_no_longer_shown(
    client, cohort, participant, make_member, edition, make_topic
):
    from tests.academies.factories import enrol

    other = make_member("other")
    enrol(other, edition)
    topic = make_topic(cohort, participant)
    services.post_create(topic=topic, author=other, body="Hi @lucia", language="en")
    client.force_login(participant)
    assert client.get(reverse("forum:index")).context["header_counts"].notifications == 1
    participant.participations.all().delete()
    index = client.get(reverse("forum:index"))
    assert index.context["header_counts"].notifications == 0
    assert "unread" not in index.content.decode()
    assert client.get(reverse("forum:notifications")).context["notifications"].__len__() == 0


def test_unread_tracking_and_jump_to_first_unread(client, public, member, outsider, make_topic):
    topic = make_topic(public, member, replies=24)  # 25 posts
    client.force_login(outsider)
    client.get(topic.get_absolute_url())  # reads page 1: posts 1-20
    assert TopicReadState.objects.get(user=outsider, topic=topic).last_read_number == 20
    listing = client.get(reverse("forum:category", args=[public.slug]))
    assert listing.context["topics"][0].new_posts == 5
    response = client.get(reverse("forum:first_unread", args=[topic.pk]))
    post21 = topic.posts.get(number=21)
    assert response["Location"] == f"{topic.get_absolute_url()}?page=2#post-{post21.pk}"
    client.get(topic.get_absolute_url(), {"page": 2})
    client.get(topic.get_absolute_url())  # going back never lowers the mark
    assert TopicReadState.objects.get(user=outsider, topic=topic).last_read_number == 25
    listing = client.get(reverse("forum:category", args=[public.slug]))
    assert listing.context["topics"][0].new_posts == 0


def test_watch_toggle(client, public, member, outsider, make_topic):
    topic = make_topic(public, member)
    client.force_login(outsider)
    client.post(reverse("forum:topic_watch", args=[topic.pk]))
    services.post_create(topic=topic, author=member, body="News", language="en")
    assert Notification.objects.filter(recipient=outsider, kind=NotificationKind.REPLY).exists()
    client.post(reverse("forum:topic_watch", args=[topic.pk]))
    assert not TopicWatch.objects.filter(topic=topic, user=outsider).exists()


def test_authors_are_told_of_moderation(client, public, member, moderator, make_topic):
    topic = make_topic(public, member)
    post = topic.posts.get()
    services.post_set_hidden(post=post, moderator=moderator, hidden=True)
    client.force_login(member)
    page = client.get(reverse("forum:notifications"))
    assert [n.kind for n in page.context["notifications"]] == [NotificationKind.HIDDEN]
    assert b"hid your post" in page.content


def test_category_watchers_hear_of_new_topics(client, public, member, outsider, make_topic):
    client.force_login(outsider)
    client.post(reverse("forum:category_watch", args=[public.slug]))
    topic = make_topic(public, member)
    services.post_create(topic=topic, author=member, body="More", language="en")
    kinds = list(
        Notification.objects.filter(recipient=outsider)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == [NotificationKind.NEW_TOPIC, NotificationKind.REPLY]


def test_authors_are_told_when_a_moderator_pins_locks_splits_or_merges(
    client, public, member, outsider, moderator, make_topic
):
    topic = make_topic(public, member, title="Seed banks", replies=1)
    services.post_create(topic=topic, author=outsider, body="Off topic: bees", language="en")
    services.post_create(topic=topic, author=outsider, body="More on bees", language="en")
    services.topic_set_pinned(topic=topic, moderator=moderator, pinned=True)
    services.topic_set_pinned(topic=topic, moderator=moderator, pinned=True)  # no change
    services.topic_set_locked(topic=topic, moderator=moderator, locked=True)
    services.topic_set_locked(topic=topic, moderator=moderator, locked=False)
    services.topic_set_pinned(topic=topic, moderator=moderator, pinned=False)
    new = services.topic_split(topic=topic, first=3, last=4, title="Bees", moderator=moderator)
    other = make_topic(public, outsider, title="Seed libraries")
    services.topic_merge(source=other, target=new, moderator=moderator)

    def kinds(user):
        return list(
            Notification.objects.filter(recipient=user)
            .exclude(kind=NotificationKind.REPLY)  # the outsider's replies, watched by the author
            .order_by("pk")
            .values_list("kind", "post__topic_id")
        )

    assert kinds(member) == [
        (NotificationKind.PINNED, topic.pk),
        (NotificationKind.LOCKED, topic.pk),
        (NotificationKind.UNLOCKED, topic.pk),
        (NotificationKind.UNPINNED, topic.pk),
    ]
    # The split tells the moved posts' author once; the merge the merged topic's author.
    assert kinds(outsider) == [(NotificationKind.SPLIT, new.pk), (NotificationKind.MERGED, new.pk)]
    assert not Notification.objects.filter(recipient=moderator).exists()
    client.force_login(outsider)
    page = client.get(reverse("forum:notifications")).content.decode()
    assert "moved your post into a new topic" in page and "merged your topic" in page


def test_a_moderator_acting_on_their_own_topic_is_not_notified(moderator, public, make_topic):
    topic = make_topic(public, moderator)
    services.post_create(topic=topic, author=moderator, body="A second post", language="en")
    services.topic_set_locked(topic=topic, moderator=moderator, locked=True)
    services.topic_split(topic=topic, first=2, last=2, title="Split off", moderator=moderator)
    assert ModerationLog.objects.count() == 2 and not Notification.objects.exists()
