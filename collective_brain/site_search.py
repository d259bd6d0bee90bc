"""One search across the platform: each section answers with its own ranked results."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from academies.models import Edition
from forum.selectors import search_topics
from news.search import search_events, search_news
from pages.models import Page
from publications.selectors import site_search_publications


def _group(title, results, total: int, url, *, at_least: bool = False) -> dict:
    """One section of results: those shown, how many there are (``at_least``: at least that
    many), and the link to the section's own search."""
    return {
        "title": title,
        "results": results,
        "has_more": total > len(results),
        "count": total,
        "at_least": at_least,
        "url": url,
    }


def _publications(title, text: str, full_search_url, per_group):
    """The library's own search (its narrow search documents), its best matches shown."""
    total, results = site_search_publications(text, per_group)
    return _group(title, results, total, full_search_url)


def _section(title, queryset, full_search_url, per_group):
    results = list(queryset[: per_group + 1])
    total = queryset.count() if len(results) > per_group else len(results)
    return _group(title, results[:per_group], total, full_search_url)


def _forum_topics(title, text: str, user, full_search_url, per_group):
    """Topics with posts matching the query among those the reader may see, from the
    forum's own search (its most recent matches: a common word is counted among those)."""
    topics, total, capped = search_topics(user=user, text=text, limit=per_group)
    return _group(title, topics, total, full_search_url, at_least=capped)


def site_search(text: str, *, user, per_group: int = 5) -> list[dict]:
    """Groups of results (publications, forum, news, events, editions, About pages)."""
    library_url = f"{reverse('publications:index')}?{urlencode({'q': text})}"
    forum_url = f"{reverse('forum:search')}?{urlencode({'q': text})}"
    groups = [
        _publications(_("Publications"), text, library_url, per_group),
        _forum_topics(_("Forum topics"), text, user, forum_url, per_group),
        _section(_("News"), search_news(text), None, per_group),
        _section(_("Events"), search_events(text), None, per_group),
        _section(_("Academy editions"), Edition.objects.search(text), None, per_group),
        _section(_("About pages"), Page.objects.search(text), None, per_group),
    ]
    return groups
