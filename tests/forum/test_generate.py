import pytest
from django.contrib.postgres.search import SearchVector
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Value

from academies.models import Edition
from collective_brain.search import multilingual_query, search_config
from forum.generate import COHORT_SLUG, REBUILD_INDEXES_FROM
from forum.models import Access, Category, Post, Topic

pytestmark = pytest.mark.django_db


def generated_topics():
    return Topic.objects.filter(category__slug__startswith="generated-")


def test_generated_forum_is_consistent(client):
    call_command("generate_data", topics=12, posts=160, longest=40)
    topics = generated_topics()
    assert topics.count() == 12
    assert Post.objects.filter(topic__in=topics).count() == 160
    for topic in topics.annotate(n=Count("posts"), top=Max("posts__number")):
        assert topic.post_count == topic.n == topic.last_number == topic.top
        last = topic.posts.order_by("-number").first()
        assert topic.last_post_at == last.created_at
        assert topic.last_post_author_id == last.author_id
    longest = topics.order_by("-last_number").first()
    assert longest.last_number == 40 and longest.category.access == Access.PUBLIC
    assert client.get(longest.get_absolute_url(), {"page": 2}).status_code == 200
    # Spread over the public categories and a cohort space of a generated edition.
    categories = Category.objects.filter(topics__in=topics).distinct()
    assert categories.count() == 6
    cohort = categories.get(access=Access.COHORT)
    assert list(cohort.editions.values_list("slug", flat=True)) == [COHORT_SLUG]
    assert Edition.objects.get(slug=COHORT_SLUG).participations.exists()
    # Several languages, each post indexed with its own language's configuration.
    posts = Post.objects.filter(topic__in=topics)
    assert set(posts.values_list("language", flat=True)) == {"en", "fr", "es", "pt", "it"}
    assert not posts.filter(search_vector__isnull=True).exists()
    # The same vectors as posting through the services would store.
    for post in posts.filter(number__lte=2).select_related("topic")[:20]:
        config = search_config(post.language)
        expected = SearchVector(Value(post.body), config=config, weight="B")
        if post.number == 1:
            expected = SearchVector(Value(post.topic.title), config=config, weight="A") + expected
        stored, wanted = (
            Post.objects.filter(pk=post.pk)
            .annotate(expected=expected)
            .values_list("search_vector", "expected")
            .get()
        )
        assert stored == wanted, post
    rare = Post.objects.filter(topic__in=topics, search_vector=multilingual_query("beekeeping"))
    common = Post.objects.filter(
        topic__in=topics, search_vector=multilingual_query("cooperatives")
    )
    assert rare.count() < common.count() / 5


def test_replace_and_the_forum_alias():
    call_command("generate_forum_data", topics=5, posts=60, longest=40)
    call_command("generate_data", topics=2, posts=4, replace=True)
    assert generated_topics().count() == 2
    assert Post.objects.filter(topic__in=generated_topics()).count() == 4
    assert Edition.objects.filter(slug=COHORT_SLUG).count() == 1


def test_large_runs_rebuild_the_search_index(monkeypatch):
    monkeypatch.setattr("forum.generate.REBUILD_INDEXES_FROM", 10)
    assert REBUILD_INDEXES_FROM > 10
    call_command("generate_data", topics=3, posts=30)
    found = Post.objects.filter(topic__in=generated_topics(), search_vector="cooperatives")
    assert found.exists()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [Post._meta.db_table, "%USING gin%"],
        )
        assert cursor.fetchone()[0] >= 1


def test_nothing_to_generate_is_a_clear_error():
    with pytest.raises(CommandError, match="--publications"):
        call_command("generate_data")
    with pytest.raises(CommandError, match="--posts"):
        call_command("generate_data", topics=10, posts=3)
