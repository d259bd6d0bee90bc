from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "display_name", "country", "is_staff", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "directory_visibility"]
    search_fields = [
        "username",
        "email",
        "display_name",
        "first_name",
        "last_name",
        "organisation",
    ]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("Profile"),
            {
                "fields": [
                    "display_name",
                    "country",
                    "organisation",
                    "languages_spoken",
                    "preferred_language",
                    "bio",
                    "directory_visibility",
                ]
            },
        ),
    ]
