"""What the home page shows: the newest public content of every section, cached briefly."""

from django.core.cache import cache
from django.utils.translation import get_language

from academies.models import Edition
from forum.models import Topic
from news.models import Event, NewsItem
from publications.models import Publication

CACHE_SECONDS = 60


def home_sections() -> dict:
    """Public content only, so one cached copy per language serves every reader."""
    key = f"home-sections:{get_language()}"
    sections = cache.get(key)
    if sections is None:
        sections = {
            "news": list(NewsItem.objects.published().order_by("-published_at")[:3]),
            "publications": list(
                Publication.objects.published()
                .select_related("type")
                .order_by("-published_at", "-pk")[:5]
            ),
            "events": list(Event.objects.published().upcoming().order_by("start")[:3]),
            "current_edition": Edition.objects.current_or_next(),
            "recent_editions": list(Edition.objects.order_by("-number")[:4]),
        }
        cache.set(key, sections, CACHE_SECONDS)
    return sections


def active_topics(user, limit: int = 5) -> list:
    """The forum topics with the latest posts, among those this reader may see."""
    return list(
        Topic.objects.readable_by(user)
        .select_related("category")
        .order_by("-last_post_at", "-pk")[:limit]
    )
