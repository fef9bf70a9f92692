"""The account lock (django-axes), shared by every way of logging in.

Axes counts failures by user name. A person may type a user name or a mobile number, so failures are
always counted under the account's canonical user name: five wrong passwords lock the account however
it was typed. Wrong SMS and TOTP codes count as failed log-ins of the account too, so the lock bounds
guessing through every door, and a locked account cannot log in by SMS either.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.db.models import Q
from django.http import HttpRequest, HttpResponse


def canonical_username(identifier: str) -> str:
    """The user name of the account a user name or mobile number names; the input itself if none."""
    identifier = (identifier or "").strip()
    if not identifier:
        return identifier
    User = get_user_model()
    found = (
        User.objects.filter(Q(username=identifier) | Q(mobile=identifier))
        .order_by("id")
        .values_list("username", flat=True)
        .first()
    )
    return found or identifier


def _credentials(username: str) -> dict:
    return {settings.AXES_USERNAME_FORM_FIELD: username}


def is_locked(request: HttpRequest, username: str) -> bool:
    if not settings.AXES_ENABLED:
        return False
    from axes.handlers.proxy import AxesProxyHandler

    return not AxesProxyHandler.is_allowed(request, _credentials(username))


def failures(request: HttpRequest, username: str) -> int:
    if not settings.AXES_ENABLED:
        return 0
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.get_failures(request, _credentials(username))


def remaining_tries(request: HttpRequest, username: str) -> int:
    return max(0, settings.AXES_FAILURE_LIMIT - failures(request, username))


def count_failure(request: HttpRequest, username: str) -> bool:
    """Count a failed log-in of `username` (a wrong SMS or TOTP code). True when the account is now locked."""
    user_login_failed.send(sender=__name__, credentials=_credentials(username), request=request)
    return bool(getattr(request, "axes_locked_out", False)) or is_locked(request, username)


def locked_response(request: HttpRequest, username: str) -> HttpResponse:
    """The lock page (accounts/locked.html) for a locked account."""
    from axes.helpers import get_lockout_response

    return get_lockout_response(request, None, _credentials(username))
