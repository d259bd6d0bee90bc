from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademiesConfig(AppConfig):
    name = "academies"
    verbose_name = _("Academy")

    def ready(self):
        from academies import signals  # noqa: F401
