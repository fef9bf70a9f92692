"""Read caches of the hottest paths: what every logged-in request needs (the session, the user and the
roles they hold in each committee) and pages every member of a committee reads alike (the member
directory). Reading those from the database cost three of every four milliseconds of a directory
request (bench/members.py).

Two caches (settings.CACHES):

- "default", shared by every process (Redis in production): sessions and *tokens*;
- "local", this process's memory: values stored under keys that name the tokens they were read under
  (a user with their roles, a rendered page). Such a value never goes stale: a change of the data
  replaces the token, and the next reader looks under a new key;
- "objects", this process's memory without the pickled copy, for read-only values under such keys (the
  door's meeting, the year's rules): no unpickling on each read.

Tokens:

- a token is a random value under a key (`token(key)`), created when missing;
- a change replaces it (`bump(key)`), at once and again when the transaction commits, so that no value
  read before the change is used again, even one stored by a reader that raced with the writer (it
  recorded the old token). Nothing is deleted; a lost token (the cache was flushed) only means a miss.
  Receivers of model signals bump: `lvzhi.core.signals_cache` (users, roles, committees, API tokens)
  and each capability's own (the roster of a committee: `lvzhi.org.caching`).

One round trip a request: `CacheRoundTripMiddleware` reads the session, the user's tokens and the tokens
of the user's committees (kinds registered with `register_committee_token`) in ONE `get_many`, using
what this process learnt on the user's previous request; the values are kept for the request
(`prefetched`) and the readers below take them from there. A wrong or missing hint only costs the round
trips it would have saved: every value is still checked as without it.
"""

import secrets
from contextvars import ContextVar

from django.core.cache import caches
from django.db import transaction

# How long a cached value lives at most, whatever happens to its tokens (a bound, not the mechanism).
TTL = 600

PRINCIPAL_GEN = "lvzhi:tok:principals"  # replaced when any committee changes (every user's roles name it)

_COMMITTEE_TOKEN_KINDS: list[str] = []
_memo: ContextVar[dict | None] = ContextVar("lvzhi_cache_memo", default=None)
MISSING = object()


def shared():
    """The cache every process shares (Redis in production): tokens and sessions live here."""
    return caches["default"]


def local():
    """This process's own memory, for values whose keys name their tokens (see above)."""
    return caches["local"]


def objects():
    """This process's own memory without a copy: the reader gets the stored object itself, so only values
    no reader changes belong here (model instances read for their fields: a meeting, the year's rules).
    Keys name their tokens, as in `local()`."""
    return caches["objects"]


# --------------------------------------------------------------------------- the request's values


def begin_request(**kwargs) -> None:
    _memo.set({})


def end_request(**kwargs) -> None:
    _memo.set(None)


def prefetch(keys: list[str]) -> None:
    """Read `keys` from the shared cache in one round trip and keep what was found for this request."""
    memo = _memo.get()
    if memo is None:
        return
    memo.update(shared().get_many(keys))


def prefetched(key: str):
    """A value read by `prefetch` in this request, or MISSING."""
    memo = _memo.get()
    return MISSING if memo is None else memo.get(key, MISSING)


# --------------------------------------------------------------------------- tokens


def _new() -> str:
    return secrets.token_hex(6)


def token(key: str) -> str:
    """The current token under `key`, created when there is none."""
    return tokens([key])[0]


def tokens(keys: list[str], *, also: list[str] = ()) -> list[str]:
    """The current tokens under `keys`: those read earlier in the request, the others in one round trip;
    missing ones are created. `also`: keys read in the same round trip for later in the request (kept
    when found, never created)."""
    cache = shared()
    memo = _memo.get()
    known = {k: memo[k] for k in keys if memo.get(k) is not None} if memo is not None else {}
    wanted = [k for k in keys if k not in known]
    if wanted and memo is not None:
        wanted += [k for k in also if k not in memo]
    found = cache.get_many(wanted) if wanted else {}
    values = []
    for key in keys:
        value = known.get(key) or found.get(key)
        if value is None:
            cache.add(key, _new(), None)
            value = cache.get(key) or _new()  # a cache that stores nothing (dummy): never a hit
        values.append(value)
    if memo is not None:
        memo.update(found)
        memo.update(zip(keys, values, strict=True))
    return values


def bump(key: str) -> None:
    """Replace the token under `key` now and after the current transaction commits."""
    cache = shared()

    def replace():
        value = _new()
        cache.set(key, value, None)
        memo = _memo.get()
        if memo is not None:
            memo[key] = value

    replace()
    transaction.on_commit(replace)


def register_committee_token(kind: str) -> None:
    """Declare a token kept per committee (`committee_token_key(kind, id)`): it is read with the user's
    own tokens, in the same round trip, for every committee the user holds a role in."""
    if kind not in _COMMITTEE_TOKEN_KINDS:
        _COMMITTEE_TOKEN_KINDS.append(kind)


def committee_token_key(kind: str, committee_id) -> str:
    return f"lvzhi:tok:{kind}:{committee_id}"


# --------------------------------------------------------------------------- the principal: user and roles


def _user_token_key(user_id) -> str:
    return f"lvzhi:tok:user:{user_id}"


def _committees_hint_key(user_id) -> str:
    return f"lvzhi:hint:committees:{user_id}"


def principal_keys(user_id) -> list[str]:
    """The shared keys a request of this user reads: the user's tokens, then the tokens of the
    committees this process saw the user in."""
    keys = [PRINCIPAL_GEN, _user_token_key(user_id)]
    for committee_id in local().get(_committees_hint_key(user_id)) or ():
        keys += [committee_token_key(kind, committee_id) for kind in _COMMITTEE_TOKEN_KINDS]
    return keys


