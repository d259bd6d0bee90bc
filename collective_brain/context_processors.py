from django.conf import settings


def site(request):
    return {"SITE_NAME": "Collective Brain", "ADMIN_REQUIRE_MFA": settings.ADMIN_REQUIRE_MFA}
