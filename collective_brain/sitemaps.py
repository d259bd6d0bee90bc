"""/sitemap.xml: every public page in every language, with its hreflang alternates.

Each section uses Django's i18n sitemaps (``i18n``, ``alternates``, ``x_default``): one
``<url>`` per page and language of settings.LANGUAGES, each listing all language
versions as ``<xhtml:link rel="alternate" hreflang>``. Only public content is listed:
published About pages and publications, Academy editions (all public) and the public
section indexes; nothing that needs an account.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from academies.models import Edition
from news.sitemaps import EventSitemap, NewsSitemap
from pages.models import Page
from publications.models import Publication


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def get_urls(self, page=1, site=None, protocol=None):
        """Point x-default at the default language's URL, as the pages' own <link>s do.

        Django's x-default drops the language prefix; here that unprefixed URL only
        redirects, so the sitemap would contradict the hreflang links in each page.
        """
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            by_language = {alt["lang_code"]: alt for alt in url["alternates"]}
            if "x-default" in by_language and settings.LANGUAGE_CODE in by_language:
                by_language["x-default"]["location"] = by_language[settings.LANGUAGE_CODE][
                    "location"
                ]
        return urls


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
}
