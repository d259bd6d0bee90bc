"""Reads of the forum's busiest pages, written to stay fast with hundreds of thousands of posts.

Each one reads through the permission rule (``readable_by``) and runs a fixed number of
queries, each served by an index declared on the models:

- the forum index sums the topics' stored counters per category in one grouped scan of a
  covering index, instead of counting posts;
- a category's topic list finds the page's topic ids in the list index first (an index-only
  scan, so a deep page costs little more than the first) and loads only those rows; the
  languages present come from a skip scan of the (category, language) index;
- a topic page is read by post number (see ``views.NumberedPage``), never with OFFSET;
- forum search takes the most recent matching posts (at most ``SEARCH_CANDIDATES``) from the
  partial full-text or date index of visible posts, ranks only those, and computes snippets
  only for the page shown.
"""

import datetime
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchHeadline, SearchRank
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, Count, F, Max, Sum, Value, When
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from collective_brain.search import SEARCH_CONFIGS, SIMPLE_CONFIG, multilingual_query
from forum import cache as forum_cache
from forum import permissions
from forum.models import (
    Approval,
    Bookmark,
    CategoryWatch,
    Post,
    Reaction,
    Topic,
    TopicReadState,
    TopicWatch,
)

# Search ranks the most recent matches only: enough for 25 pages of 20 results.
SEARCH_CANDIDATES = 500


# Forum index


def category_stats(categories) -> None:
    """Set topic_total, post_total and last_activity on each category.

    The totals are the same for every reader of a category, so they are kept in the cache
    under the category's version (``forum.cache``), which every write to its topics moves
    on; only the categories missing there are summed, in one grouped query.
    """
    stats = forum_cache.category_stats([category.pk for category in categories], _sum_stats)
    for category in categories:
        row = stats.get(category.pk, {})
        category.topic_total = row.get("topic_total", 0)
        category.post_total = row.get("post_total") or 0
        category.last_activity = row.get("last_activity")


def _sum_stats(ids) -> dict:
    rows = (
        Topic.objects.filter(category_id__in=ids, is_pending=False)
        .order_by()
        .values("category_id")
        .annotate(
            topic_total=Count("pk"),
            post_total=Sum("post_count"),
            last_activity=Max("last_post_at"),
        )
    )
    found = {row.pop("category_id"): row for row in rows}
    return {pk: found.get(pk, {}) for pk in ids}


# A category's topic list


class _IdsPaginator(Paginator):
    """Pages of a queryset's ids, read from the list index alone (an index-only scan)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(
            self.object_list.prefetch_related(None)
            .select_related(None)
            .values_list("pk", flat=True)[bottom : bottom + self.per_page]
        )
        return self._get_page(ids, number, self)


def topic_ids_page(topics, page_number, per_page):
    """A page of an ordered topic list, as topic ids; junk or out-of-range page numbers give
    a page."""
    return _IdsPaginator(topics, per_page).get_page(page_number)


def topic_rows(topics, ids) -> list:
    """The rows of ``topics`` with these ids, in their order."""
    rows = {row.pk: row for row in topics.filter(pk__in=ids)} if ids else {}
    return [rows[pk] for pk in ids if pk in rows]


def category_languages(category) -> list[str]:
    """The languages of a category's listed topics, in a skip scan of its language index."""
    table = Topic._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE present(language) AS (
                (SELECT language FROM {table}
                 WHERE category_id = %(category)s AND NOT is_pending
                 ORDER BY language LIMIT 1)
                UNION ALL
                SELECT (SELECT t.language FROM {table} t
                        WHERE t.category_id = %(category)s AND NOT t.is_pending
                          AND t.language > present.language
                        ORDER BY t.language LIMIT 1)
                FROM present WHERE present.language IS NOT NULL
            )
            SELECT language FROM present WHERE language IS NOT NULL
            """,
            {"category": category.pk},
        )
        return [language for (language,) in cursor.fetchall()]


# A topic page, as a signed-in member sees it


class PageRow(NamedTuple):
    """What a member's view of a post depends on beyond the post itself."""

    pk: int
    number: int
    author_id: int
    author_active: bool
    author_visibility: str
    liked: bool
    bookmarked: bool


