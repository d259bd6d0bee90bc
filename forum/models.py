"""Forum: categories (public, cohort or staff-only spaces), topics, posts and what hangs on them.

Who may read, post or moderate is decided in one place, forum/permissions.py; the querysets
here (``readable_by``) apply the same rule in SQL for every list, count, search and feed.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import SPOKEN_LANGUAGES

# Paths under /forum/ that are pages of their own, so no category may take them as a slug.
RESERVED_SLUGS = {
    "t", "p", "search", "moderation", "bookmarks", "feed", "new", "notifications", "settings",
    "unsubscribe", "translations", "conversations",
}  # fmt: skip
POSTS_PER_PAGE = 20
TOPICS_PER_PAGE = 30


class Access(models.TextChoices):
    PUBLIC = "public", _("Public: every member posts, visitors read")
    COHORT = "cohort", _("Cohort space: participants of the chosen editions")
    STAFF = "staff", _("Staff only")


# From the most open to the most closed: a sub-category is never more open than its parent.
ACCESS_OPENNESS = {Access.PUBLIC: 2, Access.COHORT: 1, Access.STAFF: 0}
# Categories nest two levels deep (a category and its sub-categories), as the index shows them.
MAX_CATEGORY_DEPTH = 2


def _is_member(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _is_staff(user) -> bool:
    return _is_member(user) and (user.is_staff or user.is_superuser)


def _own_access(user, prefix: str = "") -> Q:
    """The rule for one category (reached through ``prefix``), ignoring its parents."""
    allowed = Q(**{f"{prefix}access": Access.PUBLIC})
    if _is_member(user):
        cohort_ids = Category.editions.through.objects.filter(
            edition__participations__user=user
        ).values("category_id")
        allowed |= Q(**{f"{prefix}access": Access.COHORT, f"{prefix}pk__in": cohort_ids})
    return allowed


class CategoryQuerySet(models.QuerySet):
    def readable_by(self, user):
        """Categories the user may read: public ones, their cohorts' spaces, all for staff.

        A sub-category is readable only by those who may read its parent too, whatever its
        own setting says (the chain is checked as deep as categories may nest).
        """
        if _is_staff(user):
            return self.all()
        allowed = _own_access(user)
        prefix = ""
        for _level in range(1, MAX_CATEGORY_DEPTH + 1):
            prefix += "parent__"
            allowed &= Q(**{f"{prefix}isnull": True}) | _own_access(user, prefix)
        return self.filter(allowed)


class Category(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )
    access = models.CharField(
        _("who may read"), max_length=10, choices=Access.choices, default=Access.PUBLIC
    )
    editions = models.ManyToManyField(
        "academies.Edition",
        blank=True,
        related_name="forum_categories",
        verbose_name=_("editions (cohort space)"),
        help_text=_("For a cohort space: the participants of these editions read and post."),
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="moderated_forum_categories",
        verbose_name=_("category moderators"),
        help_text=_("Moderate this category only (the Moderators group moderates everywhere)."),
    )
    approve_first_posts = models.PositiveSmallIntegerField(
        _("approve first posts"),
        default=0,
        db_default=0,
        help_text=_(
            "A member with fewer approved posts than this in the whole forum has each post in "
            "this category held until a moderator approves it. 0: no approval."
        ),
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("forum category")
        verbose_name_plural = _("forum categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forum:category", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This slug is reserved for another page.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A category cannot be its own parent.")})
        if self.parent_id:
            parent = self.parent
            if parent.parent_id is not None:
                raise ValidationError(
                    {"parent": _("A sub-category's parent must be a top-level category.")}
                )
            if self.pk and self.children.exists():
                raise ValidationError(
                    {"parent": _("This category has sub-categories: it must stay top-level.")}
                )
            if ACCESS_OPENNESS[self.access] > ACCESS_OPENNESS[parent.access]:
                raise ValidationError(
                    {
                        "access": _(
                            "A sub-category cannot be more open than its parent (%(parent)s: "
                            "%(access)s)."
                        )
                        % {"parent": parent.name, "access": parent.get_access_display()}
                    }
                )
        if self.pk:
            more_open = [
                child.name
                for child in self.children.all()
                if ACCESS_OPENNESS[child.access] > ACCESS_OPENNESS[self.access]
            ]
            if more_open:
                raise ValidationError(
                    {
                        "access": _(
                            "These sub-categories would be more open than their parent: "
                            "%(names)s. Change them first."
                        )
                        % {"names": ", ".join(more_open)}
                    }
                )

    @property
    def is_public(self) -> bool:
        """Readable by visitors: public, and so is every parent (feeds, indexing)."""
        if self.access != Access.PUBLIC:
            return False
        return self.parent_id is None or self.parent.is_public


class Tag(models.Model):
    """A curated, translated label for topics."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("forum tag")
        verbose_name_plural = _("forum tags")

    def __str__(self):
        return self.name


