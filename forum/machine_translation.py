"""A small pluggable interface for machine translation of posts (none by default).

Configure with settings.FORUM_MACHINE_TRANSLATION = {"BACKEND": "dotted.path.Class",
"OPTIONS": {...}}. The bundled HTTP backend speaks the LibreTranslate JSON API
(POST {q, source, target, format} → {"translatedText": …}); any class with a
``translate(text, source, target) -> str`` method works. Failures never break a page: the
member just gets no suggestion.
"""

import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class MachineTranslationError(Exception):
    pass


class BaseBackend:
    def __init__(self, **options):
        self.options = options

    def translate(self, text: str, source: str, target: str) -> str:  # pragma: no cover
        raise NotImplementedError


class LibreTranslateBackend(BaseBackend):
    """OPTIONS: URL (…/translate), optional API_KEY, TIMEOUT (seconds, default 10)."""

    def translate(self, text: str, source: str, target: str) -> str:
        payload = {"q": text, "source": source, "target": target, "format": "text"}
        if self.options.get("API_KEY"):
            payload["api_key"] = self.options["API_KEY"]
        request = urllib.request.Request(
            self.options["URL"],
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.options.get("TIMEOUT", 10)) as reply:  # noqa: S310 - configured URL
                return json.load(reply)["translatedText"]
        except (OSError, ValueError, KeyError) as error:
            raise MachineTranslationError(str(error)) from error


def get_backend():
    config = getattr(settings, "FORUM_MACHINE_TRANSLATION", None)
    if not config or not config.get("BACKEND"):
        return None
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))


def suggest(text: str, source: str, target: str) -> str | None:
    backend = get_backend()
    if backend is None:
        return None
    try:
        return backend.translate(text, source, target)
    except MachineTranslationError:
        logger.warning("Machine translation failed", exc_info=True)
        return None
