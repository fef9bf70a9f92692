"""View decorators: a page needs a logged-in user acting in a committee, and a permission there."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render


def requires(perm: str):
    """Log-in, a current committee, and `perm` in it; otherwise 403 with a clear page."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.committee is None:
                return render(request, "core/no_committee.html", status=403)
            if not request.user.has_perm(perm, request.committee):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
