"""Atom feeds of public categories (newest topics) and public topics (newest posts).

Only public categories have feeds: a cohort or staff-only one answers 404 to everybody, so
nothing private ever reaches a feed reader.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from forum.models import Access, Category, Post, Topic

FEED_SIZE = 30
FEED_MAX_AGE = 15 * 60


@method_decorator(cache_control(max_age=FEED_MAX_AGE, public=True), name="__call__")
class CategoryFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(
            Category.objects.readable_by(AnonymousUser()), slug=slug, access=Access.PUBLIC
        )

    def title(self, obj):
        return _("Collective Brain forum: %(category)s") % {"category": obj.name}

    def subtitle(self, obj):
        return obj.description

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return list(
            Topic.objects.filter(category=obj, is_pending=False)
            .select_related("author")
            .order_by("-created_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        first = item.posts.filter(
            number=1, is_deleted=False, is_hidden=False, approval="approved"
        ).first()
        return first.body_html if first else ""

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.last_post_at

    def item_author_name(self, item):
        return item.author.get_display_name()


@method_decorator(cache_control(max_age=FEED_MAX_AGE, public=True), name="__call__")
class TopicFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, pk):
        topic = get_object_or_404(
            Topic.objects.readable_by(AnonymousUser()).select_related("category"), pk=pk
        )
        if topic.category.access != Access.PUBLIC:
            raise Http404
        return topic

    def title(self, obj):
        return obj.title

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return list(
            Post.objects.readable_by(AnonymousUser())
            .filter(topic=obj)
            .select_related("author", "topic")
            .order_by("-number")[:FEED_SIZE]
        )

    def item_title(self, item):
        return _("%(author)s in “%(topic)s”") % {
            "author": item.author.get_display_name(),
            "topic": item.topic.title,
        }

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.edited_at or item.created_at

    def item_author_name(self, item):
        return item.author.get_display_name()
