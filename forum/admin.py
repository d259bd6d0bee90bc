from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from forum.models import Category, ModerationLog, Report, Tag


@admin.register(Category)
class CategoryAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug", "access", "order", "parent"]
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
