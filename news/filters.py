"""What a visitor may narrow the news list by, validated by django-filter."""

import re

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from news.models import NewsItem, Tag

_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")


class TagSlugField(forms.ModelChoiceField):
    """A tag by its slug; anything that cannot be a slug is refused before any query."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or not _SLUG.fullmatch(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class TagFilter(django_filters.ModelChoiceFilter):
    field_class = TagSlugField


class NewsFilter(django_filters.FilterSet):
    tag = TagFilter(
        field_name="tags",
        to_field_name="slug",
        queryset=Tag.objects.all(),
        label=_("Tag"),
        error_messages={"invalid_choice": _("There is no such tag.")},
    )

    class Meta:
        model = NewsItem
        fields = ["tag"]
