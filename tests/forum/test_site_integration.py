"""The forum inside the rest of the site: home page, one search, digest, sitemap."""

import pytest
from django.core import mail

from accounts.tasks import send_weekly_digests


@pytest.fixture
def topics(public, cohort, participant, make_topic):
    return (
        make_topic(
            public, participant, title="Open talk on savings groups", body="Savings groups"
        ),
        make_topic(cohort, participant, title="Madrid cohort savings plans", body="Savings plans"),
    )


def test_home_lists_active_topics_the_reader_may_see(client, topics, participant, outsider):
    client.force_login(outsider)
    html = client.get("/en/").content.decode()
    assert "Open talk on savings groups" in html
    assert "Madrid cohort savings plans" not in html

    client.force_login(participant)
    assert "Madrid cohort savings plans" in client.get("/en/").content.decode()


def test_one_search_finds_forum_topics_within_permissions(client, topics, participant, outsider):
    response = client.get("/en/search/", {"q": "savings"})
    html = response.content.decode()
    assert "Open talk on savings groups" in html
    assert "Madrid cohort savings plans" not in html
    assert "/en/forum/search/?q=savings" in html

    client.force_login(participant)
    assert (
        "Madrid cohort savings plans"
        in client.get("/en/search/", {"q": "savings"}).content.decode()
    )


def _forum_group(response):
    (group,) = [g for g in response.context["groups"] if str(g["title"]) == "Forum topics"]
    return group


def test_one_search_counts_forum_topics_among_the_most_recent_matches(
    client, public, member, make_topic, monkeypatch
):
    from forum import selectors, services

    busy = make_topic(public, member, title="Community gardens", body="garden plots")
    for n in range(4):
        services.post_create(topic=busy, author=member, body=f"garden {n}", language="en")
    for n in range(11):
        make_topic(public, member, title=f"Garden {n}", body="a garden")
    group = _forum_group(client.get("/en/search/", {"q": "garden"}))
    # Each topic once, the latest match first, ten shown of twelve.
    assert group["count"] == 12 and not group["at_least"] and group["has_more"]
    assert [topic.title for topic in group["results"]] == [f"Garden {n}" for n in range(10, 0, -1)]
    monkeypatch.setattr(selectors, "SEARCH_CANDIDATES", 6)
    response = client.get("/en/search/", {"q": "garden"})
    group = _forum_group(response)
    assert group["count"] == 6 and group["at_least"]
    assert "at least 6 results" in response.content.decode()


def test_digest_lists_only_topics_the_member_may_read(topics, outsider):
    outsider.digest_subscribed = True
    outsider.save()

    send_weekly_digests.call()

    assert len(mail.outbox) == 1
    assert "Open talk on savings groups" in mail.outbox[0].body
    assert "Madrid cohort savings plans" not in mail.outbox[0].body


def test_sitemap_lists_public_topics_only(client, topics):
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-forum-topics.xml" in index

    section = client.get("/sitemap-forum-topics.xml").content.decode()
    assert "savings-groups" in section
    assert "cohort-savings" not in section


def test_profile_shows_recent_public_forum_activity_only(client, topics, participant, outsider):
    participant.directory_visibility = "everyone"
    participant.save()

    html = client.get(participant.get_absolute_url()).content.decode()

    assert "Open talk on savings groups" in html
    assert "Madrid cohort savings plans" not in html


def test_author_cards_link_to_profiles_only_where_visible(client, topics, participant, outsider):
    participant.directory_visibility = "cohort"
    participant.save()
    topic = topics[0]

    client.force_login(outsider)
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Lucía Fernández" in html
    assert f'href="{participant.get_absolute_url()}"' not in html

    participant.directory_visibility = "members"
    participant.save()
    html = client.get(topic.get_absolute_url()).content.decode()
    assert f'href="{participant.get_absolute_url()}"' in html
