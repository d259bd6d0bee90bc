"""Sitemap sections for the forum: public categories and the topics in them, nothing else.

Ready to be registered in collective_brain/sitemaps.py (SITEMAPS) as "forum-categories" and
"forum-topics"; the permission rule is applied by reading as a visitor (AnonymousUser).
"""

from django.contrib.auth.models import AnonymousUser

from collective_brain.sitemap_base import I18nSitemap
from forum.models import Category, Topic


class ForumCategorySitemap(I18nSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Category.objects.readable_by(AnonymousUser()).order_by("order", "pk")


class ForumTopicSitemap(I18nSitemap):
    changefreq = "weekly"
    priority = 0.4
    limit = 5000

    def items(self):
        return (
            Topic.objects.readable_by(AnonymousUser())
            .only("pk", "slug", "last_post_at")
            .order_by("-last_post_at", "-pk")
        )

    def lastmod(self, item):
        return item.last_post_at
