import pytest
from django.urls import reverse

from forum import services
from forum.models import Post, Topic

pytestmark = pytest.mark.django_db


def _reply(client, topic, body, **extra):
    return client.post(
        reverse("forum:reply", args=[topic.pk]), {"body": body, "language": "fr", **extra}
    )


def test_member_starts_a_topic_and_replies(client, public, member):
    client.force_login(member)
    response = client.post(
        reverse("forum:topic_create", args=[public.slug]),
        {"title": "Bonjour à toutes et à tous", "body": "Je suis *Amina*.", "language": "fr"},
    )
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    assert topic.slug == "bonjour-a-toutes-et-a-tous" and topic.language == "fr"
    assert (topic.post_count, topic.last_number, topic.author) == (1, 1, member)

    response = _reply(client, topic, "Une réponse")
    post = Post.objects.get(number=2)
    assert response["Location"] == f"{topic.get_absolute_url()}#post-{post.pk}"
    topic.refresh_from_db()
    assert topic.post_count == 2 and topic.last_post_at == post.created_at
    page = client.get(topic.get_absolute_url())
    assert b"<em>Amina</em>" in page.content and b"Une r\xc3\xa9ponse" in page.content


def test_language_defaults_to_detection_then_the_preferred_language(client, public, make_member):
    author = make_member("it", preferred_language="it")
    client.force_login(author)
    form = client.get(reverse("forum:topic_create", args=[public.slug])).context["form"]
    assert form["language"].value() == ""  # detect automatically
    client.post(
        reverse("forum:topic_create", args=[public.slug]),
        {"title": "Ciao", "body": "Ciao!", "language": ""},
    )
    topic = Topic.objects.get()
    # Too short to detect: the author's preferred language.
    assert topic.language == "it" and topic.posts.get().language_detected


def test_preview_renders_without_posting(client, public, member, make_topic):
    topic = make_topic(public, member)
    client.force_login(member)
    response = _reply(client, topic, "**Bold** idea", preview="1")
    assert response.status_code == 200
    assert "<strong>Bold</strong>" in str(response.context["preview"])
    assert b"**Bold** idea" in response.content  # the form keeps the text
    assert topic.posts.count() == 1


def test_quote_prefills_the_reply(client, public, member, outsider, make_topic):
    topic = make_topic(public, member, body="Line one\nLine two")
    first = topic.posts.get()
    client.force_login(outsider)
    response = client.get(reverse("forum:reply", args=[topic.pk]), {"quote": first.pk})
    body = response.context["form"].initial["body"]
    assert "@member" in body and "> Line one\n> Line two" in body
    # A junk or foreign id quotes nothing and never fails.
    for junk in ["abc", "999999", "-1"]:
        response = client.get(reverse("forum:reply", args=[topic.pk]), {"quote": junk})
        assert response.status_code == 200 and "body" not in response.context["form"].initial


def test_edit_keeps_every_version_and_marks_the_post(client, public, member, make_topic):
    topic = make_topic(public, member, body="Version 1")
    post = topic.posts.get()
    client.force_login(member)
    url = reverse("forum:post_edit", args=[post.pk])
    assert client.get(url).context["form"].initial["body"] == "Version 1"
    client.post(url, {"body": "Version 2", "language": "en"})
    client.post(url, {"body": "Version 3", "language": "es"})
    post.refresh_from_db()
    assert post.body == "Version 3" and post.edited_at is not None and post.language == "es"
    assert list(post.revisions.values_list("body", flat=True)) == ["Version 2", "Version 1"]
    page = client.get(topic.get_absolute_url())
    assert b"edited" in page.content
    revisions = client.get(reverse("forum:post_revisions", args=[post.pk]))
    assert b"Version 1" in revisions.content and b"Version 2" in revisions.content
    topic.refresh_from_db()
    assert topic.language == "es"


def test_soft_delete_own_post(client, public, member, moderator, make_topic):
    topic = make_topic(public, member, replies=1)
    post = topic.posts.get(number=2)
    client.force_login(member)
    assert client.get(reverse("forum:post_delete", args=[post.pk])).status_code == 200
    client.post(reverse("forum:post_delete", args=[post.pk]))
    post.refresh_from_db()
    topic.refresh_from_db()
    assert post.is_deleted and Post.objects.filter(pk=post.pk).exists()
    assert topic.post_count == 1
    page = client.get(topic.get_absolute_url())
    assert b"Reply 1" not in page.content and b"deleted by its author" in page.content
    # A moderator restores it.
    client.force_login(moderator)
    client.post(reverse("forum:post_moderate", args=[post.pk]), {"action": "restore"})
    post.refresh_from_db()
    topic.refresh_from_db()
    assert not post.is_deleted and topic.post_count == 2


