from django.urls import NoReverseMatch, reverse
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
    try:
        return reverse(TABS[name][1])
    except NoReverseMatch:
        return reverse("core:tab", args=[name])


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
        "tab_urls": {name: tab_url(name) for name in TABS},
    }