class TopicQuerySet(models.QuerySet):
    def readable_by(self, user, *, include_pending=False):
        """Topics in readable categories; those waiting for approval only when asked (their
        author and moderators see them, after a check in Python: see forum/views.py)."""
        topics = self.filter(category__in=Category.objects.readable_by(user).values("pk"))
        if not include_pending:
            topics = topics.filter(is_pending=False)
        return topics


class Topic(models.Model):
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="topics", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=False, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="forum_topics",
        verbose_name=_("author"),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=SPOKEN_LANGUAGES, default="en", db_index=True
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="topics", verbose_name=_("tags"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    # The first post waits for a moderator's approval (or was rejected): nobody but its author
    # and the moderators sees the topic, in no list, count, search, feed or sitemap.
    is_pending = models.BooleanField(_("waiting for approval"), default=False, db_default=False)
    last_post_at = models.DateTimeField(_("last post"), default=timezone.now)
    last_post_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last post by"),
    )
    # Visible posts (neither deleted nor hidden), the first one included.
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    # The highest post number. Numbers run 1..last_number without gaps (split and merge
    # renumber), so page n holds posts (n-1)*20+1..n*20 and every page but the last is full.
    last_number = models.PositiveIntegerField(default=0, editable=False)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-last_post_at", "-pk"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [
            # A category's listed topics in page order; its post counters ride along so the
            # forum index sums them without reading the table (forum/selectors.py).
            models.Index(
                fields=["category", "-pinned", "-last_post_at", "-id"],
                include=["post_count"],
                condition=Q(is_pending=False),
                name="forum_topic_listed_idx",
            ),
            models.Index(
                fields=["category", "language", "-pinned", "-last_post_at", "-id"],
                condition=Q(is_pending=False),
                name="forum_topic_language_idx",
            ),
            # Topics of the readable categories, for searches that join them.
            models.Index(fields=["category", "id"], name="forum_topic_category_ids_idx"),
            # A member's own topics waiting for approval, listed to them in the category.
            models.Index(
                fields=["category", "author"],
                condition=Q(is_pending=True),
                name="forum_topic_pending_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:80] or "topic"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("forum:topic", kwargs={"pk": self.pk, "slug": self.slug or "topic"})

    @property
    def num_pages(self) -> int:
        return max(1, (self.last_number + POSTS_PER_PAGE - 1) // POSTS_PER_PAGE)


class Approval(models.TextChoices):
    APPROVED = "approved", _("Approved")
    PENDING = "pending", _("Waiting for approval")
    REJECTED = "rejected", _("Rejected")


class PostQuerySet(models.QuerySet):
    def readable_by(self, user, *, include_hidden=False):
        """Posts in readable categories; hidden, deleted, waiting or rejected ones only when
        asked (moderators' pages, and the author's own notifications)."""
        posts = self.filter(topic__category__in=Category.objects.readable_by(user).values("pk"))
        if not include_hidden:
            posts = posts.filter(is_deleted=False, is_hidden=False, approval=Approval.APPROVED)
        return posts

    def pending(self):
        return self.filter(approval=Approval.PENDING, is_deleted=False)


class Post(models.Model):
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="posts", verbose_name=_("topic")
    )
    # None while the post waits for approval (or was rejected): it takes a number, at the end
    # of the topic, when a moderator approves it, so numbers never have gaps.
    number = models.PositiveIntegerField(
        _("number in the topic"), null=True, blank=True, editable=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="forum_posts",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"), help_text=_("Markdown."))
    body_html = models.TextField(editable=False, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=SPOKEN_LANGUAGES)
    # True when the language was detected from the text, False when the author chose it (a
    # chosen language is kept when the post is edited; a detected one is detected again).
    language_detected = models.BooleanField(
        _("language detected"), default=False, db_default=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    approval = models.CharField(
        _("approval"),
        max_length=8,
        choices=Approval.choices,
        default=Approval.APPROVED,
        db_default=Approval.APPROVED,
    )
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "number"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["topic", "number"], name="forum_post_number_unique")
        ]
        indexes = [
            # Search reads visible posts only: the most recent matches of a common word come
            # from the date index, those of a rarer word from the full-text one.
            GinIndex(
                fields=["search_vector"],
                condition=Q(is_deleted=False, is_hidden=False, approval="approved"),
                name="forum_post_visible_search_idx",
            ),
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(is_deleted=False, is_hidden=False, approval="approved"),
                name="forum_post_visible_recent_idx",
            ),
            models.Index(fields=["author", "-created_at"], name="forum_post_author_idx"),
            # The moderation queue: the few posts waiting for approval, oldest first.
            models.Index(
                fields=["created_at"],
                name="forum_post_pending_idx",
                condition=Q(approval="pending", is_deleted=False),
            ),
        ]

    def __str__(self):
        return f"{self.topic} #{self.number}"

    def get_absolute_url(self):
        return reverse("forum:post", kwargs={"pk": self.pk})

    @property
    def page_number(self) -> int:
        if self.number is None:  # waiting posts are shown on every page, to their author
            return 1
        return (self.number - 1) // POSTS_PER_PAGE + 1

    @property
    def anchor(self) -> str:
        return f"post-{self.pk}"

    @property
    def is_visible(self) -> bool:
        return not (self.is_deleted or self.is_hidden) and self.approval == Approval.APPROVED

    @property
    def is_pending(self) -> bool:
        return self.approval == Approval.PENDING

    @property
    def is_rejected(self) -> bool:
        return self.approval == Approval.REJECTED

    @property
    def is_first(self) -> bool:
        """The topic's opening post (a waiting topic holds only that one)."""
        return self.number == 1 or (self.number is None and self.topic.is_pending)

    @property
    def html(self):
        """The cached rendering, sanitised by nh3 when it was stored."""
        return mark_safe(self.body_html)  # noqa: S308


