"""Rendered forum fragments, invalidated by per-topic and per-category versions.

What a visitor sees of a topic page (its posts) or of a category's topic list is the same for
every visitor, so it is rendered once and kept in the cache. Each key carries the version of
its topic or category, which every write that changes what those pages show moves on (posts
written, edited, hidden, deleted, restored, approved, moved or renumbered; translations
added, edited or hidden; likes; a topic's title, pin, lock, tags or category): earlier entries
become unreachable and expire on their own.

What members see is kept the same way, under a key that also holds everything of the reader
the fragment shows: for a topic page, their rights in the category, which of the page's posts
they like, bookmarked or wrote, and whose profiles they may open; for a topic list, how far
they read each topic of the page (digests of those ids). Two members share an entry only when
the fragment would render the same for both; the CSRF token is put in per response. The forum
index's table is kept per set of readable categories and their versions.

Entries are read and filled only after the permission rule has let the reader in (the views
call here after it), so nobody reaches a fragment of a topic they may not read.

A version is bumped at once and again when the transaction commits: a page rendered between
the two from the rows as they were is stored under the older version, never the new one.
"""

import hashlib
import time

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import get_language

# Entries never go stale (the version moves on every write); the timeout frees memory and
# bounds relative times ("5 minutes ago") in topic lists.
FRAGMENT_SECONDS = 10 * 60
LIST_SECONDS = 60


def _version_key(kind: str, pk: int) -> str:
    return f"forum:{kind}:{pk}:version"


def _bump(keys: list[str]) -> None:
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # not set yet (or evicted): a fresh, larger number
            cache.set(key, int(time.time() * 1000), timeout=None)


def _changed(keys: list[str]) -> None:
    _bump(keys)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _bump(keys))


def topic_changed(topic_id: int, category_id: int | None = None) -> None:
    """What a topic page shows has changed (and its row in the category list, if given)."""
    keys = [_version_key("topic", topic_id)]
    if category_id is not None:
        keys.append(_version_key("category", category_id))
    _changed(keys)


def category_changed(*category_ids: int) -> None:
    """What a category's topic list shows has changed."""
    _changed([_version_key("category", pk) for pk in category_ids if pk is not None])


def _version(kind: str, pk: int) -> int:
    key = _version_key(kind, pk)
    version = cache.get(key)
    if version is None:
        cache.add(key, int(time.time() * 1000), timeout=None)
        version = cache.get(key) or 0
    return version


def _key(kind: str, pk: int, *parts) -> str:
    # The language and time zone of the rendering: dates and words differ between them.
    return ":".join(
        str(part)
        for part in (
            "forum",
            f"{kind}-html",
            pk,
            _version(kind, pk),
            get_language() or "",
            timezone.get_current_timezone_name(),
            *parts,
        )
    )


def digest(*parts) -> str:
    """A short stand-in for reader-specific parts of a key (lists of ids)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def fragment(kind: str, pk: int, parts, render, *, timeout: int = FRAGMENT_SECONDS):
    """The fragment of topic or category ``pk`` (``kind``) for the readers ``parts`` describe,
    rendered by ``render()`` when missing. Callers check the reader may read it first."""
    key = _key(kind, pk, *parts)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, timeout)
    return html


def _versions(kind: str, pks) -> dict[int, int]:
    """The versions of several topics or categories, in one round trip when all are set."""
    keys = {pk: _version_key(kind, pk) for pk in pks}
    found = cache.get_many(keys.values())
    return {pk: found[key] if key in found else _version(kind, pk) for pk, key in keys.items()}


def category_stats(category_ids, compute) -> dict:
    """Each category's totals for the forum index, from the cache where its version has
    them; ``compute(ids)`` sums the others (one query) and they are kept."""
    versions = _versions("category", category_ids)
    keys = {pk: f"forum:category-stats:{pk}:{versions[pk]}" for pk in category_ids}
    found = cache.get_many(keys.values())
    stats = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in category_ids if pk not in stats]
    if missing:
        computed = compute(missing)
        cache.set_many({keys[pk]: computed[pk] for pk in missing}, FRAGMENT_SECONDS)
        stats.update(computed)
    return stats


def categories_fragment(category_ids, render, *, timeout: int = LIST_SECONDS) -> str:
    """A fragment showing these categories (the forum index's table), rendered by
    ``render()`` when missing; any change in one of them gives a new key."""
    versions = _versions("category", category_ids)
    key = ":".join(
        str(part)
        for part in (
            "forum:categories-html",
            digest(sorted(versions.items())),
            get_language() or "",
            timezone.get_current_timezone_name(),
        )
    )
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, timeout)
    return html


def blank_form(name: str, render) -> str:
    """An empty form's rendered fields, the same for everyone in a language."""
    key = f"forum:blank-form:{name}:{get_language() or ''}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_SECONDS)
    return html
