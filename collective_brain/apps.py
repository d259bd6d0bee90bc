from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CollectiveBrainConfig(AppConfig):
    default = True
    name = "collective_brain"
    verbose_name = _("Collective Brain")


class AdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "collective_brain.admin_site.AdminSite"
