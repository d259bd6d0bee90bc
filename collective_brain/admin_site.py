from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _


def staff_has_required_mfa(user) -> bool:
    return not settings.ADMIN_REQUIRE_MFA or is_mfa_enabled(user)


class AdminSite(admin.AdminSite):
    """The curation admin: signed in through allauth, and only with two-factor authentication."""

    site_header = _("Collective Brain curation")
    site_title = _("Collective Brain curation")
    index_title = _("Curation")

    def has_permission(self, request):
        return super().has_permission(request) and staff_has_required_mfa(request.user)

    def login(self, request, extra_context=None):
        user = request.user
        if not user.is_authenticated:
            next_url = request.GET.get(REDIRECT_FIELD_NAME) or resolve_url("admin:index")
            query = urlencode({REDIRECT_FIELD_NAME: next_url})
            return redirect(f"{resolve_url(settings.LOGIN_URL)}?{query}")
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not staff_has_required_mfa(user):
            messages.warning(
                request,
                _("Set up two-factor authentication before you open the curation admin."),
            )
            return redirect("mfa_index")
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            return redirect(next_url)
        return redirect("admin:index")
