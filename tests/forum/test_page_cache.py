"""Visitors' topic pages and topic lists are rendered once and cached (forum/cache.py): every
write that changes what they show must show at once, and nothing private or personal may ever
be served from that cache."""

import pytest
from django.test import Client
from django.urls import reverse

from forum import services
from forum.models import Post
from forum.views import CSRF_PLACEHOLDER

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    return Client()


def _page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _topic(make_topic, public, member):
    topic = make_topic(public, member, title="Cooperative banks", body="The opening post")
    return topic, topic.posts.get(number=1)


def test_a_new_reply_shows_to_visitors_at_once(visitor, public, member, make_member, make_topic):
    topic, _first = _topic(make_topic, public, member)
    assert "A fresh reply" not in _page(visitor, topic.get_absolute_url())
    services.post_create(topic=topic, author=make_member("other"), body="A fresh reply")
    assert "A fresh reply" in _page(visitor, topic.get_absolute_url())


def test_edits_hides_deletes_and_restores_show_at_once(
    visitor, public, member, moderator, make_topic
):
    topic, first = _topic(make_topic, public, member)
    url = topic.get_absolute_url()
    assert "The opening post" in _page(visitor, url)
    services.post_edit(post=first, editor=member, body="The corrected post", language="en")
    page = _page(visitor, url)
    assert "The corrected post" in page and "The opening post" not in page
    assert "edited" in page

    services.post_set_hidden(post=first, moderator=moderator, hidden=True)
    page = _page(visitor, url)
    assert "The corrected post" not in page
    assert "This post was hidden by a moderator." in page
    services.post_set_hidden(post=first, moderator=moderator, hidden=False)
    assert "The corrected post" in _page(visitor, url)

    services.post_delete(post=first)
    page = _page(visitor, url)
    assert "The corrected post" not in page
    assert "This post was deleted by its author." in page
    services.post_restore(post=first, moderator=moderator)
    assert "The corrected post" in _page(visitor, url)


def test_likes_and_translations_show_at_once(visitor, public, member, make_member, make_topic):
    topic, first = _topic(make_topic, public, member)
    url = topic.get_absolute_url()
    assert "0 likes" in _page(visitor, url)
    services.reaction_toggle(post=first, user=make_member("fan"))
    assert "1 like" in _page(visitor, url)

    french_url = f"/fr{url.removeprefix('/en')}"
    assert "Le message d’ouverture" not in _page(visitor, french_url)
    translator = make_member("traductrice", display_name="Claire Martin")
    translation = services.translation_save(
        post=first, translator=translator, language="fr", body="Le message d’ouverture"
    )
    page = _page(visitor, french_url)
    assert "Le message d’ouverture" in page and "Claire Martin" in page
    # Each language has its own copy: the English page does not show the French text.
    assert "Le message d’ouverture" not in _page(visitor, url)

    services.translation_save(
        post=first, translator=translator, language="fr", body="Le premier message"
    )
    assert "Le premier message" in _page(visitor, french_url)
    translation.refresh_from_db()
    services.translation_set_hidden(
        translation=translation, moderator=make_member("mod"), hidden=True
    )
    assert "Le premier message" not in _page(visitor, french_url)


def test_topic_list_shows_new_topics_titles_pins_and_replies(
    visitor, public, member, moderator, make_member, make_topic
):
    url = reverse("forum:category", args=[public.slug])
    topic, _first = _topic(make_topic, public, member)
    assert "Cooperative banks" in _page(visitor, url)
    make_topic(public, member, title="Mutual insurance")
    assert "Mutual insurance" in _page(visitor, url)
    services.topic_retitle(topic=topic, editor=member, title="Ethical banks")
    page = _page(visitor, url)
    assert "Ethical banks" in page and "Cooperative banks" not in page
    assert "Pinned" not in page
    services.topic_set_pinned(topic=topic, moderator=moderator, pinned=True)
    assert "Pinned" in _page(visitor, url)
    services.post_create(
        topic=topic, author=make_member("zoe", display_name="Zoé Petit"), body="Hi"
    )
    assert "Zoé Petit" in _page(visitor, url)  # the last poster, in the list


def test_a_topic_moved_to_a_cohort_space_is_no_longer_served_to_visitors(
    visitor, public, cohort, member, moderator, participant, outsider, make_topic
):
    topic, _first = _topic(make_topic, public, member)
    url = topic.get_absolute_url()
    assert "The opening post" in _page(visitor, url)  # cached for visitors
    assert "Cooperative banks" in _page(visitor, reverse("forum:category", args=[public.slug]))
    services.topic_move(topic=topic, moderator=moderator, category=cohort)
    assert visitor.get(url).status_code == 404
    outsider_client = Client()
    outsider_client.force_login(outsider)
    assert outsider_client.get(url).status_code == 404
    assert "Cooperative banks" not in _page(visitor, reverse("forum:category", args=[public.slug]))