class PostRevision(models.Model):
    """An earlier version of a post, kept when its author edits it."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("post")
    )
    body = models.TextField(_("message"))
    language = models.CharField(_("language"), max_length=8, choices=SPOKEN_LANGUAGES)
    created_at = models.DateTimeField(_("written"), help_text=_("When this version was written."))
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("edited by"),
    )

    class Meta:
        ordering = ["post", "-replaced_at", "-pk"]
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")

    def __str__(self):
        return f"{self.post} @ {self.replaced_at:%Y-%m-%d %H:%M}"


class TopicRevision(models.Model):
    """An earlier title of a topic, kept when its author or a moderator changes it."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("topic")
    )
    title = models.CharField(_("title"), max_length=200)
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        ordering = ["topic", "-replaced_at", "-pk"]
        verbose_name = _("earlier topic title")
        verbose_name_plural = _("earlier topic titles")

    def __str__(self):
        return self.title


class Reaction(models.Model):
    """A like: one per member per post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_reactions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="forum_reaction_unique")
        ]

    def __str__(self):
        return f"{self.user_id} ♥ {self.post_id}"


class Bookmark(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_bookmarks"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="forum_bookmark_unique")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.post_id}"


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Report(models.Model):
    """A member flags a post for the moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_reports"
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
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["status", "-created_at"], name="forum_report_queue_idx")]

    def __str__(self):
        return f"{self.post} ({self.get_status_display()})"


