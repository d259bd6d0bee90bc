"""Checks on uploaded edition pictures: the content must be what the name says."""

import re
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_PICTURE_BYTES = 2 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
# An SVG is a document that can carry scripts: only plain drawings are accepted.
SVG_FORBIDDEN = re.compile(
    rb"<\s*(script|foreignobject|iframe|object|embed|use)\b|<!(doctype|entity)"
    rb"|\bon[a-z]+\s*=|javascript:|data:text/html|xlink:href\s*=\s*[\"']?\s*https?:"
    rb"|href\s*=\s*[\"']?\s*https?:|@import|url\(\s*[\"']?\s*https?:",
    re.IGNORECASE,
)


def _read(upload, size: int | None = None) -> bytes:
    upload.seek(0)
    data = upload.read() if size is None else upload.read(size)
    upload.seek(0)
    return data


def _raster_is_intact(upload) -> bool:
    """Let Pillow (a dependency of fpdf2) decode the header when it is there."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with fpdf2
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


def validate_picture(upload) -> None:
    name = getattr(upload, "name", "") or ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in {".png", ".jpg", ".jpeg", ".svg"}:
        raise ValidationError(_("Upload a PNG, JPEG or SVG picture."), code="extension")
    if upload.size > MAX_PICTURE_BYTES:
        raise ValidationError(_("The picture is larger than 2 MB."), code="size")
    # A picture already stored is not read again on every save of the edition.
    if not hasattr(upload, "content_type") and getattr(upload, "_committed", True):
        return
    head = _read(upload, 16)
    if suffix == ".png":
        valid = head.startswith(PNG_SIGNATURE) and _raster_is_intact(upload)
    elif suffix in {".jpg", ".jpeg"}:
        valid = head.startswith(JPEG_SIGNATURE) and _raster_is_intact(upload)
    else:
        content = _read(upload)
        valid = b"<svg" in content[:4096].lower() and not SVG_FORBIDDEN.search(content)
    if not valid:
        raise ValidationError(
            _("This file is not a valid picture of the type its name says."), code="content"
        )
