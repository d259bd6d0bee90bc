"""Only what moderation needs: reported messages and the log. Conversations themselves and
their messages stay out of the admin, so staff cannot browse private correspondence."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from conversations.models import MessageReport, ModerationLog


@admin.register(MessageReport)
class MessageReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reporter", "status", "created_at"]
    list_filter = ["status"]
    fields = ["reported_message", "reporter", "reason", "status", "resolved_by", "resolved_at"]
    readonly_fields = ["reported_message", "reporter", "reason", "resolved_by", "resolved_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("message", "reporter")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("reported message"))
    def reported_message(self, report):
        return report.message.body


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ["action", "moderator", "report", "created_at"]
    list_filter = ["action"]
    readonly_fields = ["moderator", "action", "report", "message", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
