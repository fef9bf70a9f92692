from django.conf import settings

from . import caching
from .permissions import held_roles, roles_of

SESSION_KEY = "lvzhi_committee_id"


def committees_of(user) -> list:
    """The committees in which the user holds any role, the most local first (a district member who also
    sits on the city committee starts in the district; the switcher offers the rest). Read with the
    roles in one query, cached on the user object for the request (permissions.held_roles)."""
    return list(held_roles(user))


def resolve_committee(user, wanted_id=None):
    """The committee the user acts in: the wanted one if they hold a role there, else their first."""
    committees = committees_of(user)
    for c in committees:
        if wanted_id is not None and str(c.pk) == str(wanted_id):
            return c
    return committees[0] if committees else None


class CommitteeMiddleware:
    """Sets request.committee (the committee the user acts in) and request.roles (roles held there)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.committee = None
        request.roles = frozenset()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            committee = resolve_committee(user, request.session.get(SESSION_KEY))
            if committee is not None:
                if request.session.get(SESSION_KEY) != committee.pk:  # no session write on every page
                    request.session[SESSION_KEY] = committee.pk
                request.committee = committee
                request.roles = roles_of(user, committee)
        return self.get_response(request)


class CacheRoundTripMiddleware:
    """One round trip to the shared cache for what a logged-in request needs: the session, the user's
    tokens and their committees' tokens (lvzhi/core/caching.py). Right after SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if cookie and cookie.isalnum() and 8 <= len(cookie) <= 40:  # the shape of Django's session keys
            caching.prefetch_for_session(cookie)
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and session.session_key and user is not None and user.is_authenticated:
            caching.learn_session(session.session_key, user.pk)
        return response


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
