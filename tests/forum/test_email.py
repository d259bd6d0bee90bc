import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from forum import services
from forum.models import EmailMode, EmailPreference
from forum.notify_email import preference_for

pytestmark = pytest.mark.django_db


def test_immediate_email_in_the_recipients_language(
    public, make_member, member, make_topic, django_capture_on_commit_callbacks
):
    reader = make_member("giulia", preferred_language="it")
    topic = make_topic(public, member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(topic=topic, author=member, body="Ciao @giulia", language="it")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["giulia@example.org"]
    assert "@giulia" not in message.body  # a link to the post, not its text
    preference = EmailPreference.objects.get(user=reader)
    assert f"/it/forum/unsubscribe/{preference.token}/" in message.body
    assert preference.token in message.extra_headers["List-Unsubscribe"]


def test_one_click_unsubscribe(client, member):
    preference = preference_for(member)
    url = reverse("forum:unsubscribe", args=[preference.token])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 200  # no session, no CSRF token: one click
    preference.refresh_from_db()
    assert preference.mode == EmailMode.OFF
    assert client.post(reverse("forum:unsubscribe", args=["not-a-token"])).status_code == 404


def test_daily_digest_and_no_email_when_off(
    client, public, make_member, member, make_topic, django_capture_on_commit_callbacks
):
    reader = make_member("reader")
    client.force_login(reader)
    client.post(reverse("forum:email_settings"), {"mode": EmailMode.DAILY})
    topic = make_topic(public, member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(topic=topic, author=member, body="Hi @reader", language="en")
        services.post_create(topic=topic, author=member, body="Again @reader", language="en")
    assert mail.outbox == []  # digest members get no immediate e-mail
    call_command("forum_digest")
    assert len(mail.outbox) == 1 and "2 new forum notifications" in mail.outbox[0].subject
    call_command("forum_digest")
    assert len(mail.outbox) == 1  # nothing new since the last digest


def test_no_email_about_a_space_the_member_left(
    cohort, participant, make_member, edition, make_topic, django_capture_on_commit_callbacks
):
    from tests.academies.factories import enrol

    other = make_member("other")
    enrol(other, edition)
    topic = make_topic(cohort, participant)
    participant.participations.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(topic=topic, author=other, body="Hi @lucia", language="en")
    assert mail.outbox == []