def test_other_peoples_posts_answer_403(client, public, member, outsider, make_topic):
    topic = make_topic(public, member)
    post = topic.posts.get()
    client.force_login(outsider)
    assert client.get(reverse("forum:post_edit", args=[post.pk])).status_code == 403
    assert (
        client.post(
            reverse("forum:post_edit", args=[post.pk]), {"body": "x", "language": "en"}
        ).status_code
        == 403
    )
    assert client.post(reverse("forum:post_delete", args=[post.pk])).status_code == 403
    assert client.get(reverse("forum:post_revisions", args=[post.pk])).status_code == 403
    assert (
        client.post(reverse("forum:post_moderate", args=[post.pk]), {"action": "hide"}).status_code
        == 403
    )
    assert (
        client.post(
            reverse("forum:topic_moderate", args=[topic.pk]), {"action": "lock"}
        ).status_code
        == 403
    )
    post.refresh_from_db()
    assert post.body == "First post" and not post.is_deleted and not post.is_hidden
    # Ids that do not exist are 404, never 500.
    assert client.get(reverse("forum:post_edit", args=[999999])).status_code == 404
    assert client.get("/en/forum/t/999999-nothing/").status_code == 404


def test_locked_topic_refuses_replies(client, public, member, moderator, make_topic):
    topic = make_topic(public, member)
    services.topic_set_locked(topic=topic, moderator=moderator, locked=True)
    client.force_login(member)
    response = _reply(client, topic, "Too late")
    assert response.status_code == 403 and b"locked" in response.content
    assert topic.posts.count() == 1
    client.force_login(moderator)
    assert _reply(client, topic, "Moderator note").status_code == 302


def test_unverified_member_cannot_post(client, public, make_member, make_topic, member):
    topic = make_topic(public, member)
    newcomer = make_member("newcomer")
    newcomer.emailaddress_set.update(verified=False)
    client.force_login(newcomer)
    assert _reply(client, topic, "Hi").status_code == 403
    assert client.get(reverse("forum:topic_create", args=[public.slug])).status_code == 403


def test_empty_and_too_long_bodies_are_form_errors(client, public, member, make_topic):
    topic = make_topic(public, member)
    client.force_login(member)
    response = _reply(client, topic, "   ")
    assert response.status_code == 200 and response.context["form"].errors["body"]
    response = _reply(client, topic, "x" * 20_001)
    assert "at most 20000" in str(response.context["form"].errors["body"])
    response = client.post(
        reverse("forum:topic_create", args=[public.slug]),
        {"title": "", "body": "b", "language": "xx"},
    )
    errors = response.context["form"].errors
    assert "title" in errors and "language" in errors
    assert topic.posts.count() == 1 and Topic.objects.count() == 1


def test_errors_are_translated(client, public, member, make_topic):
    topic = make_topic(public, member)
    client.force_login(member)
    response = client.post(f"/fr/forum/t/{topic.pk}/reply/", {"body": "", "language": "fr"})
    assert response.status_code == 200
    assert response.context["form"].errors["body"]


def test_script_is_sanitised(client, public, member, make_topic):
    hostile = (
        "<script>alert(1)</script> [click](javascript:alert(2)) "
        '<img src=x onerror="alert(3)"> <a href="#" onclick="alert(4)">x</a>'
    )
    topic = make_topic(public, member, title="<script>alert(5)</script>", body=hostile)
    main = client.get(topic.get_absolute_url()).content.decode().split("<main", 1)[1]
    for needle in ["<script", 'href="javascript:', "onerror=", "onclick=", "<img"]:
        assert needle not in main
    assert "&lt;script&gt;alert(5)" in main  # the title is escaped


def test_rate_limit(client, public, member, make_topic, monkeypatch):
    monkeypatch.setattr(services, "POST_RATE_LIMIT", 3)
    topic = make_topic(public, member)
    client.force_login(member)
    for number in range(3):
        assert _reply(client, topic, f"Post {number}").status_code == 302
    response = _reply(client, topic, "One too many")
    assert response.status_code == 429
    assert b"too fast" in response.content
    assert topic.posts.count() == 4


def test_like_and_bookmark_toggle(client, public, member, outsider, make_topic):
    topic = make_topic(public, member)
    post = topic.posts.get()
    client.force_login(outsider)
    url = reverse("forum:post_like", args=[post.pk])
    assert client.get(url).status_code == 405
    client.post(url)
    post.refresh_from_db()
    assert post.like_count == 1
    client.post(url)
    post.refresh_from_db()
    assert post.like_count == 0
    client.post(reverse("forum:post_bookmark", args=[post.pk]))
    assert b"A topic" in client.get(reverse("forum:bookmarks")).content


