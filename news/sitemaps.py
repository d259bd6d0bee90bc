"""Sitemap sections for news items and events: only published ones, in every language.

Wired into /sitemap.xml by collective_brain/sitemaps.py. The base class is kept here (not
imported from there) so that module can import this one without an import cycle.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from news.models import Event, NewsItem


class _I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def get_urls(self, page=1, site=None, protocol=None):
        """Point x-default at the default language's URL, as the pages' own <link>s do."""
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            by_language = {alt["lang_code"]: alt for alt in url["alternates"]}
            if "x-default" in by_language and settings.LANGUAGE_CODE in by_language:
                by_language["x-default"]["location"] = by_language[settings.LANGUAGE_CODE][
                    "location"
                ]
        return urls


class NewsSitemap(_I18nSitemap):
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


class EventSitemap(_I18nSitemap):
    """Published events, upcoming and past."""

    priority = 0.5
    changefreq = "weekly"

    def items(self):
        return Event.objects.published().only("pk", "slug", "updated_at").order_by("start", "pk")

    def lastmod(self, item):
        return item.updated_at
