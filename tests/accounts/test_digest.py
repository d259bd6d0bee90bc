import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.digest import unsubscribe_token
from accounts.tasks import send_weekly_digests
from tests.news.factories import make_news
from tests.publications.factories import make_publication


@pytest.fixture
def subscriber(make_member):
    return make_member("reader", digest_subscribed=True, preferred_language="fr")


def test_weekly_digest_is_sent_in_the_members_language(subscriber, db):
    make_publication(slug="new-study", title_en="A new study", title_fr="Une nouvelle étude")
    make_publication(slug="draft", title_en="Draft study", published=False)
    make_news(slug="news", title_en="News in English", title_fr="Actualité en français")

    assert send_weekly_digests.call() == 1

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [subscriber.email]
    assert "Une nouvelle étude" in message.body
    assert "Actualité en français" in message.body
    assert "Draft study" not in message.body
    assert "/fr/library/new-study/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    subscriber.refresh_from_db()
    assert subscriber.digest_sent_at is not None


def test_no_digest_twice_in_a_week_nor_when_nothing_is_new(subscriber, db):
    study = make_publication(slug="new-study")
    send_weekly_digests.call()
    send_weekly_digests.call()
    assert len(mail.outbox) == 1

    week_ago = timezone.now() - datetime.timedelta(days=8)
    subscriber.digest_sent_at = week_ago
    subscriber.save()
    type(study).objects.filter(pk=study.pk).update(
        published_at=week_ago - datetime.timedelta(days=1)
    )
    send_weekly_digests.call()  # a week later, nothing published since the last digest
    assert len(mail.outbox) == 1


def test_members_not_subscribed_get_nothing(make_member, db):
    make_member("quiet")
    make_publication(slug="new-study")

    assert send_weekly_digests.call() == 0
    assert mail.outbox == []


def test_one_click_unsubscribe(client, subscriber):
    url = f"/en/accounts/digest/unsubscribe/{unsubscribe_token(subscriber)}/"

    assert client.get(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.digest_subscribed  # a GET (link scanners) changes nothing
    response = client.post(url)  # what a mail client's one-click button sends, no CSRF token

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert not subscriber.digest_subscribed


def test_forged_unsubscribe_token_is_refused(client, subscriber):
    response = client.post("/en/accounts/digest/unsubscribe/not-a-token/")

    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.digest_subscribed
