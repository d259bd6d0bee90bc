"""/sitemap.xml: every public page in every language, with its hreflang alternates.

Each section uses Django's i18n sitemaps (``i18n``, ``alternates``, ``x_default``): one
``<url>`` per page and language of settings.LANGUAGES, each listing all language
versions as ``<xhtml:link rel="alternate" hreflang>``. Only public content is listed:
published About pages and publications, Academy editions (all public) and the public
section indexes; nothing that needs an account.
"""

from django.urls import reverse

from academies.models import Edition
from collective_brain.sitemap_base import I18nSitemap
from forum.sitemaps import ForumCategorySitemap, ForumTopicSitemap
from news.sitemaps import EventSitemap, NewsSitemap
from pages.models import Page
from publications.models import Publication


class StaticViewSitemap(I18nSitemap):
    """The home page and the index of each section."""

    priority = 0.8
    changefreq = "daily"
    url_names = [
        "home",
        "pages:list",
        "academies:list",
        "publications:index",
        "forum:index",
        "news:index",
    ]

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)


class PageSitemap(I18nSitemap):
    """Published About pages."""

    priority = 0.6
    changefreq = "monthly"

    def items(self):
        return Page.objects.published().only("pk", "slug", "updated_at").order_by("order", "pk")

    def lastmod(self, item):
        return item.updated_at


class EditionSitemap(I18nSitemap):
    """Every Academy edition: editions are public whatever their dates."""

    priority = 0.6
    changefreq = "monthly"

    def items(self):
        return Edition.objects.only("pk", "slug").order_by("number")


class PublicationSitemap(I18nSitemap):
    """Published publications (drafts and scheduled ones stay out)."""

    priority = 0.5
    changefreq = "monthly"

    def items(self):
        return Publication.objects.published().only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "static": StaticViewSitemap,
    "pages": PageSitemap,
    "academy": EditionSitemap,
    "library": PublicationSitemap,
    "news": NewsSitemap,
    "events": EventSitemap,
    "forum": ForumCategorySitemap,
    "forum-topics": ForumTopicSitemap,
}
