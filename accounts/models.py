from django.conf import global_settings, settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Concat, Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

# Every language Django knows by a plain code; names are translated by Django's catalogues.
SPOKEN_LANGUAGES = [(code, name) for code, name in global_settings.LANGUAGES if "-" not in code]


# Fields the participants directory searches by name or organisation.
SEARCHED_FIELDS = ["display_name", "first_name", "last_name", "username", "organisation"]


class ImmutableUnaccent(models.Func):
    """unaccent() through the IMMUTABLE wrapper of migration 0003, which indexes may use."""

    function = "public.cb_unaccent"
    arity = 1
    output_field = models.TextField()


def folded(expression):
    """Lower-case and accent-free, so "José" and "jose" compare equal."""
    return Lower(ImmutableUnaccent(expression))


def search_text():
    """The searched fields folded into one text, as the trigram index stores it.

    Words are split on spaces before they are searched for, so a word never spans two fields.
    """
    parts = []
    for name in SEARCHED_FIELDS:
        parts += [models.F(name), models.Value(" ")]
    return folded(Concat(*parts[:-1]))


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
                # A semi-join: joining the cohorts' participations directly would repeat each
                # member once per fellow participant before DISTINCT.
                cohort = self.model.objects.filter(
                    participations__edition__participations__user=viewer
                )
                visible |= models.Q(
                    directory_visibility=DirectoryVisibility.COHORT, pk__in=cohort.values("pk")
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
        indexes = [
            # Serves the directory's search: LIKE '%word%' on search_text() (pg_trgm). Members
            # change rarely, so new entries go straight into the index rather than a pending
            # list that every search would have to read (and the planner would avoid).
            GinIndex(
                OpClass(search_text(), name="gin_trgm_ops"),
                name="accounts_user_search_trgm",
                fastupdate=False,
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
