import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from .context_processors import LARGE_TYPE_COOKIE, TABS, tab_url
from .decorators import requires
from .middleware import SESSION_KEY, committees_of
from .models import Notification
from .roles import MEMBER_ROLES, STAFF_ROLES, Role


def _safe(request: HttpRequest, url: str | None, default: str = "/") -> str:
    if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return default
    return url


def _back(request: HttpRequest, default: str = "/") -> str:
    return _safe(request, request.POST.get("next") or request.META.get("HTTP_REFERER"), default)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def _tile(key, label, url, icon, badge=0):
    return {"key": key, "label": label, "url": url, "icon": icon, "badge": badge}


# Tiles of the later capabilities: (key, label, url name, icon, perm); a tile shows once its page exists.
_CAPABILITY_TILES = [
    ("opinions", gettext_lazy("社情民意"), "opinions:member_home", "☏", "opinions.submit"),
    ("activities", gettext_lazy("履职活动"), "activities:member_home", "⚐", "activities.join"),
    ("consultations", gettext_lazy("协商议政"), "consultations:member_home", "☰", "consultations.take_part"),
    ("reading", gettext_lazy("书香政协"), "activities:reading_home", "❏", "activities.join"),
    ("recommendations", gettext_lazy("协商成果落实"), "consultations:unit_home", "✓", "consultations.respond"),
]


@functools.lru_cache(maxsize=64)
def _reverse_or_none(view: str) -> str | None:
    try:
        return reverse(view)
    except NoReverseMatch:
        return None


def _tiles(request: HttpRequest, unread: int) -> list[dict]:
    """The big action tiles of the home page: what this user can do now in this committee."""
    user, committee, roles = request.user, request.committee, request.roles
    tiles = []
    if roles & MEMBER_ROLES:
        tiles += [
            _tile("proposals", _("提案"), tab_url("proposals"), "✎"),
            _tile("meetings", _("会议"), tab_url("meetings"), "▣"),
            _tile("duties", _("我的履职"), tab_url("duties"), "★"),
        ]
    if user.has_perm("org.view_member_private", committee):
        tiles.append(_tile("desk", _("工作台"), reverse("org:dashboard"), "▤"))
    if user.has_perm("proposals.handle", committee):
        tiles.append(_tile("unit", _("承办提案"), reverse("proposals:unit_home"), "✎"))
    if user.has_perm("proposals.supervise", committee):
        tiles.append(_tile("supervise", _("重点提案督办"), reverse("proposals:leader_home"), "⚑"))
    for key, label, view, icon, perm in _CAPABILITY_TILES:
        if user.has_perm(perm, committee):
            url = _reverse_or_none(view)
            if url:
                tiles.append(_tile(key, label, url, icon))
    if user.has_perm("org.view_directory", committee):
        tiles.append(_tile("directory", _("委员名录"), reverse("org:directory"), "☷"))
    tiles.append(_tile("inbox", _("消息"), reverse("core:inbox"), "✉", unread))
    tiles.append(_tile("me", _("我的资料"), reverse("org:me"), "☺"))
    return tiles


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """首页: staff land on their desk; members, leaders and handling-unit staff on the phone home
    with big tiles for what they can do now."""
    if request.committee is None:
        return render(request, "core/no_committee.html", status=403)
    roles = request.roles
    if roles & STAFF_ROLES and not roles & (MEMBER_ROLES | {Role.LEADER}):
        return redirect("org:dashboard")
    unread = _unread(request).count()
    member = None
    if roles & MEMBER_ROLES:
        from lvzhi.org.models import Member

        member = (
            Member.objects.for_committee(request.committee).select_related("sector").filter(user=request.user).first()
        )
    context = {
        "tab": "home",
        "unread": unread,
        "member": member,
        "tiles": _tiles(request, unread),
        "role_names": [Role(r).label for r in Role.values if r in roles],
    }
    return render(request, "core/home.html", context)


def _unread(request):
    return Notification.objects.for_committee(request.committee).filter(user=request.user, read_at__isnull=True)


@require_POST
@login_required
def switch_committee(request: HttpRequest) -> HttpResponse:
    """Act in another committee the user belongs to; a committee they do not belong to is ignored."""
    wanted = request.POST.get("committee", "")
    committee = next((c for c in committees_of(request.user) if str(c.pk) == wanted), None)
    if committee is None:
        messages.error(request, _("您不在该委员会任职,未切换。"))
    else:
        request.session[SESSION_KEY] = committee.pk
        messages.success(request, _("已切换到%(name)s。") % {"name": committee})
    return redirect("core:home")


@require_POST
def large_type(request: HttpRequest) -> HttpResponse:
    """大字模式 (适老化): a cookie read by every page; `large` on <html> scales the type and the targets."""
    response = redirect(_back(request))
    on = request.POST.get("on") == "1"
    response.set_cookie(LARGE_TYPE_COOKIE, "1" if on else "0", max_age=365 * 24 * 3600, samesite="Lax")
    return response


@requires("core.use")
def inbox(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.for_committee(request.committee).filter(user=request.user)[:100]
    return render(request, "core/inbox.html", {"items": items, "tab": "inbox", "unread": _unread(request).count()})


@requires("core.use")
def inbox_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open one message: mark it read and go to what it is about."""
    mine = Notification.objects.for_committee(request.committee).filter(user=request.user)
    item = get_object_or_404(mine, pk=pk)
    if item.read_at is None:
        mine.filter(pk=item.pk).update(read_at=timezone.now())
    return redirect(_safe(request, item.url, reverse("core:inbox")))


@require_POST
@requires("core.use")
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = _unread(request).update(read_at=timezone.now())
    if count:
        messages.success(request, _("已将 %(count)d 条消息标为已读。") % {"count": count})
    return redirect("core:inbox")


PLANNED = {**{k: v[0] for k, v in TABS.items()}, "unit": gettext_lazy("承办提案")}


@requires("core.use")
def tab(request: HttpRequest, name: str) -> HttpResponse:
    """A tab whose capability has not landed yet says so plainly; once it lands, the tab leads there."""
    if name not in PLANNED:
        raise Http404
    if name in TABS:
        target = tab_url(name)
        if target != request.path:
            return redirect(target)
    return render(request, "core/tab.html", {"tab": name, "heading": PLANNED[name]})
