"""Curation of news items, tags and events: translated tabs, publish and unpublish actions."""

from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin

from news.models import Event, NewsItem, Status, Tag

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _translated(*fields):
    return [f"{field}_{code}" for field in fields for code in LANGUAGE_CODES]


@admin.register(Tag)
class TagAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["slug", *_translated("name")]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(NewsItem)
class NewsItemAdmin(TabbedTranslationAdmin):
    list_display = ["title", "slug", "status", "published_at", "visibility", "author"]
    list_filter = ["status", "published_at", "tags"]
    list_select_related = ["author"]
    search_fields = ["slug", *_translated("title", "summary")]
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["author", "tags", "publications", "editions"]
    date_hierarchy = "published_at"
    readonly_fields = ["created_at", "updated_at"]
    actions = ["publish", "unpublish"]

    @admin.display(description=_("visible to readers"))
    def visibility(self, obj):
        if obj.is_public:
            return _("Yes")
        if obj.status == Status.PUBLISHED:
            return _("Scheduled")
        return _("No (draft)")

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish the selected news items"), permissions=["change"])
    def publish(self, request, queryset):
        count = 0
        for item in queryset.exclude(status=Status.PUBLISHED):
            item.status = Status.PUBLISHED
            item.published_at = item.published_at or timezone.now()
            item.save(update_fields=["status", "published_at", "updated_at"])
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d news item published.", "%(count)d news items published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected news items"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.exclude(status=Status.DRAFT).update(
            status=Status.DRAFT, updated_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d news item unpublished.", "%(count)d news items unpublished.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Event)
class EventAdmin(TabbedTranslationAdmin):
    list_display = ["title", "kind", "start", "time_zone", "all_day", "status", "edition"]
    list_filter = ["status", "kind", "all_day", "start"]
    list_select_related = ["edition"]
    search_fields = ["slug", *_translated("title", "place")]
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["edition"]
    date_hierarchy = "start"
    readonly_fields = ["created_at", "updated_at"]
    actions = ["publish", "unpublish"]

    @admin.action(description=_("Publish the selected events"), permissions=["change"])
    def publish(self, request, queryset):
        count = queryset.exclude(status=Status.PUBLISHED).update(
            status=Status.PUBLISHED, updated_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext("%(count)d event published.", "%(count)d events published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected events"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.exclude(status=Status.DRAFT).update(
            status=Status.DRAFT, updated_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext("%(count)d event unpublished.", "%(count)d events unpublished.", count)
            % {"count": count},
            messages.SUCCESS,
        )
