from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .context_processors import LARGE_TYPE_COOKIE
from .decorators import requires
from .middleware import SESSION_KEY, resolve_committee
from .models import Notification
from .roles import STAFF_ROLES, Role


def _back(request: HttpRequest, default: str = "/") -> str:
    nxt = request.POST.get("next") or request.META.get("HTTP_REFERER") or default
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return default
    return nxt


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """首页: staff land on their desk, handling-unit staff on their unit page, members on the phone home."""
    if request.committee is None:
        return render(request, "core/no_committee.html", status=403)
    roles = request.roles
    if roles & STAFF_ROLES and not roles & {Role.MEMBER, Role.STANDING}:
        return redirect("org:dashboard")
    return render(request, "core/home.html", {"unread": _unread(request).count()})


def _unread(request):
    return Notification.objects.for_committee(request.committee).filter(user=request.user, read_at__isnull=True)


@require_POST
@login_required
def switch_committee(request: HttpRequest) -> HttpResponse:
    committee = resolve_committee(request.user, request.POST.get("committee"))
    if committee is not None and str(committee.pk) == request.POST.get("committee"):
        request.session[SESSION_KEY] = committee.pk
    return redirect("core:home")


@require_POST
def large_type(request: HttpRequest) -> HttpResponse:
    response = redirect(_back(request))
    on = request.POST.get("on") == "1"
    response.set_cookie(LARGE_TYPE_COOKIE, "1" if on else "0", max_age=365 * 24 * 3600, samesite="Lax")
    return response


@requires("core.use")
def inbox(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.for_committee(request.committee).filter(user=request.user)[:100]
    return render(request, "core/inbox.html", {"items": items})


@require_POST
@requires("core.use")
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    _unread(request).update(read_at=timezone.now())
    return redirect("core:inbox")


TABS = {"proposals": "提案", "meetings": "会议", "duties": "履职"}


@requires("core.use")
def tab(request: HttpRequest, name: str) -> HttpResponse:
    """A bottom-bar tab whose capability has not landed yet says so plainly."""
    from django.http import Http404
    from django.utils.translation import gettext as _

    if name not in TABS:
        raise Http404
    return render(request, "core/tab.html", {"tab": name, "heading": _(TABS[name])})
