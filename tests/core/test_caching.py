"""The shared caches (lvzhi/core/caching.py): one round trip to the shared cache for a logged-in page,
tokens that retire cached values at once, and the Redis backend the product runs with in production."""

import os

import pytest
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.urls import reverse

from lvzhi.core import caching
from lvzhi.core.cache_redis import RedisCache

pytestmark = pytest.mark.django_db


class _Counting:
    """Counts the calls that reach the shared cache (a get_many of the in-memory cache calls get for each
    key: those are one call, as one round trip to Redis)."""

    def __init__(self, monkeypatch):
        self.calls = []
        self.depth = 0
        cache = caches["default"]
        for name in ("get", "get_many", "set", "add"):
            original = getattr(cache, name)

            def wrapper(*args, _name=name, _original=original, **kwargs):
                if not self.depth:
                    self.calls.append(_name if _name == "get_many" else (_name, args[:1]))
                self.depth += 1
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.depth -= 1

            monkeypatch.setattr(cache, name, wrapper)


def test_a_logged_in_page_makes_one_round_trip_to_the_shared_cache(member_client, monkeypatch):
    member_client.get(reverse("org:directory"))  # this process learns the session's user and committees
    counting = _Counting(monkeypatch)
    response = member_client.get(reverse("org:directory"))
    assert response.status_code == 200
    assert counting.calls == ["get_many"], counting.calls


def test_a_token_replaced_during_a_request_is_the_new_one_for_the_rest_of_it():
    request_started.send(sender=None)
    try:
        first = caching.token("lvzhi:tok:test")
        assert caching.token("lvzhi:tok:test") == first  # read once, kept for the request
        caching.bump("lvzhi:tok:test")
        assert caching.token("lvzhi:tok:test") != first
        assert caching.token("lvzhi:tok:test") == caches["default"].get("lvzhi:tok:test")
    finally:
        request_finished.send(sender=None)


def test_a_lost_token_is_created_again_and_voids_what_was_cached(member_client):
    member_client.get(reverse("org:directory"))
    caches["default"].clear()  # the shared cache was flushed (a restart of Redis): sessions go too
    response = member_client.get(reverse("org:directory"))
    assert response.status_code == 200  # the session is read again from the database


def test_a_wrong_hint_costs_round_trips_but_never_another_users_data(member_client, office_client):
    from tests.conftest import user

    member_client.get(reverse("org:directory"))
    session_key = member_client.cookies["sessionid"].value
    caching.learn_session(session_key, user("office").pk)  # a stale hint: the session is zhuzheng's
    response = member_client.get(reverse("org:me"))
    assert response.status_code == 200
    assert response.wsgi_request.user.username == "zhuzheng"


REDIS_URL = os.getenv("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def _redis_or_skip() -> RedisCache:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL} (CI starts one)")
    backend = RedisCache(REDIS_URL, {})
    backend.clear()
    return backend


def test_the_redis_backend_stores_reads_and_reuses_its_client():
    backend = _redis_or_skip()
    backend.set("k", {"a": 1})
    assert backend.get("k") == {"a": 1}
    assert backend.get_many(["k", "none"]) == {"k": {"a": 1}}
    assert backend.add("k", 2) is False
    assert backend._cache.get_client() is backend._cache.get_client()
    backend.clear()


def test_the_object_cache_hands_back_the_object_itself_and_still_expires_and_culls(monkeypatch):
    """The door's meeting and the year's rules are read without a pickled copy; the rest is locmem's."""
    from lvzhi.core.cache_objects import ObjectCache

    cache = ObjectCache("test-objects", {"OPTIONS": {"MAX_ENTRIES": 3, "CULL_FREQUENCY": 3}})
    cache.clear()
    value = {"rules": [1, 2, 3]}
    cache.set("a", value, 60)
    assert cache.get("a") is value  # no copy: no unpickling on each read
    assert cache.add("a", "other") is False and cache.get("a") is value
    assert cache.add("b", "second") is True and cache.get("b") == "second"
    assert cache.get_many(["a", "b", "missing"]) == {"a": value, "b": "second"}
    cache.set("short", "gone soon", 1)
    now = __import__("time").time()
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: now + 5)
    assert cache.get("short") is None and cache.get("a") is value
    for key in "cdefg":  # more than MAX_ENTRIES: the oldest are culled
        cache.set(key, key, 60)
    assert len(cache._cache) <= 3
    assert caching.objects() is caches["objects"] and isinstance(caches["objects"], ObjectCache)
