from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

register = template.Library()


@register.inclusion_tag("includes/hreflang.html", takes_context=True)
def hreflang_links(context):
    """<link rel="alternate" hreflang> for each language version of the current page."""
    request = context.get("request")
    if request is None:
        return {"alternates": []}
    path = request.get_full_path()
    alternates = [
        {"code": code, "url": request.build_absolute_uri(translate_url(path, code))}
        for code, _name in settings.LANGUAGES
    ]
    default = request.build_absolute_uri(translate_url(path, settings.LANGUAGE_CODE))
    return {"alternates": alternates, "default": default}


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context.get("request")
    return {
        "languages": [get_language_info(code) for code, _name in settings.LANGUAGES],
        "next": request.get_full_path() if request else "/",
        "csrf_token": context.get("csrf_token"),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }
