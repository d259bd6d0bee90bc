"""After a split or a merge, posts are numbered 1..n again: every page but the last holds 20
posts, permalinks (by id) land on the right page, and read marks follow the posts."""

import pytest
from django.urls import reverse

from forum import services
from forum.models import POSTS_PER_PAGE, Post, Topic, TopicReadState

pytestmark = pytest.mark.django_db


def _pages(client, topic):
    """The posts shown on each page of the topic, as lists of ids."""
    topic.refresh_from_db()
    pages = []
    for number in range(1, topic.num_pages + 1):
        response = client.get(topic.get_absolute_url(), {"page": number})
        assert response.context["page_obj"].number == number
        pages.append([post.pk for post in response.context["posts"]])
    return pages


def _assert_full_pages(client, topic, expected_ids):
    pages = _pages(client, topic)
    assert all(len(page) == POSTS_PER_PAGE for page in pages[:-1])
    assert 0 < len(pages[-1]) <= POSTS_PER_PAGE
    assert [pk for page in pages for pk in page] == expected_ids
    topic.refresh_from_db()
    numbers = list(topic.posts.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(expected_ids) + 1)) and topic.last_number == len(numbers)
    for index, pk in enumerate(expected_ids):
        if index % 7 and index != len(expected_ids) - 1:
            continue  # a sample, the last one included
        location = client.get(reverse("forum:post", args=[pk]))["Location"]
        page = index // POSTS_PER_PAGE + 1
        expected = topic.get_absolute_url() + (f"?page={page}" if page > 1 else "")
        assert location == f"{expected}#post-{pk}"
        assert f'id="post-{pk}"' in client.get(expected).content.decode()


def test_split_then_merge_keeps_every_page_full(
    client, public, member, outsider, moderator, make_topic
):
    topic = make_topic(public, member, title="Long", replies=44)  # posts 1..45
    ids = list(topic.posts.order_by("number").values_list("pk", flat=True))
    services.topic_split(topic=topic, first=11, last=25, title="Split off", moderator=moderator)
    new = Topic.objects.get(title="Split off")
    remaining = ids[:10] + ids[25:]
    _assert_full_pages(client, topic, remaining)  # 30 posts: 20 + 10
    _assert_full_pages(client, new, ids[10:25])  # 15 posts
    topic.refresh_from_db()
    assert topic.post_count == 30 and new.post_count == 15

    other = make_topic(public, outsider, title="Other", replies=24)  # 25 posts
    other_ids = list(other.posts.order_by("number").values_list("pk", flat=True))
    services.topic_merge(source=other, target=topic, moderator=moderator)
    _assert_full_pages(client, topic, remaining + other_ids)  # 55: 20 + 20 + 15
    topic.refresh_from_db()
    assert topic.post_count == 55
    # The split-off topic, merged back: 70 posts, 4 pages.
    services.topic_merge(source=new, target=topic, moderator=moderator)
    _assert_full_pages(client, topic, remaining + other_ids + ids[10:25])


def test_hidden_and_deleted_posts_keep_their_place(client, public, member, moderator, make_topic):
    topic = make_topic(public, member, replies=24)  # 25 posts
    ids = list(topic.posts.order_by("number").values_list("pk", flat=True))
    services.post_delete(post=Post.objects.get(pk=ids[3]))
    services.post_set_hidden(post=Post.objects.get(pk=ids[5]), moderator=moderator, hidden=True)
    # As before: a placeholder stands in their place, so pages stay as they were.
    _assert_full_pages(client, topic, ids)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "deleted by its author" in page and "hidden by a moderator" in page
    # Splitting around them moves their placeholders along and renumbers the rest.
    services.topic_split(topic=topic, first=2, last=8, title="Side talk", moderator=moderator)
    _assert_full_pages(client, topic, ids[:1] + ids[8:])
    new = Topic.objects.get(title="Side talk")
    _assert_full_pages(client, new, ids[1:8])
    new.refresh_from_db()
    assert new.post_count == 5  # 7 posts, 2 of them not visible


def test_read_marks_follow_the_posts(client, public, member, outsider, moderator, make_topic):
    topic = make_topic(public, member, replies=44)  # 45 posts
    TopicReadState.objects.create(topic=topic, user=outsider, last_read_number=30)
    TopicReadState.objects.create(topic=topic, user=moderator, last_read_number=5)
    services.topic_split(topic=topic, first=11, last=25, title="Split off", moderator=moderator)
    new = Topic.objects.get(title="Split off")
    marks = dict(
        TopicReadState.objects.filter(topic=topic).values_list(
            "user__username", "last_read_number"
        )
    )
    # Read up to #30: #1-10 and #26-30 stayed, now #1-15.
    assert marks == {"outsider": 15, "marco": 5}
    new_marks = dict(
        TopicReadState.objects.filter(topic=new).values_list("user__username", "last_read_number")
    )
    assert new_marks == {"outsider": 15}  # all the moved posts were read
    client.force_login(outsider)
    listing = client.get(reverse("forum:category", args=[public.slug])).context["topics"]
    assert {t.title: t.new_posts for t in listing} == {"A topic": 15, "Split off": 0}
    jump = client.get(reverse("forum:first_unread", args=[topic.pk]))
    expected = topic.posts.get(number=16)
    assert jump["Location"].endswith(f"#post-{expected.pk}")

    # Merging: who had read all of the target keeps going into the source's read posts.
    other = make_topic(public, member, title="Other", replies=9)  # 10 posts
    TopicReadState.objects.filter(topic=topic, user=outsider).update(last_read_number=30)
    TopicReadState.objects.create(topic=other, user=outsider, last_read_number=4)
    services.topic_merge(source=other, target=topic, moderator=moderator)
    marks = dict(
        TopicReadState.objects.filter(topic=topic).values_list(
            "user__username", "last_read_number"
        )
    )
    assert marks == {"outsider": 34, "marco": 5}


def test_merge_keeps_waiting_posts_waiting(public, member, moderator, make_member, make_topic):
    target = make_topic(public, member, title="Target", replies=2)
    source = make_topic(public, member, title="Source", replies=1)
    public.approve_first_posts = 1
    public.save()
    newcomer = make_member("newcomer")
    waiting = services.post_create(topic=source, author=newcomer, body="Hi", language="en")
    services.topic_merge(source=source, target=target, moderator=moderator)
    waiting.refresh_from_db()
    target.refresh_from_db()
    assert waiting.topic == target and waiting.is_pending and waiting.number is None
    assert (target.last_number, target.post_count) == (5, 5)
    services.post_approve(post=waiting, moderator=moderator)
    waiting.refresh_from_db()
    assert waiting.number == 6


def test_earlier_gaps_are_closed_by_the_next_split(client, public, member, moderator, make_topic):
    """Topics split before numbers were kept gapless are renumbered by the next split."""
    topic = make_topic(public, member, replies=29)  # 30 posts
    ids = list(topic.posts.order_by("number").values_list("pk", flat=True))
    Post.objects.filter(pk__in=ids[2:6]).delete()  # a gap #3-6, as an old split left it
    services.topic_split(topic=topic, first=29, last=30, title="Tail", moderator=moderator)
    _assert_full_pages(client, topic, ids[:2] + ids[6:28])
