"""iCalendar (RFC 5545) for events, written by hand: a small, exact subset.

Lines end with CRLF and are folded at 75 octets (a continuation line starts with one space
and a UTF-8 character is never split); TEXT values escape backslashes, semicolons, commas and
newlines; times are in UTC with a trailing Z, and all-day events use DATE values with an
exclusive end.
"""

import datetime
import html
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from news.models import Event

CRLF = "\r\n"
LINE_OCTETS = 75
PRODID = "-//Collective Brain//News and events//EN"
# Control characters other than the newline (and tab) are not allowed in a TEXT value.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 section 3.3.11)."""
    value = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (section 3.1)."""
    pieces, current, size = [], [], 0
    limit = LINE_OCTETS
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size = [], 0
            limit = LINE_OCTETS - 1  # the leading space of the continuation counts
        current.append(character)
        size += width
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def format_utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def format_date(value: datetime.date) -> str:
    return value.strftime("%Y%m%d")


def uid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "collective-brain.org"


def plain_text(markdown_html: str) -> str:
    """Rendered (sanitised) Markdown as plain text for a calendar's DESCRIPTION."""
    return html.unescape(strip_tags(markdown_html)).strip()


def _description(event: Event) -> str:
    parts = []
    if event.is_approximate:
        parts.append(_("Exact date unknown: %(when)s.") % {"when": event.when()})
    text = plain_text(event.description_html)
    if text:
        parts.append(text)
    if event.online_url:
        parts.append(_("Online: %(url)s") % {"url": event.online_url})
    if event.registration_url:
        parts.append(_("Registration: %(url)s") % {"url": event.registration_url})
    return "\n\n".join(parts)


def event_lines(event: Event, url: str) -> list[str]:
    """The VEVENT of one event; ``url`` is the absolute address of its page."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{uid_domain()}",
        f"DTSTAMP:{format_utc(event.updated_at)}",
        f"LAST-MODIFIED:{format_utc(event.updated_at)}",
    ]
    if event.all_day:
        first = event.local_start.date()
        last = max(event.local_end.date(), first)
        lines += [
            f"DTSTART;VALUE=DATE:{format_date(first)}",
            f"DTEND;VALUE=DATE:{format_date(last + datetime.timedelta(days=1))}",
        ]
    else:
        lines += [f"DTSTART:{format_utc(event.start)}", f"DTEND:{format_utc(event.end)}"]
    lines.append(f"SUMMARY:{escape_text(event.title)}")
    description = _description(event)
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    location = event.place or event.online_url
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines += [
        f"CATEGORIES:{escape_text(event.get_kind_display())}",
        f"URL:{url}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]
    return lines


def calendar(events, url_of, name: str = "") -> str:
    """A VCALENDAR of ``events``; ``url_of(event)`` gives each one's absolute page address."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        lines += event_lines(event, url_of(event))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
