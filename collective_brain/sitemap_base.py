"""The base of every sitemap section: each URL in every language, with hreflang alternates."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap


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
