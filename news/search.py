"""News and events for the site-wide search: published rows only, ranked by relevance.

Both search the active language's columns and English (see
collective_brain.search.search_translated); an empty query finds nothing.
"""

from collective_brain.search import search_translated
from news.models import Event, NewsItem

MAX_QUERY_LENGTH = 200


def _clean(text) -> str:
    return " ".join(str(text or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def search_news(text):
    """Published news items matching ``text``: titles weigh most, then summaries, bodies."""
    text = _clean(text)
    if not text:
        return NewsItem.objects.none()
    return search_translated(
        NewsItem.objects.published(), text, {"title": "A", "summary": "B", "body": "C"}
    )


def search_events(text):
    """Published events (upcoming and past) matching ``text``."""
    text = _clean(text)
    if not text:
        return Event.objects.none()
    return search_translated(
        Event.objects.published(), text, {"title": "A", "place": "B", "description": "C"}
    )