def test_report_goes_to_the_moderation_queue(
    client, public, member, outsider, moderator, make_topic
):
    topic = make_topic(public, member, body="Spam spam")
    post = topic.posts.get()
    client.force_login(outsider)
    response = client.post(reverse("forum:post_report", args=[post.pk]), {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    client.post(reverse("forum:post_report", args=[post.pk]), {"reason": "Advertising"})
    assert client.get(reverse("forum:moderation")).status_code == 403
    client.force_login(moderator)
    queue = client.get(reverse("forum:moderation"))
    assert b"Advertising" in queue.content
    report = queue.context["reports"][0]
    client.post(reverse("forum:post_moderate", args=[post.pk]), {"action": "hide"})
    client.post(reverse("forum:report_resolve", args=[report.pk]))
    post.refresh_from_db()
    topic.refresh_from_db()
    assert post.is_hidden and topic.post_count == 0
    queue = client.get(reverse("forum:moderation"))
    assert b"Advertising" not in queue.content and b"Hid a post" in queue.content
    client.force_login(outsider)
    assert b"Spam spam" not in client.get(topic.get_absolute_url()).content


def test_moderators_pin_lock_and_move(
    client, public, staff_only, member, moderator, make_topic, make_member
):
    first = make_topic(public, member, title="Older")
    make_topic(public, member, title="Newer")
    client.force_login(moderator)
    client.post(reverse("forum:topic_moderate", args=[first.pk]), {"action": "pin"})
    topics = client.get(reverse("forum:category", args=[public.slug])).context["topics"]
    assert [t.title for t in topics] == ["Older", "Newer"]
    other = type(public).objects.create(slug="other", name_en="Other")
    client.post(
        reverse("forum:topic_moderate", args=[first.pk]), {"action": "move", "category": other.pk}
    )
    first.refresh_from_db()
    assert first.category == other and first.pinned
    # A category the moderator cannot read is no destination.
    response = client.post(
        reverse("forum:topic_moderate", args=[first.pk]),
        {"action": "move", "category": staff_only.pk},
    )
    assert response.status_code == 400


def test_language_filter_on_topic_list(client, public, member, make_topic):
    make_topic(public, member, title="English topic", language="en")
    make_topic(public, member, title="Sujet français", language="fr")
    response = client.get(reverse("forum:category", args=[public.slug]), {"language": "fr"})
    assert [t.title for t in response.context["topics"]] == ["Sujet français"]
    response = client.get(reverse("forum:category", args=[public.slug]), {"language": "<x>"})
    assert len(response.context["topics"]) == 2


def test_filter_by_the_languages_i_read(client, public, make_member, member, make_topic):
    reader = make_member("reader", languages_spoken=["fr", "pt"])
    make_topic(public, member, title="English", language="en")
    make_topic(public, member, title="Português", language="pt")
    make_topic(public, member, title="Français", language="fr")
    client.force_login(reader)
    response = client.get(reverse("forum:category", args=[public.slug]), {"language": "mine"})
    assert {t.title for t in response.context["topics"]} == {"Português", "Français"}


def test_moderators_merge_and_split(client, public, member, outsider, moderator, make_topic):
    target = make_topic(public, member, title="Target", replies=2)  # posts 1-3
    source = make_topic(public, outsider, title="Source", replies=1)  # posts 1-2
    moved = source.posts.get(number=2)
    client.force_login(moderator)
    url = reverse("forum:topic_moderate", args=[source.pk])
    response = client.post(url, {"action": "merge", "target": target.pk})
    assert response.status_code == 302
    assert not Topic.objects.filter(pk=source.pk).exists()
    target.refresh_from_db()
    assert (target.post_count, target.last_number) == (5, 5)
    moved.refresh_from_db()
    assert (moved.topic_id, moved.number) == (target.pk, 5)
    assert client.get(reverse("forum:post", args=[moved.pk]))["Location"].endswith(
        f"#post-{moved.pk}"
    )

    response = client.post(
        reverse("forum:topic_moderate", args=[target.pk]),
        {"action": "split", "first": 4, "last": 5, "title": "Split off"},
    )
    new = Topic.objects.get(title="Split off")
    assert response["Location"] == new.get_absolute_url()
    assert list(new.posts.values_list("number", flat=True)) == [1, 2]
    assert new.post_count == 2 and new.author == outsider
    target.refresh_from_db()
    assert target.post_count == 3 and target.last_number == 3
    # Bad input is a clear 400, never a 500.
    bad = client.post(
        reverse("forum:topic_moderate", args=[target.pk]), {"action": "merge", "target": target.pk}
    )
    assert bad.status_code == 400
    bad = client.post(
        reverse("forum:topic_moderate", args=[target.pk]),
        {"action": "split", "first": 9, "last": 9, "title": "Nothing"},
    )
    assert bad.status_code == 400
