"""Django's in-process (locmem) cache without the pickling, for read-only values of the hottest paths.

`LocMemCache` pickles every value on `set` and unpickles it on every `get`, so that a caller that changes
what it got cannot change the cache. For the door's path that copy was the largest cost of a check-in:
the year's rules (about fifty model instances) and the meeting were unpickled on every scan, a quarter of
its CPU time (bench/checkin.py). This backend keeps the object itself: LRU culling, expiry and the lock
are Django's. Only values that no reader changes belong here (caching.objects()); a user, whose
request-level attributes (an OTP device, a backend) are set on the object, stays in the pickling cache.
"""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache


class ObjectCache(LocMemCache):
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._set(key, value, timeout)
                return True
            return False

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            value = self._cache[key]
            self._cache.move_to_end(key, last=False)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._set(key, value, timeout)

    def incr(self, key, delta=1, version=None):  # pragma: no cover - no caller counts in this cache
        raise NotImplementedError("the object cache holds read-only values, not counters")
