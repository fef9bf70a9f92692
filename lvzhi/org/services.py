"""Writes of the member roster. Every function is one use case: atomic, records its event.

Pages, the API and the Excel import call these; no rule about members lives anywhere else.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.core import events
from lvzhi.core.roles import Role
from lvzhi.core.workflow import apply

from .models import Member, Membership
from .workflow import MEMBER

MEMBER_FIELDS = [
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "mobile",
    "sector",
    "party",
    "employer",
    "post",
    "is_standing",
    "sub_district",
    "studio",
    "term",
]
events.ACTION_LABELS.update({"member.created": _("新增委员"), "member.updated": _("修改委员信息")})


# full_clean checks lengths and choices; related rows are checked by _check_same_committee (they are rows
# of this committee already) and the mobile's uniqueness by _check_mobile and the database constraint, so
# neither is queried again per member (this keeps a 5,000-row import fast).
CLEAN_EXCLUDE = ["user", "committee", "special_committees", "sector", "party", "sub_district", "studio", "term"]
MOBILE_RE = re.compile(r"^1\d{10}$")


def validate_mobile(value: str) -> None:
    """A mainland mobile number: 11 digits starting with 1 (used by forms, the import and the services)."""
    if not MOBILE_RE.match(value or ""):
        raise ValidationError(_("手机号应为以 1 开头的 11 位数字。"), code="mobile")


class StaleEdit(Exception):
    """Someone else saved the member since this edit began."""


def _check_same_committee(committee, values: dict, *, creating: bool = False) -> None:
    """Sector, party and term are required; every related row must belong to the member's committee."""
    for name in ("sector", "party", "term"):
        if (creating or name in values) and values.get(name) is None:
            raise ValidationError({name: _("这个字段是必填项。")})
    for name in ("sector", "party", "sub_district", "studio", "term"):
        related = values.get(name)
        if related is not None and related.committee_id != committee.pk:
            raise ValidationError({name: _("所选项目不属于本委员会。")})


def _check_mobile(committee, values: dict, *, exclude_pk=None) -> None:
    if "mobile" not in values:
        return
    try:
        validate_mobile(values["mobile"])
    except ValidationError as e:
        raise ValidationError({"mobile": e.messages}) from None
    taken = Member.objects.for_committee(committee).filter(mobile=values["mobile"]).exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"mobile": _("手机号已被本委员会的其他委员使用。")})


def _sync_account(member: Member) -> None:
    """Give the member a log-in (by mobile) and the member/standing roles while the membership is active."""
    if member.user_id is None:
        user = User.objects.filter(mobile=member.mobile).first()
        if user is not None and Member.objects.filter(committee_id=member.committee_id, user=user).exists():
            raise ValidationError({"mobile": _("该手机号是本委员会另一位委员的登录账号。")})
        if user is None:
            user = User(username=member.mobile, mobile=member.mobile, display_name=member.name)
            user.set_unusable_password()  # first log-in by SMS code, then set a password
            user.save()
        member.user = user
        member.save(update_fields=["user"])
    wanted = set()
    if member.state == Member.State.ACTIVE:
        wanted.add(Role.MEMBER)
        if member.is_standing:
            wanted.add(Role.STANDING)
    for role in (Role.MEMBER, Role.STANDING):
        grants = Membership.objects.filter(user_id=member.user_id, committee_id=member.committee_id, role=role)
        if role in wanted:
            if not grants.exists():
                Membership.objects.create(user_id=member.user_id, committee_id=member.committee_id, role=role)
        else:
            grants.delete()


def _move_login_mobile(member: Member, new_mobile: str | None) -> None:
    """A member's new mobile becomes their log-in number too, so the old number is free for someone else."""
    user = member.user
    if not new_mobile or new_mobile == member.mobile or user is None or user.mobile != member.mobile:
        return
    if User.objects.filter(mobile=new_mobile).exclude(pk=user.pk).exists():
        raise ValidationError({"mobile": _("该手机号已是另一个账号的登录手机号。")})
    user.mobile = new_mobile
    user.save(update_fields=["mobile"])


@transaction.atomic
def member_create(*, committee, by, special_committees=(), **values) -> Member:
    _check_same_committee(committee, values, creating=True)
    _check_mobile(committee, values)
    for sc in special_committees:
        if sc.committee_id != committee.pk:
            raise ValidationError({"special_committees": _("所选项目不属于本委员会。")})
    member = Member(committee=committee, **{k: v for k, v in values.items() if k in MEMBER_FIELDS})
    member.full_clean(exclude=CLEAN_EXCLUDE, validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ValidationError({"mobile": _("手机号已被本委员会的其他委员使用。")})
    member.special_committees.set(special_committees)
    _sync_account(member)
    events.record(subject=member, action="member.created", actor=by, to_state=member.state)
    return member


@transaction.atomic
def member_update(*, member: Member, by, version: int, special_committees=None, **values) -> Member:
    """Save changes read at `version`. If someone saved in between, raise StaleEdit and change nothing."""
    _check_same_committee(member.committee, values)
    _check_mobile(member.committee, values, exclude_pk=member.pk)
    if special_committees is not None:
        for sc in special_committees:
            if sc.committee_id != member.committee_id:
                raise ValidationError({"special_committees": _("所选项目不属于本委员会。")})
    changes = {k: v for k, v in values.items() if k in MEMBER_FIELDS}
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if locked.version != version:
        raise StaleEdit(_("该委员的信息已被他人修改,请刷新后重新编辑。"))
    before = {k: str(getattr(locked, k)) for k in changes}
    _move_login_mobile(locked, changes.get("mobile"))
    for k, v in changes.items():
        setattr(locked, k, v)
    locked.version += 1
    locked.full_clean(exclude=CLEAN_EXCLUDE, validate_constraints=False)
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise ValidationError({"mobile": _("手机号已被本委员会的其他委员使用。")})
    diff = {k: [before[k], str(getattr(locked, k))] for k in changes if before[k] != str(getattr(locked, k))}
    if special_committees is not None:
        old_names = sorted(sc.name for sc in locked.special_committees.all())
        locked.special_committees.set(special_committees)
        new_names = sorted(sc.name for sc in special_committees)
        if old_names != new_names:
            diff["special_committees"] = ["、".join(old_names), "、".join(new_names)]
    _sync_account(locked)
    events.record(subject=locked, action="member.updated", actor=by, data={"changes": diff})
    return locked


def member_end(*, member: Member, by, reason: str):
    """End a membership (终止委员资格) with a reason: the member loses the member roles in this committee."""

    def on_apply(locked):
        locked.ended_on = timezone.localdate()
        locked.ended_reason = reason.strip()
        locked.version += 1

    with transaction.atomic():
        event = apply(MEMBER, member, "end", by=by, reason=reason, on_apply=on_apply)
        member.refresh_from_db()
        _sync_account(member)
    return event


def member_reinstate(*, member: Member, by, reason: str):
    def on_apply(locked):
        locked.ended_on = None
        locked.ended_reason = ""
        locked.version += 1

    with transaction.atomic():
        event = apply(MEMBER, member, "reinstate", by=by, reason=reason, on_apply=on_apply)
        member.refresh_from_db()
        _sync_account(member)
    return event
