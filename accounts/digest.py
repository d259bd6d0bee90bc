"""The weekly e-mail digest: what is new for a member, in the member's language."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from collective_brain.tasks import send_email

UNSUBSCRIBE_SALT = "accounts.digest.unsubscribe"
DIGEST_PERIOD = datetime.timedelta(days=7)
ITEMS_PER_SECTION = 10


def unsubscribe_token(user) -> str:
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_from_unsubscribe_token(token: str):
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=data.get("user"), is_active=True).first()


def digest_content(*, since: datetime.datetime) -> dict:
    """Public content published since a moment: the same for every reader of a language."""
    from news.models import NewsItem
    from publications.models import Publication

    return {
        "publications": list(
            Publication.objects.published()
            .filter(published_at__gte=since)
            .select_related("type")
            .order_by("-published_at")[:ITEMS_PER_SECTION]
        ),
        "news": list(
            NewsItem.objects.published()
            .filter(published_at__gte=since)
            .order_by("-published_at")[:ITEMS_PER_SECTION]
        ),
    }


def active_topics_for(user, *, since: datetime.datetime) -> list:
    """Forum topics with posts since the last digest, among those the member may read."""
    from forum.models import Topic

    return list(
        Topic.objects.readable_by(user)
        .filter(last_post_at__gte=since)
        .select_related("category")
        .order_by("-last_post_at")[:ITEMS_PER_SECTION]
    )


def digest_send(*, user, now: datetime.datetime | None = None) -> bool:
    """Queue one member's digest; False when there is nothing new to tell."""
    now = now or timezone.now()
    since = user.digest_sent_at or now - DIGEST_PERIOD
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        content = digest_content(since=since) | {"topics": active_topics_for(user, since=since)}
        if not any(content.values()):
            return False
        unsubscribe_url = settings.SITE_URL + reverse(
            "accounts:digest_unsubscribe", kwargs={"token": unsubscribe_token(user)}
        )
        context = {
            **content,
            "user": user,
            "site_url": settings.SITE_URL,
            "unsubscribe_url": unsubscribe_url,
        }
        subject = render_to_string("accounts/email/digest_subject.txt", context).strip()
        body = render_to_string("accounts/email/digest_message.txt", context)
        html_body = render_to_string("accounts/email/digest_message.html", context)
    send_email.enqueue(
        subject=subject,
        body=body,
        html_body=html_body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    user.digest_sent_at = now
    user.save(update_fields=["digest_sent_at"])
    return True


def members_due_for_digest(now: datetime.datetime | None = None):
    now = now or timezone.now()
    return (
        get_user_model()
        .objects.active()
        .filter(digest_subscribed=True, emailaddress__verified=True, emailaddress__primary=True)
        .filter(Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=now - DIGEST_PERIOD))
        .distinct()
    )
