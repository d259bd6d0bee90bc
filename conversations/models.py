"""Private conversations: a subject, its members and their messages, seen by members only.

A conversation exists only for its current members. Everyone else, staff, moderators and
superusers included, meets a 404 on every address of it; moderators see a message and the
messages around it only through a member's report (``MessageReport``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import SPOKEN_LANGUAGES

MESSAGES_PER_PAGE = 20
CONVERSATIONS_PER_PAGE = 30


class ConversationQuerySet(models.QuerySet):
    def of_member(self, user):
        """The conversations the user currently belongs to (none for visitors)."""
        if not (user is not None and user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(
            pk__in=Membership.objects.filter(user=user, left_at__isnull=True).values(
                "conversation_id"
            )
        )


class Conversation(models.Model):
    subject = models.CharField(_("subject"), max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)
    # Messages ever written (numbers are never reused): positions and pages come from it.
    last_number = models.PositiveIntegerField(default=0, editable=False)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self):
        return f"#{self.pk}"

    def get_absolute_url(self):
        return reverse("conversations:detail", kwargs={"pk": self.pk})

    @property
    def num_pages(self) -> int:
        return max(1, (self.last_number + MESSAGES_PER_PAGE - 1) // MESSAGES_PER_PAGE)


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_at__isnull=True)

    def unread(self):
        return self.filter(left_at__isnull=True, latest_number__gt=F("last_read_number"))


class Membership(models.Model):
    """A member of a conversation, how far they have read it, and whether they left it.

    ``latest_number`` and ``activity_at`` copy the conversation's counters for current
    members, so "my conversations" and the unread counter are read from this table alone.
    """

    # The unique (conversation, user) pair indexes conversation lookups.
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="memberships", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_memberships"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    last_read_number = models.PositiveIntegerField(default=0)
    latest_number = models.PositiveIntegerField(default=0)
    activity_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation member")
        verbose_name_plural = _("conversation members")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], name="conversations_member_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["user", "-activity_at", "-id"],
                name="conversations_inbox_idx",
                condition=Q(left_at__isnull=True),
            ),
            models.Index(
                fields=["user"],
                name="conversations_unread_idx",
                condition=Q(left_at__isnull=True, latest_number__gt=F("last_read_number")),
            ),
        ]

    def __str__(self):
        return f"{self.user_id} in {self.conversation_id}"

    @property
    def is_current(self) -> bool:
        return self.left_at is None

    @property
    def unread_count(self) -> int:
        return max(0, self.latest_number - self.last_read_number)


class Message(models.Model):
    # The unique (conversation, number) pair indexes conversation lookups.
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    number = models.PositiveIntegerField(_("number in the conversation"), editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conversation_messages",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"), help_text=_("Markdown."))
    body_html = models.TextField(editable=False, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=SPOKEN_LANGUAGES)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)

    class Meta:
        ordering = ["conversation", "number"]
        verbose_name = _("private message")
        verbose_name_plural = _("private messages")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="conversations_message_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.conversation_id} #{self.number}"

    def get_absolute_url(self):
        return reverse("conversations:message", kwargs={"pk": self.pk})

    @property
    def page_number(self) -> int:
        return (self.number - 1) // MESSAGES_PER_PAGE + 1

    @property
    def anchor(self) -> str:
        return f"message-{self.pk}"

    @property
    def html(self):
        return mark_safe(self.body_html)  # noqa: S308 - sanitised by nh3 when stored


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class MessageReport(models.Model):
    """A member flags a private message: the one door through which moderators see it."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="reports", verbose_name=_("message")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conversation_reports",
        verbose_name=_("reported by"),
    )
    reason = models.TextField(_("reason"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reported private message")
        verbose_name_plural = _("reported private messages")
        indexes = [models.Index(fields=["status", "-created_at"], name="conversations_report_idx")]

    def __str__(self):
        return f"{self.message} ({self.get_status_display()})"


class ModerationAction(models.TextChoices):
    HIDE = "hide", _("Hid a private message")
    UNHIDE = "unhide", _("Made a private message visible again")
    RESOLVE = "resolve", _("Resolved a report on a private message")


class ModerationLog(models.Model):
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=10, choices=ModerationAction.choices)
    report = models.ForeignKey(
        MessageReport, on_delete=models.SET_NULL, null=True, related_name="log_entries"
    )
    message = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("private message moderation log entry")
        verbose_name_plural = _("private message moderation log")

    def __str__(self):
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"
