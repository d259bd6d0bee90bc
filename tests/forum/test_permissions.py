import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from forum import permissions
from forum.models import Category, Post, Topic

pytestmark = pytest.mark.django_db


def test_rule_for_each_kind_of_space(
    public, cohort, staff_only, participant, outsider, moderator, make_member
):
    anonymous = AnonymousUser()
    staff = make_member("staffer", is_staff=True)
    unverified = make_member("unverified")
    unverified.emailaddress_set.update(verified=False)
    unverified = type(unverified).objects.get(pk=unverified.pk)

    assert permissions.can_read(anonymous, public)
    assert not permissions.can_post(anonymous, public)
    assert permissions.can_post(outsider, public)
    assert permissions.can_read(unverified, public) and not permissions.can_post(
        unverified, public
    )

    assert not permissions.can_read(anonymous, cohort)
    assert not permissions.can_read(outsider, cohort)
    assert permissions.can_read(participant, cohort) and permissions.can_post(participant, cohort)
    assert permissions.can_read(staff, cohort)
    assert not permissions.can_read(moderator, cohort)  # moderators moderate what they can read

    assert not permissions.can_read(participant, staff_only)
    assert permissions.can_read(staff, staff_only)

    assert permissions.can_moderate(moderator, public)
    assert not permissions.can_moderate(moderator, cohort)
    assert not permissions.can_moderate(outsider, public)


def test_querysets_apply_the_same_rule(
    public, cohort, staff_only, participant, outsider, make_member
):
    staff = make_member("staffer", is_staff=True)
    for user, expected in [
        (AnonymousUser(), {"welcome"}),
        (outsider, {"welcome"}),
        (participant, {"welcome", "madrid-cohort"}),
        (staff, {"welcome", "madrid-cohort", "staff-room"}),
    ]:
        slugs = set(Category.objects.readable_by(user).values_list("slug", flat=True))
        assert slugs == expected
        for category in Category.objects.all():
            assert permissions.can_read(user, category) == (category.slug in expected)


def test_cohort_space_is_invisible_to_outsiders_everywhere(
    client, public, cohort, participant, outsider, make_topic
):
    secret = make_topic(
        cohort, participant, title="Cohort plans", body="Our secret cooperative plans"
    )
    make_topic(public, participant, title="Open talk", body="Public cooperative talk")
    post = secret.posts.get()
    client.force_login(outsider)

    index = client.get(reverse("forum:index"))
    assert b"Madrid cohort" not in index.content
    assert client.get(reverse("forum:category", args=[cohort.slug])).status_code == 404
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert client.get(reverse("forum:post", args=[post.pk])).status_code == 404
    assert client.get(reverse("forum:reply", args=[secret.pk])).status_code == 404
    assert client.get(reverse("forum:post_edit", args=[post.pk])).status_code == 404
    assert client.post(reverse("forum:post_like", args=[post.pk])).status_code == 404
    search = client.get(reverse("forum:search"), {"q": "cooperative"})
    assert b"Public cooperative talk" in search.content or b"Open talk" in search.content
    assert b"Cohort plans" not in search.content and b"secret" not in search.content
    assert client.get(reverse("forum:category_feed", args=[cohort.slug])).status_code == 404
    assert client.get(reverse("forum:topic_feed", args=[secret.pk])).status_code == 404
    assert not Topic.objects.readable_by(outsider).filter(pk=secret.pk).exists()
    assert not Post.objects.readable_by(outsider).filter(pk=post.pk).exists()

    client.force_login(participant)
    assert b"Madrid cohort" in client.get(reverse("forum:index")).content
    assert client.get(secret.get_absolute_url()).status_code == 200
    assert b"Cohort plans" in client.get(reverse("forum:search"), {"q": "cooperative"}).content
    # Even a participant gets no feed of a private space.
    assert client.get(reverse("forum:topic_feed", args=[secret.pk])).status_code == 404


def test_index_counts_only_readable_content(
    client, public, cohort, participant, outsider, make_topic
):
    make_topic(cohort, participant, replies=4)
    make_topic(public, participant, replies=1)
    client.force_login(outsider)
    categories = client.get(reverse("forum:index")).context["categories"]
    assert [(c.slug, c.topic_total, c.post_total) for c in categories] == [("welcome", 1, 2)]
    client.force_login(participant)
    categories = client.get(reverse("forum:index")).context["categories"]
    assert [(c.slug, c.topic_total, c.post_total) for c in categories] == [
        ("welcome", 1, 2),
        ("madrid-cohort", 1, 5),
    ]


def test_visitors_read_public_topics_but_cannot_post(client, public, participant, make_topic):
    topic = make_topic(public, participant, body="Hello **world**")
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert b"<strong>world</strong>" in response.content
    response = client.get(reverse("forum:reply", args=[topic.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("forum:category_feed", args=[public.slug])).status_code == 200
    assert client.get(reverse("forum:topic_feed", args=[topic.pk])).status_code == 200


def test_category_moderators_moderate_their_category_only(
    client, public, member, make_member, make_topic
):
    from forum.models import Category

    other = Category.objects.create(slug="other", name_en="Other")
    keeper = make_member("keeper")
    public.moderators.add(keeper)
    assert permissions.can_moderate(keeper, public)
    assert not permissions.can_moderate(keeper, other)
    mine = make_topic(public, member)
    theirs = make_topic(other, member)
    client.force_login(keeper)
    assert (
        client.post(
            reverse("forum:topic_moderate", args=[mine.pk]), {"action": "lock"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("forum:topic_moderate", args=[theirs.pk]), {"action": "lock"}
        ).status_code
        == 403
    )
    assert client.get(reverse("forum:moderation")).status_code == 200
