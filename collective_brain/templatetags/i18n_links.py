from functools import lru_cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import translate_url
from django.utils.translation import get_language_info

register = template.Library()


@register.inclusion_tag("includes/hreflang.html", takes_context=True)
def hreflang_links(context):
    """<link rel="alternate" hreflang> for each language version of the current page."""
    request = context.get("request")
    if request is None:
        return {"alternates": []}
    translated = _translated_paths(request.get_full_path())
    alternates = [
        {"code": code, "url": request.build_absolute_uri(path)} for code, path in translated
    ]
    default = request.build_absolute_uri(dict(translated)[settings.LANGUAGE_CODE])
    return {"alternates": alternates, "default": default}


@lru_cache(maxsize=4096)
def _translated_paths(path: str) -> tuple[tuple[str, str], ...]:
    """The path in each language. It depends on the URL configuration alone, and resolving
    it once per language costs more than the rest of a cached page."""
    return tuple((code, translate_url(path, code)) for code, _name in settings.LANGUAGES)


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context.get("request")
    return {
        "languages": [get_language_info(code) for code, _name in settings.LANGUAGES],
        "next": request.get_full_path() if request else "/",
        "csrf_token": context.get("csrf_token"),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }


@receiver(setting_changed)
def _forget_translated_paths(setting, **kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "ROOT_URLCONF"}:
        _translated_paths.cache_clear()
