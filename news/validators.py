"""Checks on what curators type or upload for news and events."""

import functools
import zoneinfo
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_SUFFIXES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".webp": "webp"}


def image_kind(head: bytes) -> str | None:
    """The picture type its first bytes announce ("png", "jpeg", "webp"), else None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _decodes(upload) -> bool:
    """Let Pillow check the header too when it is installed (it comes with fpdf2)."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - magic bytes alone then
        return True
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
        return True
    except Exception:  # noqa: BLE001 - any decoding failure means a broken file
        return False
    finally:
        upload.seek(0)


def validate_news_image(upload) -> None:
    """A PNG, JPEG or WebP picture of at most 5 MB whose content matches its name."""
    suffix = PurePath(getattr(upload, "name", "") or "").suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        raise ValidationError(_("Upload a PNG, JPEG or WebP picture."), code="extension")
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(_("The picture is larger than 5 MB."), code="size")
    # A picture already stored is not read again on every save of the item.
    if not hasattr(upload, "content_type") and getattr(upload, "_committed", True):
        return
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if image_kind(head) != IMAGE_SUFFIXES[suffix] or not _decodes(upload):
        raise ValidationError(
            _("This file is not a valid picture of the type its name says."), code="content"
        )


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(name: str) -> None:
    """An IANA time zone name known to zoneinfo, e.g. "Europe/Rome"."""
    if name not in _time_zones():
        raise ValidationError(
            _("“%(name)s” is not a known time zone; use a name such as Europe/Rome."),
            code="time_zone",
            params={"name": name},
        )
