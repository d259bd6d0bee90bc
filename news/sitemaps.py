"""Sitemap sections for news items and events: only published ones, in every language.

Wired into /sitemap.xml by collective_brain/sitemaps.py.
"""

from collective_brain.sitemap_base import I18nSitemap
from news.models import Event, NewsItem


class NewsSitemap(I18nSitemap):
    """Published news items (drafts and items scheduled for later stay out)."""

    priority = 0.6
    changefreq = "weekly"

    def items(self):
        return (
            NewsItem.objects.published()
            .only("pk", "slug", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.updated_at


class EventSitemap(I18nSitemap):
    """Published events, upcoming and past."""

    priority = 0.5
    changefreq = "weekly"

    def items(self):
        return Event.objects.published().only("pk", "slug", "updated_at").order_by("start", "pk")

    def lastmod(self, item):
        return item.updated_at
