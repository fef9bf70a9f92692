import functools

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy

from .middleware import committees_of
from .roles import MEMBER_ROLES, STAFF_ROLES, Role

LARGE_TYPE_COOKIE = "lvzhi_large"

# The bottom-bar tabs of the phone pages. A capability that lands names its member landing page
# `<app>:member_home`; until then the tab says plainly that it is being built (core:tab).
TABS = {
    "proposals": (gettext_lazy("提案"), "proposals:member_home"),
    "meetings": (gettext_lazy("会议"), "meetings:member_home"),
    "duties": (gettext_lazy("履职"), "evaluation:member_home"),
}


def tab_url(name: str) -> str:
    """Where a bottom-bar tab leads: the capability's member page once it exists, else the 建设中 page."""
    return _tab_urls(settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())[name]


@functools.lru_cache(maxsize=16)
def _tab_urls(root_urlconf, urlconf, prefix) -> dict[str, str]:
    """The tabs' URLs depend only on the URL conf (a failed reverse() costs ~0.2 ms: once per process)."""
    urls = {}
    for name, (_label, view) in TABS.items():
        try:
            urls[name] = reverse(view)
        except NoReverseMatch:
            urls[name] = reverse("core:tab", args=[name])
    return urls


def committee(request):
    roles = getattr(request, "roles", frozenset())
    user = getattr(request, "user", None)
    return {
        "committee": getattr(request, "committee", None),
        "roles": roles,
        "is_staff_user": bool(roles & STAFF_ROLES),
        "is_member_user": bool(roles & MEMBER_ROLES),
        "is_unit_user": Role.UNIT in roles,
        "is_leader_user": Role.LEADER in roles,
        "my_committees": committees_of(user),
        "large_type": request.COOKIES.get(LARGE_TYPE_COOKIE) == "1",
        "tab_urls": _tab_urls(settings.ROOT_URLCONF, get_urlconf(), get_script_prefix()),
    }
