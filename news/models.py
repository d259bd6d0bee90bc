"""News items and events of the network (translated with modeltranslation, see translation.py)."""

import datetime
import uuid
import zoneinfo
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from collective_brain.markdown import render_markdown
from news.validators import validate_news_image, validate_time_zone

# Paths under /news/ that are pages of their own, so no news item may take them as a slug.
RESERVED_SLUGS = {"events", "feed"}


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Tag(models.Model):
    """A translated label for news items, e.g. "SSE Academy"."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('news:index')}?tag={self.slug}"


def image_upload_to(instance, filename):
    """news/<slug>-<random>.<ext>: never a name chosen by the uploader."""
    suffix = PurePath(filename).suffix.lower()
    slug = slugify(instance.slug)[:60] or "news"
    return f"news/{slug}-{uuid.uuid4().hex[:8]}{suffix}"


class NewsItemQuerySet(models.QuerySet):
    def published(self):
        """Published and due: scheduled items stay hidden until their time."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user):
        """What a reader may open: curators (staff who may view news) also preview drafts."""
        if user is not None and user.is_staff and user.has_perm("news.view_newsitem"):
            return self.all()
        return self.published()


class NewsItem(models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("One or two sentences of plain text: shown in lists, feeds and when shared."),
    )
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    image = models.FileField(
        _("image"),
        upload_to=image_upload_to,
        max_length=200,
        blank=True,
        validators=[validate_news_image],
        help_text=_("A PNG, JPEG or WebP picture of at most 5 MB."),
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=250,
        blank=True,
        help_text=_("What the picture shows, for people who cannot see it."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_items",
        verbose_name=_("author"),
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="news_items", verbose_name=_("tags")
    )
    publications = models.ManyToManyField(
        "publications.Publication",
        blank=True,
        related_name="news_items",
        verbose_name=_("related publications"),
        help_text=_("Only published ones are shown."),
    )
    editions = models.ManyToManyField(
        "academies.Edition",
        blank=True,
        related_name="news_items",
        verbose_name=_("related Academy editions"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("A time to come schedules the item: it stays hidden until then."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="news_item_listing_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="news_item_published_has_time",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title_en or self.title)[:110] or uuid.uuid4().hex[:12]
        if self.status == Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This slug is reserved for another page.")})

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and bool(
            self.published_at and self.published_at <= timezone.now()
        )

    @property
    def body_html(self):
        return render_markdown(self.body)


class EventKind(models.TextChoices):
    WEBINAR = "webinar", _("Webinar")
    ACADEMY_SESSION = "academy-session", _("Academy session")
    CONFERENCE = "conference", _("Conference")
    OTHER = "other", _("Other event")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day (or exact times)")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def upcoming(self, now=None):
        """Events not over yet (those under way included), soonest first."""
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now=None):
        """Events that are over, the most recent first."""
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def visible_to(self, user):
        if user is not None and user.is_staff and user.has_perm("news.view_event"):
            return self.all()
        return self.published()


class Event(models.Model):
    """A webinar, an Academy session, a conference… with its time in its own time zone."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind.choices, default=EventKind.OTHER
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    all_day = models.BooleanField(
        _("all day"),
        default=False,
        help_text=_("The times are not shown and calendars get whole days."),
    )
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_(
            "When only the month or the year is known, start on its first day, tick "
            "“all day” and set the precision: the page then shows only what is known."
        ),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("The IANA name of the event's time zone, e.g. Europe/Rome or America/Lima."),
    )
    place = models.CharField(_("place"), max_length=250, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    registration_url = models.URLField(_("registration link"), max_length=500, blank=True)
    edition = models.ForeignKey(
        "academies.Edition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("Academy edition"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["status", "end", "start"], name="news_event_listing_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="news_event_ends_after_start",
                violation_error_message=_("The event ends before it starts."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:event", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The event ends before it starts.")})
        if self.date_precision != DatePrecision.DAY and not self.all_day:
            raise ValidationError(
                {"all_day": _("An event known only by its month or year lasts all day.")}
            )

    def get_ics_url(self):
        return reverse("news:event_ics", kwargs={"slug": self.slug})

    @property
    def description_html(self):
        return render_markdown(self.description)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def local_start(self) -> datetime.datetime:
        return self.start.astimezone(self.zone)

    @property
    def local_end(self) -> datetime.datetime:
        return self.end.astimezone(self.zone)

    @property
    def is_approximate(self) -> bool:
        return self.date_precision != DatePrecision.DAY

    @property
    def iso_date(self) -> str:
        """The machine-readable date of an HTML <time>: no more precise than what is known."""
        start = self.local_start
        if self.date_precision == DatePrecision.YEAR:
            return f"{start.year:04d}"
        if self.date_precision == DatePrecision.MONTH:
            return f"{start.year:04d}-{start.month:02d}"
        if self.all_day:
            return start.date().isoformat()
        return start.isoformat()

    @property
    def utc_offset(self) -> str:
        """“UTC+02:00” at the start of the event (daylight saving time included)."""
        offset = self.local_start.utcoffset() or datetime.timedelta(0)
        sign = "-" if offset < datetime.timedelta(0) else "+"
        minutes = abs(int(offset.total_seconds())) // 60
        return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"

    def when(self) -> str:
        """The date (and times) in the active language, in the event's own time zone.

        Only what is known is shown: the year or the month for an approximate date, no times
        for an all-day event.
        """
        start, end = self.local_start, self.local_end
        if self.date_precision == DatePrecision.YEAR:
            return str(start.year)
        if self.date_precision == DatePrecision.MONTH:
            return formats.date_format(start, "YEAR_MONTH_FORMAT")
        if self.all_day:
            if start.date() == end.date():
                return formats.date_format(start, "DATE_FORMAT")
            return "{} – {}".format(
                formats.date_format(start, "DATE_FORMAT"), formats.date_format(end, "DATE_FORMAT")
            )
        if start.date() == end.date():
            return "{}, {} – {}".format(
                formats.date_format(start, "DATE_FORMAT"),
                formats.time_format(start, "TIME_FORMAT"),
                formats.time_format(end, "TIME_FORMAT"),
            )
        return "{} – {}".format(
            formats.date_format(start, "DATETIME_FORMAT"),
            formats.date_format(end, "DATETIME_FORMAT"),
        )

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED
