"""Forum notifications by e-mail: one per notification, or a daily digest, by choice.

Sent by background tasks, in the recipient's language, each with a one-click unsubscribe
link (and List-Unsubscribe headers). The permission rule is checked again when sending: a
post the recipient may no longer read is never mailed.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from forum.models import EmailMode, EmailPreference, Notification, Post


def preference_for(user) -> EmailPreference:
    preference, _created = EmailPreference.objects.get_or_create(user=user)
    return preference


def _language(user) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return user.preferred_language if user.preferred_language in codes else settings.LANGUAGE_CODE


def _deliverable(notifications, user):
    """About posts the recipient may read, or their own posts a moderator acted on (hidden,
    not approved): those are still theirs to hear about."""
    readable = Post.objects.readable_by(user).values("pk")
    own = Post.objects.readable_by(user, include_hidden=True).filter(author=user).values("pk")
    return notifications.filter(Q(post__in=readable) | Q(post__in=own))


def _send(user, preference, template, context) -> bool:
    if not user.is_active or not user.email:
        return False
    language = _language(user)
    with translation.override(language):
        unsubscribe = settings.SITE_URL + reverse(
            "forum:unsubscribe", kwargs={"token": preference.token}
        )
        context = {
            **context,
            "user": user,
            "unsubscribe_url": unsubscribe,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string(f"forum/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"forum/email/{template}.txt", context)
    message = EmailMultiAlternatives(
        subject,
        body,
        None,
        [user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
    return True


@task
def send_notification_email(notification_id: int) -> bool:
    notification = (
        Notification.objects.select_related("recipient", "actor", "post", "post__topic")
        .filter(pk=notification_id, read_at__isnull=True)
        .first()
    )
    if notification is None:
        return False
    user = notification.recipient
    preference = preference_for(user)
    if preference.mode != EmailMode.IMMEDIATE:
        return False
    if not _deliverable(Notification.objects.filter(pk=notification.pk), user).exists():
        return False
    return _send(user, preference, "notification", {"notification": notification})


def enqueue_immediate(notification_ids: list[int]) -> None:
    """After the post is committed, queue one e-mail per notification for those who want it."""

    def enqueue():
        for pk in notification_ids:
            send_notification_email.enqueue(pk)

    if notification_ids:
        transaction.on_commit(enqueue)


@task
def send_daily_digests() -> int:
    """One e-mail per member on the daily digest with unread notifications since the last one."""
    sent = 0
    now = timezone.now()
    for preference in EmailPreference.objects.filter(mode=EmailMode.DAILY).select_related("user"):
        since = preference.last_digest_at or now - datetime.timedelta(days=1)
        notifications = list(
            _deliverable(
                Notification.objects.filter(
                    recipient=preference.user, read_at__isnull=True, created_at__gt=since
                ),
                preference.user,
            ).select_related("actor", "post", "post__topic")[:50]
        )
        # Private conversations with unread messages join the same e-mail (subjects only).
        from conversations.notify import digest_items

        conversations = digest_items(preference.user, since)
        context = {"notifications": notifications, "conversations": conversations}
        if (notifications or conversations) and _send(
            preference.user, preference, "digest", context
        ):
            sent += 1
        EmailPreference.objects.filter(pk=preference.pk).update(last_digest_at=now)
    return sent
