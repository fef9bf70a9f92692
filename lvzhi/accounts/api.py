"""API of accounts: token log-in, the current user (`/me`) and their committees."""

from datetime import datetime

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Router, Status

from lvzhi.core.api import Detail, Input, Invalid, Text, responses
from lvzhi.core.middleware import committees_of
from lvzhi.core.permissions import roles_of
from lvzhi.org.api import MemberFullOut, member_full
from lvzhi.org.models import Member

from .models import ApiToken

router = Router(tags=["账户"])


class TokenIn(Input):
    username: Text(150, min_length=1)  # user name or mobile number
    password: Text(128, min_length=1)


class TokenOut(Input):
    token: str
    expires_at: datetime


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: Detail, 422: Invalid, 429: Detail},
    summary="用用户名或手机号与密码换取接口令牌",
)
def token(request, payload: TokenIn):
    """Five wrong passwords lock the account for a while (django-axes counts the failures here too)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # Answer in JSON here; AxesMiddleware would otherwise replace the answer with its HTML page.
        request.axes_locked_out = False
        return Status(429, {"detail": _("账户已被锁定:密码错误次数过多,请稍后再试或联系管理员。")})
    if user is None:
        return Status(401, {"detail": _("用户名或密码错误")})
    key = ApiToken.issue(user)
    return Status(200, {"token": key, "expires_at": ApiToken.objects.filter(user=user).latest("id").expires_at})


class CommitteeOut(Input):
    id: int
    name: str
    short_name: str
    level: int
    level_label: str
    parent_id: int | None
    roles: list[str]


class UserOut(Input):
    id: int
    username: str
    display_name: str
    mobile: str | None


class MeOut(Input):
    user: UserOut
    committee: CommitteeOut | None
    roles: list[str]
    committees: list[CommitteeOut]
    member: MemberFullOut | None


def _committee(committee, user) -> dict:
    return {
        "id": committee.pk,
        "name": committee.name,
        "short_name": committee.short_name,
        "level": committee.level,
        "level_label": committee.get_level_display(),
        "parent_id": committee.parent_id,
        "roles": sorted(roles_of(user, committee)),
    }


@router.get("/me", response=responses(200, MeOut), summary="当前用户、当前委员会与角色")
def me(request):
    user = request.user
    committee = request.committee
    profile = None
    if committee is not None:
        member = (
            Member.objects.for_committee(committee)
            .filter(user=user)
            .select_related("sector", "party", "studio", "sub_district", "term")
            .prefetch_related("special_committees")
            .first()
        )
        profile = member_full(member) if member else None
    return {
        "user": {"id": user.pk, "username": user.username, "display_name": str(user), "mobile": user.mobile},
        "committee": _committee(committee, user) if committee else None,
        "roles": sorted(request.roles),
        "committees": [_committee(c, user) for c in committees_of(user)],
        "member": profile,
    }


@router.get("/committees", response=responses(200, list[CommitteeOut]), summary="我所在的委员会")
def committees(request):
    return [_committee(c, request.user) for c in committees_of(request.user)]
