"""Writes to private conversations. Numbers and counters stay exact: the conversation row is
locked while a message is added or the membership changes.
"""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from collective_brain.markdown import render_markdown
from conversations.models import (
    Conversation,
    Membership,
    Message,
    MessageReport,
    ModerationAction,
    ModerationLog,
    ReportStatus,
)
from conversations.notify import enqueue_added, enqueue_message
from forum import language as forum_language
from forum.services import RateLimited, check_rate_limit

# Messages share the forum's posting budget (forum.services.check_rate_limit); starting a
# conversation, which reaches people who did not ask to hear from the sender, has its own.
START_RATE_LIMIT = 10  # new conversations per member…
START_RATE_WINDOW = 60 * 60  # …per this many seconds
MAX_MEMBERS = 30


def resolve_language(*, body: str, chosen: str, author) -> str:
    """The author's choice; else the language detected in the text; else their language."""
    return forum_language.resolve_language(body=body, chosen=chosen, author=author)[0]


def check_start_rate_limit(user) -> None:
    """Count one more new conversation (and message) for the member; raise RateLimited past
    either limit."""
    key = f"conversations:started:{user.pk}"
    cache.add(key, 0, START_RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, START_RATE_WINDOW)
        count = 1
    if count > START_RATE_LIMIT:
        raise RateLimited
    check_rate_limit(user)


def _add_message(conversation_id: int, *, author, body: str, language: str) -> Message:
    """Within a transaction: lock the conversation, number the message, copy the counters to
    the current members (the author has read what they wrote)."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
    now = timezone.now()
    number = conversation.last_number + 1
    message = Message.objects.create(
        conversation=conversation,
        number=number,
        author=author,
        body=body,
        body_html=render_markdown(body),
        language=language,
        created_at=now,
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_number=number, last_message_at=now)
    Membership.objects.current().filter(conversation=conversation).update(
        latest_number=number, activity_at=now
    )
    Membership.objects.filter(conversation=conversation, user=author).update(
        last_read_number=number
    )
    return message


def conversation_start(
    *, author, recipients, subject: str, body: str, language: str, notify=True
) -> Conversation:
    """A new conversation between the author and the recipients, with its first message."""
    with transaction.atomic():
        conversation = Conversation.objects.create(subject=subject, started_by=author)
        people = [author, *[user for user in recipients if user.pk != author.pk]]
        Membership.objects.bulk_create(
            Membership(conversation=conversation, user=user, added_by=author) for user in people
        )
        message = _add_message(conversation.pk, author=author, body=body, language=language)
        if notify:
            enqueue_message(message.pk)
    conversation.refresh_from_db()
    return conversation


def message_send(*, conversation: Conversation, author, body: str, language: str, notify=True):
    with transaction.atomic():
        message = _add_message(conversation.pk, author=author, body=body, language=language)
        if notify:
            enqueue_message(message.pk)
    return message


def member_add(*, conversation: Conversation, user, added_by) -> bool:
    """Add someone (or bring back someone who left): they see the whole history, unread.

    Returns False when they are already a current member.
    """
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        membership = Membership.objects.filter(conversation=locked, user=user).first()
        now = timezone.now()
        if membership is not None and membership.left_at is None:
            return False
        if membership is None:
            membership = Membership.objects.create(
                conversation=locked,
                user=user,
                added_by=added_by,
                joined_at=now,
                latest_number=locked.last_number,
                activity_at=now,
            )
        else:
            membership.left_at = None
            membership.added_by = added_by
            membership.joined_at = now
            membership.latest_number = locked.last_number
            membership.activity_at = now
            membership.save(
                update_fields=["left_at", "added_by", "joined_at", "latest_number", "activity_at"]
            )
        enqueue_added(membership.pk)
    return True


def member_leave(*, conversation: Conversation, user) -> None:
    """After leaving: no access, no notifications. The conversation stays stored."""
    Membership.objects.current().filter(conversation=conversation, user=user).update(
        left_at=timezone.now()
    )


def mark_read(*, conversation: Conversation, user, number: int) -> None:
    """Remember the highest message number the member has been shown (never goes back)."""
    Membership.objects.filter(
        conversation=conversation, user=user, last_read_number__lt=number
    ).update(last_read_number=number)


def report_create(*, message: Message, reporter, reason: str) -> MessageReport:
    return MessageReport.objects.create(message=message, reporter=reporter, reason=reason)


def _log(moderator, action, *, report, message) -> None:
    ModerationLog.objects.create(
        moderator=moderator, action=action, report=report, message=message
    )


def message_set_hidden(*, report: MessageReport, moderator, hidden: bool) -> bool:
    """Hide (or show again) the reported message; only ever reached through its report."""
    message = report.message
    if (
        not Message.objects.filter(pk=message.pk)
        .exclude(is_hidden=hidden)
        .update(is_hidden=hidden)
    ):
        return False
    message.is_hidden = hidden
    action = ModerationAction.HIDE if hidden else ModerationAction.UNHIDE
    _log(moderator, action, report=report, message=message)
    return True


def report_resolve(*, report: MessageReport, moderator) -> bool:
    updated = MessageReport.objects.filter(pk=report.pk, status=ReportStatus.OPEN).update(
        status=ReportStatus.RESOLVED, resolved_by=moderator, resolved_at=timezone.now()
    )
    if updated:
        report.status = ReportStatus.RESOLVED
        _log(moderator, ModerationAction.RESOLVE, report=report, message=report.message)
    return bool(updated)
