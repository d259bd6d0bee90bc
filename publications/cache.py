"""Caching of library searches and pages, invalidated whenever the library changes.

Search results and facet counts are public (published items only), so one cached copy
serves every reader. Any write to the catalogue bumps the library version, which is part
of every key: entries never go stale, so they live long (the timeout only frees memory).
A publication scheduled for later bumps the version when its time comes.

A missing entry is computed by one process at a time: the others wait for its result
instead of computing the same search at once (a stampede on a popular search after every
change, all of them slower for sharing the CPU).
"""

import time

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

VERSION_KEY = "library-version"
NEXT_CHANGE_KEY = "library-next-change"  # when a scheduled publication becomes visible
SEARCH_CACHE_SECONDS = 24 * 60 * 60
LOCK_SECONDS = 30  # the longest a computation may hold its lock
NO_SCHEDULE = float("inf")


def library_version() -> int:
    values = cache.get_many([VERSION_KEY, NEXT_CHANGE_KEY])
    version = values.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    next_change = values.get(NEXT_CHANGE_KEY)
    # A scheduled publication is public now: one process moves the version on.
    if (
        next_change is not None
        and next_change <= time.time()
        and cache.add(f"{NEXT_CHANGE_KEY}:{next_change}", 1, timeout=LOCK_SECONDS)
    ):
        _bump()
        version = cache.get(VERSION_KEY, version)
    return version


def _next_scheduled_change() -> float:
    from publications.models import SearchDocument  # noqa: PLC0415 - models import this module

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT min(visible_at) FROM {SearchDocument._meta.db_table} WHERE visible_at > %s",
            [timezone.now()],
        )
        (moment,) = cursor.fetchone()
    return moment.timestamp() if moment else NO_SCHEDULE


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates old keys
        cache.set(VERSION_KEY, int(time.time()), timeout=None)
    cache.set(NEXT_CHANGE_KEY, _next_scheduled_change(), timeout=None)


def library_changed() -> None:
    """Invalidate every cached search and page now, and again once the change commits
    (a search computed meanwhile still saw the library as it was)."""
    _bump()
    if connection.in_atomic_block:
        transaction.on_commit(_bump)


_MISSING = object()


def cached(key: str, compute, timeout: int = SEARCH_CACHE_SECONDS):
    value = cache.get(key, _MISSING)
    if value is not _MISSING:
        return value
    lock = f"{key}:computing"
    deadline = time.monotonic() + LOCK_SECONDS
    delay = 0.01
    while not cache.add(lock, 1, timeout=LOCK_SECONDS):
        # Another process computes this entry: wait for it rather than compete with it.
        time.sleep(delay)
        delay = min(delay * 2, 0.2)
        value = cache.get(key, _MISSING)
        if value is not _MISSING:
            return value
        if time.monotonic() > deadline:
            return compute()
    try:
        value = compute()
        cache.set(key, value, timeout)
    finally:
        cache.delete(lock)
    return value