def test_cohort_topics_are_never_served_to_visitors_or_outsiders(
    visitor, cohort, participant, outsider, make_topic
):
    topic = make_topic(cohort, participant, title="Our cohort", body="Only for us")
    reader = Client()
    reader.force_login(participant)
    for _ in range(2):  # a second view, in case anything had been cached by the first
        assert "Only for us" in _page(reader, topic.get_absolute_url())
        assert "Our cohort" in _page(reader, reverse("forum:category", args=[cohort.slug]))
    assert visitor.get(topic.get_absolute_url()).status_code == 404
    assert visitor.get(reverse("forum:category", args=[cohort.slug])).status_code == 404
    other = Client()
    other.force_login(outsider)
    assert other.get(topic.get_absolute_url()).status_code == 404
    assert other.get(reverse("forum:category", args=[cohort.slug])).status_code == 404


def test_members_never_get_the_visitors_copy_nor_each_others(
    visitor, public, member, make_member, make_topic
):
    topic, first = _topic(make_topic, public, member)
    url = topic.get_absolute_url()
    edit_url = reverse("forum:post_edit", args=[first.pk])
    page = _page(visitor, url)  # the visitors' copy is cached now
    assert edit_url not in page and "Bookmark" not in page

    author = Client()
    author.force_login(member)
    page = _page(author, url)
    assert edit_url in page and "Bookmark" in page  # their own post: edit, bookmark
    services.reaction_toggle(post=first, user=member)
    assert 'aria-pressed="true"' in _page(author, url)

    other = Client()
    other.force_login(make_member("other"))
    page = _page(other, url)
    assert edit_url not in page
    assert reverse("forum:post_report", args=[first.pk]) in page  # not theirs: report
    assert 'aria-pressed="true"' not in page  # the author's like is not theirs
    # And the visitors' copy still holds nothing personal.
    page = _page(visitor, url)
    assert edit_url not in page and "Bookmark" not in page and "1 like" in page


def test_query_counts_of_topic_pages(
    visitor, public, member, make_member, make_topic, django_assert_max_num_queries
):
    topic = make_topic(public, member, replies=25)
    authors = [make_member(f"writer{n}") for n in range(5)]
    for n, post in enumerate(Post.objects.filter(topic=topic, number__gt=1)):
        services.translation_save(post=post, translator=authors[n % 5], language="fr", body="Oui")
    url = topic.get_absolute_url()
    _page(visitor, url)
    with django_assert_max_num_queries(1):  # the topic; its tags and posts are cached
        _page(visitor, url)
    reader = Client()
    reader.force_login(authors[0])
    # Session, user, topic, permissions, the page's posts with the member's likes and
    # bookmarks, watch, waiting posts and read mark, the header's two counters; the read
    # mark written the first time; the posts' text and translations when not cached yet.
    with django_assert_max_num_queries(11):
        _page(reader, f"{url}?page=2")
    with django_assert_max_num_queries(8):
        _page(reader, f"{url}?page=2")


def test_forum_index_totals_are_kept_until_the_category_changes(
    visitor, public, member, make_member, make_topic, django_assert_num_queries
):
    topic, _first = _topic(make_topic, public, member)

    def totals():
        categories = {c.slug: c for c in visitor.get(reverse("forum:index")).context["categories"]}
        return categories[public.slug].topic_total, categories[public.slug].post_total

    assert totals() == (1, 1)
    # Kept: the second visit reads the categories only, no grouped sum over the topics.
    with django_assert_num_queries(1):
        assert totals() == (1, 1)
    services.post_create(topic=topic, author=make_member("other"), body="A reply")
    assert totals() == (1, 2)
    make_topic(public, member, title="Another topic", body="Its first post")
    assert totals() == (2, 3)


def _csrf_token(page: str, action: str) -> str:
    """The CSRF token of the form posting to ``action``."""
    marker = 'name="csrfmiddlewaretoken" value="'
    start = page.index(marker, page.index(f'action="{action}"')) + len(marker)
    return page[start : page.index('"', start)]


def test_members_who_see_a_page_alike_share_it_each_with_their_own_csrf_token(
    public, member, make_member, make_topic
):
    topic, first = _topic(make_topic, public, member)
    url = topic.get_absolute_url()
    readers = []
    for name in ("reader1", "reader2"):
        client = Client(enforce_csrf_checks=True)
        client.force_login(make_member(name))
        readers.append(client)
    like_url = reverse("forum:post_like", args=[first.pk])
    pages = [_page(client, url) for client in readers]
    # The second reader's posts came from the cache, each form with their own token.
    assert CSRF_PLACEHOLDER not in pages[1]
    tokens = [_csrf_token(page, like_url) for page in pages]
    assert tokens[0] != tokens[1]
    for client, token in zip(reversed(readers), tokens, strict=True):
        assert client.post(like_url, {"csrfmiddlewaretoken": token}).status_code == 403
    for client, token in zip(readers, tokens, strict=True):
        assert client.post(like_url, {"csrfmiddlewaretoken": token}).status_code == 302
    first.refresh_from_db()
    assert first.like_count == 2