def member_page_rows(topic, number: int, per_page: int, user) -> list[PageRow]:
    """The posts of page ``number`` with this member's likes and bookmarks: one query on the
    (topic, number) index, the same rows ``views._page_posts`` reads, without their text."""
    post, reaction, bookmark = (
        Post._meta.db_table,
        Reaction._meta.db_table,
        Bookmark._meta.db_table,
    )
    user_table = get_user_model()._meta.db_table
    start = (number - 1) * per_page
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT p.id, p.number, p.author_id, u.is_active, u.directory_visibility,
                   EXISTS (SELECT 1 FROM {reaction} r
                           WHERE r.post_id = p.id AND r.user_id = %(user)s),
                   EXISTS (SELECT 1 FROM {bookmark} b
                           WHERE b.post_id = p.id AND b.user_id = %(user)s)
            FROM {post} p JOIN {user_table} u ON u.id = p.author_id
            WHERE p.topic_id = %(topic)s AND p.number > %(start)s AND p.number <= %(end)s
            ORDER BY p.number
            LIMIT %(limit)s
            """,
            {
                "user": user.pk,
                "topic": topic.pk,
                "start": start,
                "end": start + per_page,
                "limit": per_page,
            },
        )
        return [PageRow(*row) for row in cursor.fetchall()]


def member_category_state(category, user) -> tuple[bool, bool]:
    """Whether the member watches the category, and whether they have topics in it waiting
    for approval (theirs to see listed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT
              EXISTS (SELECT 1 FROM {CategoryWatch._meta.db_table}
                      WHERE category_id = %(category)s AND user_id = %(user)s),
              EXISTS (SELECT 1 FROM {Topic._meta.db_table}
                      WHERE category_id = %(category)s AND author_id = %(user)s AND is_pending)
            """,
            {"category": category.pk, "user": user.pk},
        )
        return cursor.fetchone()


def member_topic_state(topic, user, *, moderator: bool) -> tuple[bool, bool, int | None]:
    """Whether the member watches the topic; whether it holds waiting (or rejected) posts
    they should see listed (their own, or as a moderator any waiting one); and the last post
    number they read in it (None: never opened)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT
              EXISTS (SELECT 1 FROM {TopicWatch._meta.db_table}
                      WHERE topic_id = %(topic)s AND user_id = %(user)s),
              EXISTS (SELECT 1 FROM {Post._meta.db_table}
                      WHERE topic_id = %(topic)s AND number IS NULL AND NOT is_deleted
                        AND (author_id = %(user)s OR (%(moderator)s AND approval = %(pending)s))),
              (SELECT last_read_number FROM {TopicReadState._meta.db_table}
               WHERE topic_id = %(topic)s AND user_id = %(user)s)
            """,
            {
                "topic": topic.pk,
                "user": user.pk,
                "moderator": moderator,
                "pending": Approval.PENDING,
            },
        )
        return cursor.fetchone()


# Search


def _language_config():
    return Case(
        *[When(language=code, then=Value(config)) for code, config in SEARCH_CONFIGS.items()],
        default=Value(SIMPLE_CONFIG),
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _searchable_posts(user, readable=None):
    """The visible posts of Post.objects.readable_by, in the terms of the partial indexes
    (``readable``: the ids of the categories the user may read, when known already)."""
    # The readable categories as a list of ids: a literal list lets the planner estimate the
    # share of posts it keeps (through a subquery it guesses one category and starts there).
    if readable is None:
        readable = [category.pk for category in permissions.readable_categories(user)]
    return Post.objects.filter(
        topic__category_id__in=readable,
        is_deleted=False,
        is_hidden=False,
        approval=Approval.APPROVED,
    )


def search_topics(*, user, text: str, limit: int) -> tuple[list, int, bool]:
    """For the site-wide search: up to ``limit`` topics the user may read with posts
    matching ``text``, latest match first; how many topics the matches fall in; and whether
    that count stopped at the ``SEARCH_CANDIDATES`` most recent matching posts (two queries,
    served by the same indexes as ``search_posts``)."""
    matches = list(
        _searchable_posts(user)
        .filter(search_vector=multilingual_query(text))
        .order_by("-created_at", "-pk")
        .values_list("topic_id", flat=True)[:SEARCH_CANDIDATES]
    )
    topic_ids = list(dict.fromkeys(matches))  # each topic once, by its latest match
    shown = topic_ids[:limit]
    rows = Topic.objects.filter(pk__in=shown, is_pending=False).select_related("category")
    by_pk = {topic.pk: topic for topic in rows}
    topics = [by_pk[pk] for pk in shown if pk in by_pk]
    return topics, len(topic_ids), len(matches) >= SEARCH_CANDIDATES


class SearchResults:
    """A page of search results and what the template says about them."""

    def __init__(self, page, capped: bool):
        self.page = page
        self.capped = capped
        self.results = list(page.object_list)


def search_posts(
    *,
    user,
    text: str,
    page_number=None,
    category=None,
    language: str = "",
    author: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    per_page: int = 20,
    readable=None,
) -> SearchResults:
    """Posts the user may read matching ``text`` (each indexed in its own language), best
    ranked first among the ``SEARCH_CANDIDATES`` most recent matches; at most four queries.
    """
    query = multilingual_query(text)
    posts = _searchable_posts(user, readable)
    if category is not None:
        posts = posts.filter(topic__category=category)
    if language:
        posts = posts.filter(language=language)
    if author:
        author_id = (
            get_user_model()
            .objects.filter(username__iexact=author)
            .values_list("pk", flat=True)
            .first()
        )
        posts = posts.filter(author_id=author_id) if author_id else posts.none()
    if since:
        posts = posts.filter(created_at__gte=_day_start(since))
    if until:
        posts = posts.filter(created_at__lt=_day_start(until + datetime.timedelta(days=1)))
    # The most recent matches (the planner takes the date index for a common word, the
    # full-text one for a rare word), then ranked among themselves.
    candidates = (
        posts.filter(search_vector=query)
        .order_by("-created_at", "-pk")
        .values("pk")[:SEARCH_CANDIDATES]
    )
    ranked = list(
        Post.objects.filter(pk__in=candidates)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-created_at", "-pk")
        .values_list("pk", flat=True)
    )
    page = Paginator(ranked, per_page).get_page(page_number)
    ids = list(page.object_list)
    rows = {
        post.pk: post
        for post in Post.objects.filter(pk__in=ids)
        .select_related("topic", "topic__category", "author")
        .defer("search_vector", "body_html", "body")
        .annotate(
            headline=SearchHeadline(
                "body",
                query,
                config=_language_config(),
                start_sel="\x02",
                stop_sel="\x03",
                max_words=40,
                min_words=15,
            )
        )
    }
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    for post in page.object_list:
        snippet = escape(post.headline or "")
        post.snippet = mark_safe(snippet.replace("\x02", "<mark>").replace("\x03", "</mark>"))  # noqa: S308
    return SearchResults(page, capped=len(ranked) >= SEARCH_CANDIDATES)
