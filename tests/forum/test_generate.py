import pytest
from django.core.management import call_command

from forum.models import Post, Topic

pytestmark = pytest.mark.django_db


def test_generated_forum_is_consistent(client):
    call_command("generate_forum_data", topics=5, posts=60, longest=40)
    topics = Topic.objects.filter(category__slug__startswith="generated-")
    assert topics.count() == 5
    for topic in topics:
        numbers = list(topic.posts.values_list("number", flat=True).order_by("number"))
        assert numbers == list(range(1, topic.last_number + 1)) and topic.post_count == len(
            numbers
        )
    longest = topics.order_by("-last_number").first()
    assert longest.last_number == 40
    assert client.get(longest.get_absolute_url(), {"page": 2}).status_code == 200
    assert Post.objects.filter(search_vector__isnull=True, topic__in=topics).count() == 0
    call_command("generate_forum_data", topics=2, posts=4, replace=True)
    assert Topic.objects.filter(category__slug__startswith="generated-").count() == 2
