from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from academies.models import Edition, Participation


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Edition)
class EditionAdmin(TabbedTranslationAdmin):
    list_display = ["number", "city", "country", "year", "start_date", "end_date"]
    search_fields = ["city", "title"]
    prepopulated_fields = {"slug": ["city_en"]}
    inlines = [ParticipationInline]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["user", "edition", "role", "created_at"]
    list_filter = ["edition", "role"]
    search_fields = ["user__username", "user__email", "user__display_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "edition"]
