from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from forum.models import Access, Category, ModerationLog, Report, Tag


class CategoryAdminForm(forms.ModelForm):
    """The model's checks (a sub-category never more open than its parent), plus the ones
    that need the chosen editions: a cohort sub-category's editions are its parent's."""

    def clean(self):
        data = super().clean()
        access, parent = data.get("access"), data.get("parent")
        editions = set(data.get("editions") or [])
        if access == Access.COHORT and parent is not None and parent.access == Access.COHORT:
            outside = editions - set(parent.editions.all())
            if outside:
                self.add_error(
                    "editions",
                    _("A cohort sub-category can only include editions of its parent: %(names)s.")
                    % {"names": ", ".join(str(edition) for edition in sorted(outside, key=str))},
                )
        if access == Access.COHORT and self.instance.pk:
            for child in self.instance.children.filter(access=Access.COHORT):
                if set(child.editions.all()) - editions:
                    self.add_error(
                        "editions",
                        _("The sub-category %(name)s includes editions this one would not.")
                        % {"name": child.name},
                    )
        return data


@admin.register(Category)
class CategoryAdmin(TabbedTranslationAdmin):
    form = CategoryAdminForm
    list_display = ["name", "slug", "access", "order", "parent", "approve_first_posts"]
    list_filter = ["access"]
    prepopulated_fields = {"slug": ["name_en"]}
    filter_horizontal = ["editions"]
    autocomplete_fields = ["moderators"]
    ordering = ["order", "pk"]


@admin.register(Tag)
class TagAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["post", "reporter", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["post", "reporter", "resolved_by"]


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ["action", "moderator", "topic", "created_at"]
    list_filter = ["action"]
    raw_id_fields = ["moderator", "topic", "post"]