def principal_tag(user_id) -> tuple[str, ...]:
    """The tokens under which the user `user_id` and their roles are cached: one round trip (none when
    prefetched), which also reads the tokens of the user's committees. Taken BEFORE the database is
    read on a miss, so that a change meanwhile voids what is stored."""
    keys = principal_keys(user_id)
    return tuple(tokens(keys[:2], also=keys[2:]))


def _principal_key(user_id, tag) -> str:
    return f"lvzhi:principal:{user_id}:{':'.join(tag)}"


def cached_user(user_id, tag):
    """The user `user_id` as read with their roles (permissions.held_roles) under `tag`, or None."""
    return local().get(_principal_key(user_id, tag))


def remember_user(user, tag) -> None:
    from .permissions import held_roles

    local().set(_principal_key(user.pk, tag), user, TTL)
    local().set(_committees_hint_key(user.pk), sorted(c.pk for c in held_roles(user)), TTL)


def forget_user(user_id) -> None:
    bump(_user_token_key(user_id))


def forget_all_users() -> None:
    bump(PRINCIPAL_GEN)


# --------------------------------------------------------------------------- sessions


def _session_hint_key(session_key: str) -> str:
    return f"lvzhi:hint:session:{session_key}"


def prefetch_for_session(session_key: str) -> None:
    """At the start of a request with a session cookie: the session and, when this process has seen the
    session before, its user's tokens and committees' tokens, in one round trip."""
    from django.contrib.sessions.backends.cached_db import SessionStore

    keys = [SessionStore.cache_key_prefix + session_key]
    user_id = local().get(_session_hint_key(session_key))
    if user_id is not None:
        keys += principal_keys(user_id)
    prefetch(keys)


def learn_session(session_key: str, user_id) -> None:
    """Remember which user a session belongs to, for the next request's prefetch."""
    hint = _session_hint_key(session_key)
    if local().get(hint) != user_id:
        local().set(hint, user_id, TTL)


# --------------------------------------------------------------------------- API tokens


def _api_token_key(digest: str) -> str:
    return f"lvzhi:apitoken:{digest}"


def cached_api_token(digest: str):
    """(user id, expiry, the user's tokens when read) of the API token with this digest, or None. The
    caller checks the user's tokens: deleting a token replaces them (signals_cache)."""
    return local().get(_api_token_key(digest))


def remember_api_token(digest: str, user_id, expires_at, tag) -> None:
    local().set(_api_token_key(digest), (user_id, expires_at, tag), TTL)


# --------------------------------------------------------------------------- pages shared by a committee


def _csrf_placeholder() -> str:
    """Stands for the CSRF token in a cached page: the same in every process (derived from SECRET_KEY)
    and unguessable, so no text a user typed can contain it."""
    from django.utils.crypto import salted_hmac

    return "csrf-" + salted_hmac("lvzhi.core.caching.page", "csrf").hexdigest()[:32]


CSRF_PLACEHOLDER = None  # set on first use (settings are read then)


def render_shared(request, template_name: str, context, *, scope: tuple, status: int = 200):
    """A page that every user of the committee sees alike (the member directory), rendered once and then
    read from the cache for everyone.

    `context` is a callable, called only on a miss. `scope` names what the page's content depends on
    (tokens of its data, the query); the key adds what the page's frame depends on: the committee, the
    language, large type, the roles (the tab bar) and the path with its query. The CSRF token of the
    user's own browser is put in on each request, and a page with messages for the user (a flash after
    a form) is rendered for the user alone. Only for templates that show nothing else of the user."""
    import hashlib

    from django.contrib.messages import get_messages
    from django.http import HttpResponse
    from django.middleware.csrf import get_token
    from django.shortcuts import render
    from django.utils.translation import get_language

    from .context_processors import LARGE_TYPE_COOKIE

    if len(get_messages(request)):
        return render(request, template_name, context(), status=status)
    global CSRF_PLACEHOLDER
    if CSRF_PLACEHOLDER is None:
        CSRF_PLACEHOLDER = _csrf_placeholder()
    committee = request.committee
    frame = (
        template_name,
        scope,
        committee.pk,
        token(PRINCIPAL_GEN),  # replaced when any committee changes (its name is in the title); prefetched
        committee.name,
        get_language(),
        request.COOKIES.get(LARGE_TYPE_COOKIE) == "1",
        sorted(request.roles),
        request.get_full_path(),
    )
    key = "lvzhi:page:" + hashlib.sha256(repr(frame).encode()).hexdigest()
    html = local().get(key)
    if html is None:
        from django.template.loader import render_to_string

        html = render_to_string(template_name, {**context(), "csrf_token": CSRF_PLACEHOLDER}, request=request)
        local().set(key, html, TTL)
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)), status=status)


def shared_answer(scope: tuple, build):
    """An API answer every caller with the same `scope` gets alike (the members list for members): built
    by `build()` once, then read from this process's memory. `scope` must name the committee, the tokens
    of the data and every input of the answer, including what the caller's role lets them see."""
    import hashlib

    from django.http import HttpResponse

    key = "lvzhi:answer:" + hashlib.sha256(repr(scope).encode()).hexdigest()
    hit = local().get(key)
    if hit is None:
        response = build()
        if response.status_code != 200:
            return response
        hit = (response.content, response["Content-Type"])
        local().set(key, hit, TTL)
    return HttpResponse(hit[0], content_type=hit[1])
