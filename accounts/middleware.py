from django.conf import settings


class PreferredLanguageMiddleware:
    """Keep the language cookie in step with a signed-in member's saved preference.

    The URL prefix decides the language of each page; the cookie decides where unprefixed
    URLs lead, so after signing in (on any device) a member lands in their own language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language:
            cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            already_set = settings.LANGUAGE_COOKIE_NAME in response.cookies
            if cookie != user.preferred_language and not already_set:
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    user.preferred_language,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    path=settings.LANGUAGE_COOKIE_PATH,
                    domain=settings.LANGUAGE_COOKIE_DOMAIN,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                )
        return response
