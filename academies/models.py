import secrets
import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from academies.validators import validate_picture
from accounts.models import SPOKEN_LANGUAGES
from collective_brain.search import search_translated

# Paths under /academy/ that are pages of their own, so no edition may take them as a slug.
RESERVED_SLUGS = {"participants", "invitations"}


class EditionStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    ONGOING = "ongoing", _("Ongoing")
    PAST = "past", _("Past")


class EditionQuerySet(models.QuerySet):
    def current_or_next(self):
        """The edition taking place now, else the next one to come."""
        return self.filter(end_date__gte=timezone.localdate()).order_by("start_date").first()

    def search(self, text: str):
        return search_translated(self, text, {"city": "A", "title": "A", "description": "C"})


def picture_upload_to(instance, filename):
    """academy/editions/<slug>-<random>.<ext>: never a name chosen by the uploader."""
    suffix = PurePath(filename).suffix.lower()
    slug = slugify(instance.slug)[:60] or "edition"
    return f"academy/editions/{slug}-{uuid.uuid4().hex[:8]}{suffix}"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def generate_invitation_code(edition=None) -> str:
    """A code people can type: a readable prefix and 10 random characters without look-alikes."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    random_part = "".join(secrets.choice(alphabet) for _ in range(10))
    prefix = slugify(edition.city_en or edition.city)[:10].upper() if edition else "SSE"
    return f"{prefix or 'SSE'}-{random_part[:5]}-{random_part[5:]}"


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).upper()


class Edition(models.Model):
    """One face-to-face SSE Academy."""

    number = models.PositiveSmallIntegerField(_("edition number"), unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    city = models.CharField(_("city"), max_length=120)
    country = CountryField(_("country"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    title = models.CharField(_("title or theme"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    languages_of_instruction = ArrayField(
        models.CharField(max_length=8, choices=SPOKEN_LANGUAGES),
        verbose_name=_("languages of instruction"),
        default=list,
        blank=True,
    )
    organisers = models.TextField(
        _("organisers"), blank=True, help_text=_("One organisation per line.")
    )
    partners = models.TextField(_("partners"), blank=True, help_text=_("One partner per line."))
    picture = models.FileField(
        _("picture"),
        upload_to=picture_upload_to,
        max_length=200,
        blank=True,
        validators=[validate_picture],
        help_text=_("A PNG, JPEG or SVG file of at most 2 MB."),
    )
    picture_alt = models.CharField(
        _("picture description"),
        max_length=250,
        blank=True,
        help_text=_("What the picture shows, for people who cannot see it."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Where the edition took place, for the map (decimal degrees)."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    programme_note = models.TextField(
        _("note on the programme"),
        blank=True,
        help_text=_("Shown above the programme, e.g. “Provisional programme”."),
    )
    invitation_code = models.CharField(
        _("invitation code"),
        max_length=40,
        blank=True,
        help_text=_(
            "Signed-in members who type this code on the edition page join it as participants. "
            "Leave empty to switch codes off; use the admin action to create a hard-to-guess one."
        ),
    )
    invitation_code_expires = models.DateField(
        _("invitation code valid until"),
        null=True,
        blank=True,
        help_text=_("The last day the code can be used. Leave empty to keep it valid."),
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("Academy edition")
        verbose_name_plural = _("Academy editions")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation_code"],
                condition=~models.Q(invitation_code=""),
                name="academies_edition_code_unique",
                violation_error_message=_("Another edition already uses this invitation code."),
            )
        ]

    def __str__(self):
        if self.year:
            return _("SSE Academy %(city)s %(year)s") % {"city": self.city, "year": self.year}
        return _("SSE Academy %(city)s") % {"city": self.city}

    def save(self, *args, **kwargs):
        self.invitation_code = normalise_code(self.invitation_code)
        if self.start_date and not self.year:
            self.year = self.start_date.year
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("academies:edition", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This slug is reserved for another page.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date is before the start date.")
        if self.start_date and self.year and self.start_date.year != self.year:
            errors["year"] = _("The year does not match the start date.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both the latitude and the longitude, or neither.")
        self.invitation_code = normalise_code(self.invitation_code)
        if self.invitation_code and len(self.invitation_code) < 8:
            errors["invitation_code"] = _("An invitation code needs at least 8 characters.")
        if errors:
            raise ValidationError(errors)

    @property
    def status(self) -> EditionStatus | None:
        """Derived from the dates (or the year alone); None when neither is known."""
        today = timezone.localdate()
        if self.start_date and self.end_date:
            if today < self.start_date:
                return EditionStatus.UPCOMING
            return EditionStatus.ONGOING if today <= self.end_date else EditionStatus.PAST
        if self.year:
            if self.year == today.year:
                return None
            return EditionStatus.PAST if self.year < today.year else EditionStatus.UPCOMING
        return None

    @property
    def organiser_list(self) -> list[str]:
        return _lines(self.organisers)

    @property
    def partner_list(self) -> list[str]:
        return _lines(self.partners)

    @property
    def invitation_code_expired(self) -> bool:
        expires = self.invitation_code_expires
        return expires is not None and expires < timezone.localdate()

    @property
    def has_invitation_code(self) -> bool:
        """A code members can redeem now."""
        return bool(self.invitation_code) and not self.invitation_code_expired


class Session(models.Model):
    """One session of an edition's programme."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("edition")
    )
    day = models.PositiveSmallIntegerField(
        _("day"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Day of the Academy: 1 for the first day."),
    )
    date = models.DateField(_("date"), null=True, blank=True)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order within the day"), default=0)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    speakers = models.TextField(_("speakers"), blank=True, help_text=_("One speaker per line."))
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("What was said and decided, written afterwards.")
    )
    recording_url = models.URLField(
        _("recording or livestream link"),
        blank=True,
        validators=[URLValidator(schemes=["https", "http"])],
    )
    materials = models.ManyToManyField(
        "publications.Publication",
        blank=True,
        related_name="academy_sessions",
        verbose_name=_("materials"),
        help_text=_("Library publications used in this session (only published ones are shown)."),
    )

    class Meta:
        ordering = ["edition", "day", "start_time", "order", "pk"]
        verbose_name = _("programme session")
        verbose_name_plural = _("programme")
        indexes = [models.Index(fields=["edition", "day", "order"], name="academies_session_idx")]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.start_time and self.end_time and self.end_time < self.start_time:
            raise ValidationError({"end_time": _("The session ends before it starts.")})

    @property
    def speaker_list(self) -> list[str]:
        return _lines(self.speakers)


class ParticipationRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    FACILITATOR = "facilitator", _("Facilitator / resource person")
    ORGANISER = "organiser", _("Organiser")


class ParticipationStatus(models.TextChoices):
    FUTURE = "future", _("Future participant")
    CURRENT = "current", _("Current participant")
    ALUMNI = "alumni", _("Alumni")


_STATUS_OF_EDITION = {
    EditionStatus.UPCOMING: ParticipationStatus.FUTURE,
    EditionStatus.ONGOING: ParticipationStatus.CURRENT,
    EditionStatus.PAST: ParticipationStatus.ALUMNI,
}


class Participation(models.Model):
    """A member's place in one edition: what opens its cohort space and the directory."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("member"),
    )
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="participations", verbose_name=_("edition")
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=ParticipationRole.choices,
        default=ParticipationRole.PARTICIPANT,
    )
    status_override = models.CharField(
        _("status"),
        max_length=10,
        choices=ParticipationStatus.choices,
        blank=True,
        help_text=_("Leave empty to derive it from the edition's dates."),
    )
    created_at = models.DateTimeField(_("enrolled on"), default=timezone.now)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "edition"], name="academies_participation_unique"
            )
        ]
        indexes = [models.Index(fields=["edition", "role"], name="academies_part_edition_idx")]

    def __str__(self):
        return f"{self.user} – {self.edition}"

    @property
    def status(self) -> ParticipationStatus | None:
        """The override when set, else future/current/alumni from the edition's dates."""
        if self.status_override:
            return ParticipationStatus(self.status_override)
        return _STATUS_OF_EDITION.get(self.edition.status)


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_expiry():
    """When an invitation created or renewed now stops being valid."""
    return timezone.now() + timedelta(days=settings.ACADEMY_INVITATION_DAYS)


class EditionInvitationQuerySet(models.QuerySet):
    def pending(self):
        """Not accepted yet, expired or not."""
        return self.filter(accepted_at__isnull=True)

    def usable(self):
        """Not accepted yet and still valid."""
        return self.pending().filter(expires_at__gt=timezone.now())

    def expired(self):
        return self.pending().filter(expires_at__lte=timezone.now())


class EditionInvitation(models.Model):
    """An e-mailed invitation to join an edition, for someone without an account yet."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("edition")
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=ParticipationRole.choices,
        default=ParticipationRole.PARTICIPANT,
    )
    language = models.CharField(
        _("language of the invitation"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("valid until"), default=invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    objects = EditionInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                "edition", Lower("email"), name="academies_invitation_edition_email_unique"
            )
        ]
        indexes = [models.Index(Lower("email"), name="academies_invitation_email_idx")]

    def __str__(self):
        return f"{self.email} → {self.edition}"

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("academies:invitation", kwargs={"token": self.token})

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_expired(self) -> bool:
        return not self.is_accepted and self.expires_at <= timezone.now()