class ModerationAction(models.TextChoices):
    PIN = "pin", _("Pinned the topic")
    UNPIN = "unpin", _("Unpinned the topic")
    LOCK = "lock", _("Locked the topic")
    UNLOCK = "unlock", _("Unlocked the topic")
    HIDE = "hide", _("Hid a post")
    UNHIDE = "unhide", _("Made a post visible again")
    RESTORE = "restore", _("Restored a deleted post")
    MOVE = "move", _("Moved the topic")
    MERGE = "merge", _("Merged a topic into this one")
    SPLIT = "split", _("Split posts off into a new topic")
    RESOLVE = "resolve", _("Resolved a report")
    APPROVE = "approve", _("Approved a post")
    REJECT = "reject", _("Rejected a post")
    RETITLE = "retitle", _("Changed the topic's title")


class ModerationLog(models.Model):
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=10, choices=ModerationAction.choices)
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")

    def __str__(self):
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class TopicWatch(models.Model):
    """A member follows a topic: replies notify them (authors watch automatically)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_watches"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("watched topic")
        verbose_name_plural = _("watched topics")
        constraints = [
            models.UniqueConstraint(fields=["topic", "user"], name="forum_watch_unique")
        ]

    def __str__(self):
        return f"{self.user_id} watches {self.topic_id}"


class CategoryWatch(models.Model):
    """A member follows a category: every new topic and reply in it notifies them."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_category_watches"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("watched category")
        verbose_name_plural = _("watched categories")
        constraints = [
            models.UniqueConstraint(fields=["category", "user"], name="forum_cat_watch_unique")
        ]

    def __str__(self):
        return f"{self.user_id} watches category {self.category_id}"


class TopicReadState(models.Model):
    """How far a member has read a topic: the highest post number they were shown."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_read_states"
    )
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("read state")
        verbose_name_plural = _("read states")
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="forum_read_state_unique")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.topic_id} up to #{self.last_read_number}"


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("mentioned you")
    QUOTE = "quote", _("quoted you")
    REPLY = "reply", _("replied in a topic you watch")
    NEW_TOPIC = "new_topic", _("started a topic in a category you watch")
    HIDDEN = "hidden", _("hid your post")
    UNHIDDEN = "unhidden", _("made your post visible again")
    RESTORED = "restored", _("restored your deleted post")
    APPROVED = "approved", _("approved your post")
    REJECTED = "rejected", _("did not approve your post")
    MOVED = "moved", _("moved your topic")
    RETITLED = "retitled", _("changed the title of your topic")
    PINNED = "pinned", _("pinned your topic")
    UNPINNED = "unpinned", _("unpinned your topic")
    LOCKED = "locked", _("locked your topic")
    UNLOCKED = "unlocked", _("unlocked your topic")
    SPLIT = "split", _("moved your post into a new topic")
    MERGED = "merged", _("merged your topic into another")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_notifications"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="forum_notif_idx")
        ]

    def __str__(self):
        return f"{self.actor_id} {self.kind} → {self.recipient_id}"


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("An e-mail for each notification")
    DAILY = "daily", _("A daily digest")
    OFF = "off", _("No e-mails")


def _unsubscribe_token() -> str:
    import secrets

    return secrets.token_urlsafe(24)


class EmailPreference(models.Model):
    """How a member wants forum notifications by e-mail (no row: immediate)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_email"
    )
    mode = models.CharField(
        _("forum e-mails"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    token = models.CharField(max_length=64, unique=True, default=_unsubscribe_token)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("forum e-mail preference")
        verbose_name_plural = _("forum e-mail preferences")

    def __str__(self):
        return f"{self.user_id}: {self.mode}"


class PostTranslation(models.Model):
    """A member's translation of a post into another language (attributed, editable by them)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=SPOKEN_LANGUAGES)
    body = models.TextField(_("translation"))
    body_html = models.TextField(editable=False, blank=True)
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_translations",
        verbose_name=_("translator"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)

    class Meta:
        verbose_name = _("post translation")
        verbose_name_plural = _("post translations")
        constraints = [
            models.UniqueConstraint(fields=["post", "language"], name="forum_translation_unique")
        ]

    def __str__(self):
        return f"{self.post} [{self.language}]"

    @property
    def html(self):
        return mark_safe(self.body_html)  # noqa: S308 - sanitised by nh3 when stored
