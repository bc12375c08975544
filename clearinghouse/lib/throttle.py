"""Count failures per key in Django's cache; lock a key out after too many.

The cache never holds the keys themselves: each is replaced by an HMAC under
the site's secret key, so a cache that counts failed sign-ins does not keep
the names typed (sometimes a password typed in the wrong box). Nothing goes to
the database's own tables or to the logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.utils.crypto import salted_hmac


@dataclass(frozen=True)
class Throttle:
    """``limit`` failures within ``lockout`` of the first lock a key for ``lockout``."""

    name: str
    limit: int
    lockout: timedelta

    def is_locked(self, key: str) -> bool:
        return cache.get(self._cache_key("locked", key)) is not None

    def fail(self, key: str) -> bool:
        """Count one failure; True when it locks the key out."""
        counter = self._cache_key("failures", key)
        seconds = self.lockout.total_seconds()
        cache.add(counter, 0, timeout=seconds)
        try:
            failures = cache.incr(counter)
        except ValueError:  # expired between add and incr: this is the first
            cache.set(counter, 1, timeout=seconds)
            failures = 1
        if failures < self.limit:
            return False
        cache.set(self._cache_key("locked", key), True, timeout=seconds)
        cache.delete(counter)
        return True

    def reset(self, key: str) -> None:
        cache.delete_many(
            [self._cache_key("failures", key), self._cache_key("locked", key)]
        )

    def _cache_key(self, kind: str, key: str) -> str:
        digest = salted_hmac(f"clearinghouse.throttle.{self.name}", key).hexdigest()
        return f"throttle:{self.name}:{kind}:{digest}"
