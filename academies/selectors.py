"""Reads about editions and their people, privacy rules included.

The forum's cohort spaces rely on ``editions_of`` and ``user_participates_in``: participation
in an edition opens its space, removing the participation closes it.
"""

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from academies import charts
from academies.models import Edition, Participation, ParticipationRole, Session
from academies.regions import region_label, region_of
from collective_brain.versioned_cache import VersionedCache
from publications.models import Publication

User = get_user_model()


def editions_of(user) -> QuerySet[Edition]:
    """The editions a member takes part in (none for visitors)."""
    if not getattr(user, "is_authenticated", False):
        return Edition.objects.none()
    return Edition.objects.filter(participations__user=user).distinct()


def user_participates_in(user, edition) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Participation.objects.filter(user=user, edition=edition).exists()


def is_participant(user) -> bool:
    """A member enrolled in at least one edition."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Participation.objects.filter(user=user).exists()


def can_use_directory(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active) and (
        user.is_staff or is_participant(user)
    )


def can_see_participants(user, edition) -> bool:
    """The list of an edition's people is for its own participants and the curators."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_staff or user_participates_in(user, edition)


def visible_members(viewer) -> QuerySet:
    """Active members the viewer may see, as a plain (non-DISTINCT) queryset to build on."""
    return User.objects.filter(pk__in=User.objects.visible_to(viewer).values("pk"))


def _participations_prefetch() -> Prefetch:
    return Prefetch(
        "participations",
        queryset=Participation.objects.select_related("edition").order_by("edition__number"),
    )


def _by_name(queryset):
    name = Coalesce(NullIf("display_name", Value("")), "username")
    return queryset.order_by(Lower(name), "username")


def directory_members(*, viewer) -> QuerySet:
    """Members of the directory: enrolled in an edition and visible to the viewer."""
    members = (
        visible_members(viewer)
        .filter(pk__in=Participation.objects.values("user_id"))
        .prefetch_related(_participations_prefetch())
    )
    return _by_name(members)


def edition_participants(*, edition, viewer) -> QuerySet[Participation]:
    """The edition's participations whose member the viewer may see, by name."""
    participations = Participation.objects.filter(
        edition=edition, user__in=User.objects.visible_to(viewer).values("pk")
    ).select_related("user", "edition")
    name = Coalesce(NullIf("user__display_name", Value("")), "user__username")
    role_order = Case(
        When(role=ParticipationRole.ORGANISER, then=Value(0)),
        When(role=ParticipationRole.FACILITATOR, then=Value(1)),
        default=Value(2),
    )
    return participations.order_by(role_order, Lower(name), "user__username")


def programme(edition) -> list[Session]:
    """The sessions with their published materials, in order."""
    published = Publication.objects.published().only("pk", "slug", "title")
    return list(
        edition.sessions.prefetch_related(
            Prefetch("materials", queryset=published.order_by("title"), to_attr="public_materials")
        )
    )


def collection_of(edition):
    """The edition's collection (or None) — a reverse one-to-one that may be missing."""
    try:
        return edition.collection
    except Edition.collection.RelatedObjectDoesNotExist:
        return None


def collection_publications(collection, *, limit: int = 50) -> tuple[list, int]:
    if collection is None:
        return [], 0
    published = Publication.objects.published().filter(collections=collection)
    return list(published.select_related("type")[:limit]), published.count()


# Network figures: counted by the database over every active member (nobody is named, so a
# hidden profile is counted like the others but never shown). The same for every visitor, so
# they are cached per language until participations, editions or members change (signals).

FIGURES_CACHE = VersionedCache("academies:figures", timeout=60 * 60)


def _country_name(code: str) -> str:
    return str(countries.name(code)) if code else _("Not stated")


def network_figures(*, edition=None) -> dict:
    key = f"{get_language()}:{edition.pk if edition is not None else 'all'}"
    return FIGURES_CACHE.get_or_compute(key, lambda: _network_figures(edition=edition))


def _network_figures(*, edition=None) -> dict:
    participations = Participation.objects.filter(user__is_active=True)
    if edition is not None:
        participations = participations.filter(edition=edition)
    people = User.objects.filter(pk__in=participations.values("user_id"))
    by_country = list(
        people.values_list("country").annotate(count=Count("pk")).order_by("-count", "country")
    )
    regions: dict[str, int] = {}
    for code, count in by_country:
        region = region_of(code) or ""
        regions[region] = regions.get(region, 0) + count
    by_region = sorted(regions.items(), key=lambda item: (-item[1], item[0]))
    roles = dict(ParticipationRole.choices)
    by_role = list(
        participations.values_list("role").annotate(count=Count("pk")).order_by("-count", "role")
    )
    suffix = f"-{edition.pk}" if edition is not None else ""
    figures = {
        "total": sum(count for _code, count in by_country),
        "by_country": charts.bar_chart(
            f"chart-country{suffix}",
            _("Participants by country"),
            [(_country_name(code), count) for code, count in by_country],
            column_label=_("Participants"),
            other_label=_("Other countries"),
        ),
        "by_region": charts.bar_chart(
            f"chart-region{suffix}",
            _("Participants by region"),
            [(region_label(code) or _("Not stated"), count) for code, count in by_region],
            column_label=_("Participants"),
        ),
        "by_role": charts.bar_chart(
            f"chart-role{suffix}",
            _("Participations by role"),
            [(str(roles.get(role, role)), count) for role, count in by_role],
            column_label=_("Participations"),
        ),
    }
    if edition is None:
        editions = Edition.objects.annotate(
            people=Count("participations", filter=Q(participations__user__is_active=True))
        ).order_by("number")
        figures["by_edition"] = charts.bar_chart(
            "chart-editions",
            _("Participants per edition, over time"),
            [
                (f"{e.number}. {e.city} {e.year}" if e.year else f"{e.number}. {e.city}", e.people)
                for e in editions
            ],
            column_label=_("Participants"),
            max_bars=100,
        )
    return figures
