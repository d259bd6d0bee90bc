import pytest
from django.urls import reverse

from forum.models import PostTranslation

pytestmark = pytest.mark.django_db


def test_contributed_translation_is_shown_to_readers_of_that_language(
    client, public, member, outsider, moderator, make_member, make_topic
):
    topic = make_topic(public, member, body="Hello *everyone*", language="en")
    post = topic.posts.get()
    client.force_login(outsider)
    url = reverse("forum:post_translate", args=[post.pk])
    response = client.post(url, {"body": "Bonjour à *toutes et tous*", "language": "en"})
    assert response.context["form"].errors["language"]  # same language as the post
    response = client.post(url, {"body": "Bonjour à *toutes et tous*", "language": "fr"})
    assert response.status_code == 302
    translation = PostTranslation.objects.get()
    assert translation.translator == outsider

    french = client.get(f"/fr/forum/t/{topic.pk}-{topic.slug}/").content.decode()
    assert "<em>toutes et tous</em>" in french and "Out Sider" in french
    assert "<em>everyone</em>" in french  # the original, one click away (<details>)
    english = client.get(f"/en/forum/t/{topic.pk}-{topic.slug}/").content.decode()
    assert "toutes et tous" not in english

    # Someone else cannot overwrite it; the translator edits it.
    other = make_member("other")
    client.force_login(other)
    assert client.post(url, {"body": "Salut", "language": "fr"}).status_code == 403
    client.force_login(outsider)
    client.post(url, {"body": "Bonjour à tous", "language": "fr"})
    translation.refresh_from_db()
    assert translation.body == "Bonjour à tous" and translation.edited_at

    # Moderators hide it.
    client.force_login(moderator)
    client.post(reverse("forum:translation_moderate", args=[translation.pk]), {"action": "hide"})
    translation.refresh_from_db()
    assert translation.is_hidden
    assert (
        "Bonjour à tous"
        not in client.get(f"/fr/forum/t/{topic.pk}-{topic.slug}/").content.decode()
    )


def test_translations_of_private_posts_stay_private(
    client, cohort, participant, outsider, make_topic
):
    topic = make_topic(cohort, participant)
    post = topic.posts.get()
    client.force_login(outsider)
    response = client.post(
        reverse("forum:post_translate", args=[post.pk]), {"body": "x", "language": "fr"}
    )
    assert response.status_code == 404
    assert not PostTranslation.objects.exists()
