"""Cached computations invalidated by a version number that writes bump.

Every key of a ``VersionedCache`` carries its current version, so one increment (from a
signal receiver when the underlying rows change) makes all earlier entries unreachable; they
expire on their own. The timeout bounds how stale a value can get when a write bypasses the
signals (``QuerySet.update``, raw SQL).
"""

import time

from django.core.cache import cache

_MISSING = object()


def _fresh_version() -> int:
    # Milliseconds: a version lost from the cache (evicted, cache flushed) is replaced by a
    # larger number than it ever reached, so old entries never come back.
    return int(time.time() * 1000)


class VersionedCache:
    def __init__(self, name: str, *, timeout: int):
        self.name = name
        self.version_key = f"{name}:version"
        self.timeout = timeout

    def version(self) -> int:
        version = cache.get(self.version_key)
        if version is None:
            cache.add(self.version_key, _fresh_version(), timeout=None)
            version = cache.get(self.version_key) or _fresh_version()
        return version

    def bump(self) -> None:
        """Invalidate every value cached so far."""
        try:
            cache.incr(self.version_key)
        except ValueError:  # not set yet (or evicted): any new value invalidates old keys
            cache.set(self.version_key, _fresh_version(), timeout=None)

    def get_or_compute(self, key: str, compute):
        full_key = f"{self.name}:{self.version()}:{key}"
        value = cache.get(full_key, _MISSING)
        if value is _MISSING:
            value = compute()
            cache.set(full_key, value, self.timeout)
        return value
