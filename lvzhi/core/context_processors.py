from .middleware import committees_of
from .roles import STAFF_ROLES, Role

LARGE_TYPE_COOKIE = "lvzhi_large"


def committee(request):
    roles = getattr(request, "roles", frozenset())
    user = getattr(request, "user", None)
    return {
        "committee": getattr(request, "committee", None),
        "roles": roles,
        "is_staff_user": bool(roles & STAFF_ROLES),
        "is_member_user": Role.MEMBER in roles or Role.STANDING in roles,
        "is_unit_user": Role.UNIT in roles,
        "is_leader_user": Role.LEADER in roles,
        "my_committees": committees_of(user) if user is not None and user.is_authenticated else [],
        "large_type": request.COOKIES.get(LARGE_TYPE_COOKIE) == "1",
    }