def test_members_with_other_rights_or_profiles_in_view_get_their_own_copy(
    client, public, edition, member, make_member, moderator, make_topic
):
    from academies.models import Participation
    from accounts.models import DirectoryVisibility

    author = make_member("author", directory_visibility=DirectoryVisibility.COHORT)
    Participation.objects.create(user=author, edition=edition)
    fellow = make_member("fellow")
    Participation.objects.create(user=fellow, edition=edition)
    topic = make_topic(public, author, title="Housing cooperatives", body="Our statutes")
    first = topic.posts.get()
    url = topic.get_absolute_url()
    profile = author.get_absolute_url()
    hide = 'value="hide"'

    client.force_login(member)
    page = _page(client, url)
    assert profile not in page and hide not in page  # not in the author's cohort
    client.force_login(fellow)
    page = _page(client, url)
    assert profile in page and hide not in page
    client.force_login(moderator)
    page = _page(client, url)
    assert hide in page
    client.force_login(member)
    page = _page(client, url)
    assert profile not in page and hide not in page
    services.bookmark_toggle(post=first, user=member)
    assert "Remove bookmark" in _page(client, url)
    client.force_login(fellow)
    assert "Remove bookmark" not in _page(client, url)


def test_changes_made_in_the_admin_show_at_once(visitor, admin_client, public, member, make_topic):
    from forum.models import Tag

    tag = Tag.objects.create(slug="housing", name="Housing")
    topic, first = _topic(make_topic, public, member)
    topic.tags.add(tag)
    url = topic.get_absolute_url()
    index, listing = reverse("forum:index"), public.get_absolute_url()
    for page in (url, index, listing):
        _page(visitor, page)  # cached now
    public.name = "Open discussion"
    public.save()
    assert "Open discussion" in _page(visitor, index)
    tag.name = "Cooperative housing"
    tag.save()
    assert "Cooperative housing" in _page(visitor, url)
    assert "Cooperative housing" in _page(visitor, listing)
    first.body_html = "<p>Corrected by staff</p>"
    first.save()
    assert "Corrected by staff" in _page(visitor, url)
    topic.title = "Bank cooperatives"
    topic.save()
    assert "Bank cooperatives" in _page(visitor, listing)
    tag.delete()
    assert "Cooperative housing" not in _page(visitor, url)
    assert "Cooperative housing" not in _page(visitor, listing)


def test_members_topic_lists_show_their_own_unread_marks(
    public, member, make_member, make_topic, django_assert_max_num_queries
):
    topic = make_topic(public, member, title="Ethical banks", replies=2)
    listing = reverse("forum:category", args=[public.slug])
    readers = {}
    for name in ("reader", "other"):
        readers[name] = Client()
        readers[name].force_login(make_member(name))
    _page(readers["reader"], topic.get_absolute_url())  # read all three posts
    _page(readers["other"], listing)
    services.post_create(topic=topic, author=member, body="Fourth", language="en")
    services.post_create(topic=topic, author=member, body="Fifth", language="en")
    first_unread = reverse("forum:first_unread", args=[topic.pk])
    page = _page(readers["reader"], listing)
    assert "2 new" in page and first_unread in page
    page = _page(readers["other"], listing)  # never opened it: nothing marked new
    assert "new</a>" not in page and first_unread not in page
    _page(readers["reader"], topic.get_absolute_url())
    assert first_unread not in _page(readers["reader"], listing)
    # Kept for members too: session, user, category, permissions, count, page ids, read
    # marks, watch and waiting topics, the header's two counters.
    with django_assert_max_num_queries(10):
        _page(readers["reader"], listing)


def test_the_languages_i_read_filter_is_not_shared_between_members(
    public, member, make_member, make_topic
):
    make_topic(public, member, title="Cooperativas de vivienda", language="es")
    make_topic(public, member, title="Coopératives d'habitants", language="fr")
    listing = reverse("forum:category", args=[public.slug])
    for languages, shown, hidden in (
        (["es"], "Cooperativas", "Coopératives"),
        (["fr"], "Coopératives", "Cooperativas"),
    ):
        client = Client()
        client.force_login(make_member(f"reads-{languages[0]}", languages_spoken=languages))
        page = _page(client, listing, language="mine")
        assert shown in page and hidden not in page
