from django.conf import global_settings, settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

# Every language Django knows by a plain code; names are translated by Django's catalogues.
SPOKEN_LANGUAGES = [(code, name) for code, name in global_settings.LANGUAGES if "-" not in code]


class DirectoryVisibility(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    MEMBERS = "members", _("Signed-in members")
    COHORT = "cohort", _("Participants of my editions")


class UserQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, viewer):
        """Members whose profile the viewer may see, honouring each one's visibility choice."""
        visible = models.Q(directory_visibility=DirectoryVisibility.EVERYONE)
        if viewer.is_authenticated:
            visible |= models.Q(directory_visibility=DirectoryVisibility.MEMBERS)
            visible |= models.Q(pk=viewer.pk)
            if viewer.is_staff:
                visible |= models.Q(directory_visibility=DirectoryVisibility.COHORT)
            else:
                visible |= models.Q(
                    directory_visibility=DirectoryVisibility.COHORT,
                    participations__edition__participations__user=viewer,
                )
        return self.active().filter(visible).distinct()


class MemberManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    email = models.EmailField(_("e-mail address"))
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    country = CountryField(_("country"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    languages_spoken = ArrayField(
        models.CharField(max_length=8, choices=SPOKEN_LANGUAGES),
        verbose_name=_("languages spoken"),
        default=list,
        blank=True,
    )
    preferred_language = models.CharField(
        _("preferred interface language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The site opens in this language after you sign in."),
    )
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    directory_visibility = models.CharField(
        _("profile visible to"),
        max_length=10,
        choices=DirectoryVisibility.choices,
        default=DirectoryVisibility.MEMBERS,
    )

    digest_subscribed = models.BooleanField(
        _("weekly digest"),
        default=False,
        help_text=_("A weekly e-mail with new publications and news."),
    )
    digest_sent_at = models.DateTimeField(
        _("last digest sent"), null=True, blank=True, editable=False
    )

    objects = MemberManager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                condition=~models.Q(email=""),
                violation_error_message=_("A member with this e-mail address already exists."),
            )
        ]

    def __str__(self):
        return self.get_display_name()

    def get_display_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def get_absolute_url(self):
        return reverse("accounts:profile", kwargs={"username": self.username})

    @property
    def is_moderator(self) -> bool:
        return self.is_superuser or self.groups.filter(name=MODERATORS_GROUP).exists()


MODERATORS_GROUP = "Moderators"
CURATORS_GROUP = "Curators"
