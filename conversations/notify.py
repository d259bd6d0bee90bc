"""E-mails about private conversations, by the member's forum e-mail choice.

Immediate: one e-mail per new message (or when someone adds you), queued after the message
is committed, rendered in the recipient's language and handed to the background mailer.
Daily digest: the forum's daily digest lists the conversations with unread messages
(``digest_items``). Off: nothing. Every e-mail carries the forum's one-click unsubscribe
link. Membership is checked again when sending: someone who left is never mailed, and the
e-mail says who wrote and where, never what.
"""

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from collective_brain.tasks import send_email
from conversations.models import Membership, Message
from forum.models import EmailMode
from forum.notify_email import preference_for


def _language(user) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return user.preferred_language if user.preferred_language in codes else settings.LANGUAGE_CODE


def _wants_immediate(user):
    """The member's forum e-mail preference when it is "immediate" (no row means immediate)."""
    preference = preference_for(user)
    return preference if preference.mode == EmailMode.IMMEDIATE else None


def _send(user, preference, template: str, context: dict) -> bool:
    if not user.is_active or not user.email:
        return False
    with translation.override(_language(user)):
        unsubscribe = settings.SITE_URL + reverse(
            "forum:unsubscribe", kwargs={"token": preference.token}
        )
        context = {
            **context,
            "user": user,
            "unsubscribe_url": unsubscribe,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string(f"conversations/email/{template}_subject.txt", context)
        body = render_to_string(f"conversations/email/{template}.txt", context)
    send_email.enqueue(
        subject=" ".join(subject.split()),
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return True


@task
def send_message_emails(message_id: int) -> int:
    """E-mail the current members (the author aside) who want immediate e-mails and have not
    read the message yet."""
    message = (
        Message.objects.select_related("author", "conversation")
        .filter(pk=message_id, is_hidden=False)
        .first()
    )
    if message is None:
        return 0
    sent = 0
    memberships = (
        Membership.objects.current()
        .filter(conversation_id=message.conversation_id, last_read_number__lt=message.number)
        .exclude(user_id=message.author_id)
        .select_related("user")
    )
    for membership in memberships:
        preference = _wants_immediate(membership.user)
        if preference and _send(
            membership.user,
            preference,
            "message",
            {"message": message, "conversation": message.conversation},
        ):
            sent += 1
    return sent


@task
def send_added_email(membership_id: int) -> bool:
    membership = (
        Membership.objects.current()
        .select_related("user", "added_by", "conversation")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None or membership.added_by_id == membership.user_id:
        return False
    preference = _wants_immediate(membership.user)
    return bool(preference) and _send(
        membership.user,
        preference,
        "added",
        {"membership": membership, "conversation": membership.conversation},
    )


def enqueue_message(message_id: int) -> None:
    transaction.on_commit(lambda: send_message_emails.enqueue(message_id))


def enqueue_added(membership_id: int) -> None:
    transaction.on_commit(lambda: send_added_email.enqueue(membership_id))


def digest_items(user, since) -> list[Membership]:
    """For the forum's daily digest: the member's conversations with unread messages that
    arrived since the last digest (subjects and counts only, no message text)."""
    return list(
        Membership.objects.unread()
        .filter(user=user, activity_at__gt=since)
        .select_related("conversation")
        .order_by("-activity_at", "-pk")[:50]
    )
