import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from forum.models import Category
from forum.sitemaps import ForumCategorySitemap, ForumTopicSitemap

pytestmark = pytest.mark.django_db


def test_admin_pages_open(client, make_member, public, cohort):
    curator = make_member("curator", is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=curator, type=Authenticator.Type.TOTP, data={})
    client.force_login(curator)
    for name in ["category", "tag", "report", "moderationlog"]:
        assert client.get(reverse(f"admin:forum_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:forum_category_change", args=[cohort.pk])).status_code == 200


def test_reserved_slug_is_refused(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Category(slug="search", name_en="Search").full_clean()


def test_sitemaps_list_public_content_only(public, cohort, participant, make_topic):
    open_topic = make_topic(public, participant, title="Open")
    make_topic(cohort, participant, title="Closed")
    assert list(ForumCategorySitemap().items()) == [public]
    assert list(ForumTopicSitemap().items()) == [open_topic]
    assert Category.objects.readable_by(AnonymousUser()).count() == 1
