"""Short-lived caching of library searches, invalidated whenever the library changes.

Search results and facet counts are public (published items only), so one cached copy
serves every reader. Any write to the catalogue bumps the library version, which is part
of every key; the timeout bounds how late a scheduled publication can appear.
"""

from django.core.cache import cache

VERSION_KEY = "library-version"
SEARCH_CACHE_SECONDS = 120


def library_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def library_changed() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates old keys
        cache.set(VERSION_KEY, 2, timeout=None)


_MISSING = object()


def cached(key: str, compute):
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, SEARCH_CACHE_SECONDS)
    return value
