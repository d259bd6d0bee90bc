from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from collective_brain.search import search_translated


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


class Edition(models.Model):
    """One face-to-face SSE Academy."""

    number = models.PositiveSmallIntegerField(_("edition number"), unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    city = models.CharField(_("city"), max_length=120)
    country = CountryField(_("country"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    title = models.CharField(_("title or theme"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("Academy edition")
        verbose_name_plural = _("Academy editions")

    def __str__(self):
        if self.year:
            return _("SSE Academy %(city)s %(year)s") % {"city": self.city, "year": self.year}
        return _("SSE Academy %(city)s") % {"city": self.city}

    def get_absolute_url(self):
        return reverse("academies:edition", kwargs={"slug": self.slug})

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


class ParticipationRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    FACILITATOR = "facilitator", _("Facilitator / resource person")
    ORGANISER = "organiser", _("Organiser")


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
    created_at = models.DateTimeField(_("enrolled on"), default=timezone.now)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "edition"], name="academies_participation_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.edition}"
