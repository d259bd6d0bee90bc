"""The participants directory's search and filters."""

import django_filters
from django import forms
from django.db.models import Value
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from academies.models import Edition, Participation, ParticipationRole
from academies.regions import REGION_CHOICES, countries_in
from accounts.models import SPOKEN_LANGUAGES, folded, search_text


class ParticipantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name or organisation"),
        method="filter_text",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    edition = django_filters.ModelChoiceFilter(
        label=_("Edition"),
        queryset=Edition.objects.order_by("-number"),
        method="filter_nothing",
        empty_label=_("All editions"),
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"),
        choices=ParticipationRole.choices,
        method="filter_nothing",
        empty_label=_("All roles"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=countries, empty_label=_("All countries")
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"),
        choices=REGION_CHOICES,
        method="filter_region",
        empty_label=_("All regions"),
    )
    language = django_filters.ChoiceFilter(
        label=_("Speaks"),
        choices=SPOKEN_LANGUAGES,
        method="filter_language",
        empty_label=_("Any language"),
    )

    def filter_text(self, queryset, name, value):
        """Every word, accents and case aside, in a name or the organisation.

        The expression is the one of the trigram index accounts_user_search_trgm, so
        PostgreSQL serves the search from that index.
        """
        words = value.split()[:5]
        if not words:
            return queryset
        queryset = queryset.alias(search_text=search_text())
        for word in words:
            queryset = queryset.filter(search_text__contains=folded(Value(word)))
        return queryset

    def filter_nothing(self, queryset, name, value):
        # Edition and role filter together (a role *in* that edition): see filter_queryset.
        return queryset

    def filter_region(self, queryset, name, value):
        return queryset.filter(country__in=countries_in(value))

    def filter_language(self, queryset, name, value):
        return queryset.filter(languages_spoken__contains=[value])

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        edition = self.form.cleaned_data.get("edition")
        role = self.form.cleaned_data.get("role")
        if edition or role:
            participations = Participation.objects.all()
            if edition:
                participations = participations.filter(edition=edition)
            if role:
                participations = participations.filter(role=role)
            queryset = queryset.filter(pk__in=participations.values("user_id"))
        return queryset
