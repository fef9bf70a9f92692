"""The session engine: Django's cached_db (sessions in the shared cache, written through to the
database), reading the session from what `CacheRoundTripMiddleware` prefetched for the request in the
same round trip as the user's tokens (lvzhi/core/caching.py)."""

from django.contrib.sessions.backends import cached_db

from . import caching


class SessionStore(cached_db.SessionStore):
    def load(self):
        if self.session_key is not None:
            data = caching.prefetched(self.cache_key_prefix + self.session_key)
            if data is not caching.MISSING and data is not None:
                return data
        return super().load()
