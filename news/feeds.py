"""RSS and Atom feeds of the newest published news, in the language of the URL prefix.

``/<lang>/news/feed/`` (RSS 2.0) and ``/<lang>/news/feed/atom/`` (Atom 1.0) take an optional
``tag`` (a tag's slug: unknown ones answer 404). Drafts and items scheduled for later never
appear; a feed is built in a constant number of queries.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from news.filters import NewsFilter
from news.views import news_list_queryset

FEED_SIZE = 30
FEED_MAX_AGE = 15 * 60  # seconds a client or a shared cache may keep a feed


@method_decorator(cache_control(max_age=FEED_MAX_AGE, public=True), name="__call__")
class NewsRssFeed(Feed):
    """RSS 2.0 feed of the newest published news items."""

    def get_object(self, request, *args, **kwargs):
        filterset = NewsFilter(request.GET, queryset=news_list_queryset())
        if not filterset.is_valid():
            raise Http404("No such tag.")
        return {
            "path": request.get_full_path(),
            "tag": filterset.form.cleaned_data.get("tag"),
            "items": filterset.qs,
        }

    def title(self, obj):
        if obj["tag"]:
            return _("Collective Brain news: %(tag)s") % {"tag": obj["tag"].name}
        return _("Collective Brain news")

    def description(self, obj):
        return _("News of the Social and Solidarity Economy Academy network.")

    subtitle = description  # Atom's <subtitle>; RSS uses <description>.

    def link(self, obj):
        url = reverse("news:index")
        return f"{url}?tag={obj['tag'].slug}" if obj["tag"] else url

    def feed_url(self, obj):
        return obj["path"]

    def author_name(self, obj):
        return _("Collective Brain")

    def items(self, obj):
        return list(obj["items"][:FEED_SIZE])

    # Each item (from the prefetched rows: no query per item)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return linebreaks(item.summary, autoescape=True) if item.summary else item.body_html

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.get_display_name() if item.author else None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class NewsAtomFeed(NewsRssFeed):
    """The same feed in Atom 1.0."""

    feed_type = Atom1Feed
