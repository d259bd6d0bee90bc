import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from forum.models import Access, Category, Post, PostTranslation, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("seed_demo")


def _snapshot():
    return (
        list(Category.objects.values_list("slug", "name_fr", "access").order_by("slug")),
        list(Topic.objects.values_list("title", "post_count").order_by("title")),
        Post.objects.count(),
        PostTranslation.objects.count(),
    )


def test_demo_forum_is_seeded_once(seeded):
    before = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == before
    cohort = Category.objects.get(access=Access.COHORT)
    assert list(cohort.editions.values_list("number", flat=True)) == [11]
    assert Category.objects.filter(access=Access.PUBLIC).count() == 4
    assert set(Post.objects.values_list("language", flat=True)) >= {"en", "fr", "es", "pt", "it"}
    assert cohort.topics.exists()
    assert PostTranslation.objects.filter(language="fr").exists()


def test_demo_cohort_space_opens_to_the_participant_only(seeded, client):
    cohort = Category.objects.get(access=Access.COHORT)
    topic = cohort.topics.first()
    assert client.get(topic.get_absolute_url()).status_code == 404
    client.force_login(get_user_model().objects.get(username="member"))
    assert client.get(topic.get_absolute_url()).status_code == 404
    client.force_login(topic.author)
    assert client.get(topic.get_absolute_url()).status_code == 200
    assert client.get(reverse("forum:index")).status_code == 200
