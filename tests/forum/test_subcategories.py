"""A sub-category is never more open than its parent: refused when set up, and the permission
rule reads the parent chain anyway (for data set up before the check existed)."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse

from forum import permissions, services
from forum.models import Access, Category, Notification, Post, Topic
from tests.academies.factories import enrol, make_edition

pytestmark = pytest.mark.django_db


def _child(parent, access, slug="child"):
    """Saved without validation, as data from before the rule would be."""
    return Category.objects.create(slug=slug, name_en=slug.title(), access=access, parent=parent)


@pytest.mark.parametrize(
    ("parent_access", "child_access", "allowed"),
    [
        (Access.PUBLIC, Access.PUBLIC, True),
        (Access.PUBLIC, Access.COHORT, True),
        (Access.PUBLIC, Access.STAFF, True),
        (Access.COHORT, Access.PUBLIC, False),
        (Access.COHORT, Access.COHORT, True),
        (Access.COHORT, Access.STAFF, True),
        (Access.STAFF, Access.PUBLIC, False),
        (Access.STAFF, Access.COHORT, False),
        (Access.STAFF, Access.STAFF, True),
    ],
)
def test_a_child_is_never_more_open_than_its_parent(parent_access, child_access, allowed):
    parent = Category.objects.create(slug="parent", name_en="Parent", access=parent_access)
    child = Category(slug="child", name_en="Child", access=child_access, parent=parent)
    if allowed:
        child.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            child.full_clean()
        assert "access" in error.value.message_dict


def test_a_parent_cannot_close_above_its_children_nor_nest_deeper(public, staff_only):
    child = _child(public, Access.PUBLIC)
    public.access = Access.STAFF
    with pytest.raises(ValidationError, match="Child"):
        public.full_clean()
    grandchild = Category(slug="grandchild", name_en="Grandchild", parent=child)
    with pytest.raises(ValidationError, match="top-level"):
        grandchild.full_clean()
    # A category with sub-categories stays top-level.
    public.access = Access.STAFF
    public.parent = staff_only
    child.access = Access.STAFF
    child.save()
    with pytest.raises(ValidationError, match="sub-categories"):
        public.full_clean()


def test_a_public_child_of_a_cohort_parent_is_private_to_the_cohort(
    client, cohort, participant, outsider, make_topic, make_member
):
    child = _child(cohort, Access.PUBLIC, slug="cohort-corner")
    topic = make_topic(child, participant, title="Corner talk", body="Secret cooperative corner")
    post = topic.posts.get()
    anonymous = AnonymousUser()
    for user in (anonymous, outsider):
        assert not permissions.can_read(user, child)
        assert not Category.objects.readable_by(user).filter(pk=child.pk).exists()
        assert not Topic.objects.readable_by(user).filter(pk=topic.pk).exists()
        assert not Post.objects.readable_by(user).filter(pk=post.pk).exists()
    assert not permissions.can_post(outsider, child)
    assert not child.is_public
    assert permissions.can_read(participant, child)
    assert Category.objects.readable_by(participant).filter(pk=child.pk).exists()

    client.force_login(outsider)
    assert client.get(reverse("forum:category", args=[child.slug])).status_code == 404
    assert client.get(topic.get_absolute_url()).status_code == 404
    assert client.get(reverse("forum:search"), {"q": "corner"}).context["results"] == []
    assert b"Corner talk" not in client.get("/en/search/", {"q": "corner"}).content
    assert b"Corner talk" not in client.get("/en/").content
    assert b"Cohort Corner" not in client.get(reverse("forum:index")).content
    client.logout()
    assert client.get(reverse("forum:category_feed", args=[child.slug])).status_code == 404
    assert client.get(reverse("forum:topic_feed", args=[topic.pk])).status_code == 404
    assert b"corner-talk" not in client.get("/sitemap-forum-topics.xml").content

    # Mentions reach only those who read the whole chain.
    services.post_create(
        topic=topic, author=participant, body="@outsider and @other, look", language="en"
    )
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert set(permissions.readers(child).values_list("username", flat=True)) == {"lucia"}

    client.force_login(participant)
    assert client.get(topic.get_absolute_url()).status_code == 200
    index = client.get(reverse("forum:index")).context["categories"]
    assert [sub.slug for sub in index[0].subcategories] == ["cohort-corner"]


def test_a_cohort_child_reads_as_the_intersection_with_its_parent(cohort, edition, make_member):
    other = make_edition("Turin", "IT", number=12, slug="12-turin")
    child = _child(cohort, Access.COHORT)
    child.editions.add(other)
    in_both = make_member("both")
    enrol(in_both, edition)
    enrol(in_both, other)
    only_child = make_member("only-child")
    enrol(only_child, other)
    assert permissions.can_read(in_both, child)
    assert not permissions.can_read(only_child, child)
    assert list(Category.objects.readable_by(only_child)) == []


def test_the_admin_refuses_a_child_more_open_than_its_parent(client, make_member, cohort, edition):
    curator = make_member("curator", is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=curator, type=Authenticator.Type.TOTP, data={})
    client.force_login(curator)
    url = reverse("admin:forum_category_add")
    data = {"slug": "child", "name_en": "Child", "order": 0, "approve_first_posts": 0}
    response = client.post(url, {**data, "access": "public", "parent": cohort.pk})
    assert response.status_code == 200
    assert "access" in response.context["adminform"].form.errors
    other = make_edition("Turin", "IT", number=12, slug="12-turin")
    response = client.post(
        url, {**data, "access": "cohort", "parent": cohort.pk, "editions": [other.pk]}
    )
    assert "editions" in response.context["adminform"].form.errors
    assert not Category.objects.filter(slug="child").exists()
    response = client.post(
        url, {**data, "access": "cohort", "parent": cohort.pk, "editions": [edition.pk]}
    )
    assert response.status_code == 302
    assert Category.objects.get(slug="child").parent == cohort


def test_the_index_rule_in_python_agrees_with_the_querysets(
    public, cohort, staff_only, edition, participant, outsider, make_member
):
    other_edition = make_edition("Turin", "IT", number=12, slug="12-turin")
    other_cohort = Category.objects.create(slug="turin", name_en="Turin", access=Access.COHORT)
    other_cohort.editions.add(other_edition)
    both = make_member("both")
    enrol(both, edition)
    enrol(both, other_edition)
    # Every pairing of parent and child, old data included (a child more open than its parent).
    for parent in (public, cohort, staff_only, other_cohort):
        for access in Access.values:
            _child(parent, access, slug=f"{parent.slug}-{access}")
    staff = make_member("staffer", is_staff=True)
    inactive = make_member("gone", is_active=False)
    enrol(inactive, edition)
    for reader in (AnonymousUser(), outsider, participant, both, staff, inactive):
        in_python = [c.slug for c in permissions.readable_categories(reader)]
        in_sql = list(
            Category.objects.readable_by(reader)
            .order_by("order", "pk")
            .values_list("slug", flat=True)
        )
        assert in_python == in_sql, reader
    readable = {c.slug for c in permissions.readable_categories(both)}
    assert {"turin", "turin-public", "madrid-cohort-public"} <= readable
    readable = {c.slug for c in permissions.readable_categories(participant)}
    assert "turin" not in readable and "turin-public" not in readable
    # A cohort child with no edition of its own is read by nobody but staff.
    assert "turin-cohort" not in readable
