"""Writes of the member lifecycle: nomination (委员推荐提名), exit review (退出机制) and liaison
(谈心谈话、走访看望). Every function is one use case: atomic, records its event (state changes go through
the workflow engine). Pages, the API and the evaluation capability call these.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import events
from lvzhi.core.notify import notify
from lvzhi.core.roles import Role
from lvzhi.core.workflow import TransitionRefused, apply

from .models import ExitReview, Liaison, Member, Membership, Nomination
from .services import member_create, member_end
from .workflow import EXIT, NOMINATION, NOMINATION_STEPS

events.ACTION_LABELS.update(
    {
        "nomination.created": gettext_lazy("登记界别推荐"),
        "exit_review.opened": gettext_lazy("启动退出审查"),
        "liaison.recorded": gettext_lazy("登记联系委员记录"),
        "liaison.updated": gettext_lazy("修改联系委员记录"),
    }
)

NOMINATION_FIELDS = [
    "name",
    "gender",
    "mobile",
    "term",
    "sector",
    "party",
    "employer",
    "post",
    "recommended_by",
    "note",
]
LIAISON_FIELDS = ["member", "kind", "date", "participants", "raised", "answer"]


def _require(user, perm: str, committee) -> None:
    if user is not None and not user.has_perm(perm, committee):
        raise PermissionDenied


def _check_same_committee(committee, values: dict, names) -> None:
    for name in names:
        related = values.get(name)
        if related is not None and related.committee_id != committee.pk:
            raise ValidationError({name: _("所选项目不属于本委员会。")})


def _member_with_mobile(committee, mobile: str, *, exclude_pk=None):
    qs = Member.objects.for_committee(committee).filter(mobile=mobile)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


# --- nomination (委员推荐提名)


@transaction.atomic
def nomination_create(*, committee, by, **values) -> Nomination:
    """Register a candidate recommended by a sector (界别推荐): the first of the seven steps."""
    _require(by, "org.manage_nominations", committee)
    values = {k: v for k, v in values.items() if k in NOMINATION_FIELDS}
    for name in ("name", "mobile", "employer", "post", "recommended_by", "note"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    _check_same_committee(committee, values, ("term", "sector", "party"))
    mobile = values.get("mobile", "")
    clash = _member_with_mobile(committee, mobile) if mobile else None
    if clash is not None:
        raise ValidationError({"mobile": _("该手机号已是本委员会委员「%(name)s」的手机号。") % {"name": clash.name}})
    pending = (
        Nomination.objects.for_committee(committee)
        .filter(mobile=mobile)
        .exclude(state__in=["confirmed", "rejected"])
        .first()
    )
    if mobile and pending is not None:
        raise ValidationError({"mobile": _("该手机号已有一条进行中的提名(%(name)s)。") % {"name": pending.name}})
    nomination = Nomination(committee=committee, state=NOMINATION_STEPS[0], **values)
    nomination.full_clean(exclude=["committee", "member"])
    nomination.save()
    events.record(subject=nomination, action="nomination.created", actor=by, to_state=nomination.state)
    return nomination


def nomination_advance(*, nomination: Nomination, action: str, by, reason: str = ""):
    """Take one step of the nomination (or reject it with a reason). The last step (全体会议审议通过)
    creates the member in the same transaction; a mobile number already used refuses the step and
    changes nothing. Raises TransitionRefused."""

    def create_member(locked: Nomination) -> None:
        clash = _member_with_mobile(locked.committee, locked.mobile)
        if clash is not None:
            raise TransitionRefused(
                _("手机号 %(mobile)s 已被本委员会委员「%(name)s」使用,无法建立委员档案,请先核实手机号。")
                % {"mobile": locked.mobile, "name": clash.name}
            )
        try:
            member = member_create(
                committee=locked.committee,
                by=by,
                name=locked.name,
                gender=locked.gender,
                mobile=locked.mobile,
                term=locked.term,
                sector=locked.sector,
                party=locked.party,
                employer=locked.employer,
                post=locked.post,
            )
        except ValidationError as e:
            raise TransitionRefused(" ".join(e.messages)) from e
        locked.member = member

    on_apply = create_member if action == "confirm" else None
    event = apply(NOMINATION, nomination, action, by=by, reason=reason, on_apply=on_apply)
    nomination.refresh_from_db()
    return event


# --- exit review (退出机制)


def _office_users(committee):
    return [
        m.user
        for m in Membership.objects.filter(committee=committee, role=Role.STAFF_OFFICE).select_related("user")
        if m.user.is_active
    ]


@transaction.atomic
def exit_review_open(*, member: Member, grounds: str, by) -> ExitReview:
    """Open an exit review of a member. `by` is None when the platform opens it (an evaluation threshold
    crossed); the office staff are notified either way. A member has at most one open review."""
    committee = member.committee
    _require(by, "org.manage_exit", committee)
    grounds = (grounds or "").strip()
    if not grounds:
        raise ValidationError({"grounds": _("请填写启动退出审查的原因。")})
    locked = Member.objects.select_for_update().get(pk=member.pk)  # serialises two opens of one member
    if locked.state != Member.State.ACTIVE:
        raise ValidationError({"member": _("委员「%(name)s」已退出,无需审查。") % {"name": locked.name}})
    if ExitReview.objects.for_committee(committee).filter(member=locked, state="open").exists():
        raise ValidationError(
            {"member": _("委员「%(name)s」已有一项进行中的退出审查,请先作出决定。") % {"name": locked.name}}
        )
    review = ExitReview.objects.create(committee=committee, member=locked, grounds=grounds, state="open")
    events.record(
        subject=review,
        action="exit_review.opened",
        actor=by,
        to_state="open",
        reason=grounds,
        data={"member_id": locked.pk},
    )
    notify(
        committee=committee,
        users=_office_users(committee),
        title=_("委员「%(name)s」已启动退出审查") % {"name": locked.name},
        body=grounds,
        url=reverse("org:exit", args=[review.pk]),
    )
    return review


def exit_review_decide(*, review: ExitReview, action: str, by, reason: str):
    """决定退出 (action "exit": ends the membership with the decision as its reason, in the same
    transaction) or 决定保留 (action "retain"). A reason is required either way. Raises TransitionRefused."""
    reason = (reason or "").strip()

    def on_apply(locked: ExitReview) -> None:
        locked.decision = reason
        if action == "exit":
            member_end(member=locked.member, by=by, reason=reason)

    event = apply(EXIT, review, action, by=by, reason=reason, on_apply=on_apply)
    review.refresh_from_db()
    return event


# --- liaison (谈心谈话、走访看望)


def liaison_can_edit(user, liaison: Liaison) -> bool:
    """The recorder may edit their record; the office may edit any record of its committee."""
    if user is None or not user.has_perm("org.record_liaison", liaison.committee):
        return False
    return liaison.staff_id == user.pk or user.has_perm("org.manage_members", liaison.committee)


def _clean_liaison(committee, values: dict) -> dict:
    values = {k: v for k, v in values.items() if k in LIAISON_FIELDS}
    for name in ("participants", "raised", "answer"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    member = values.get("member")
    if member is not None and member.committee_id != committee.pk:
        raise ValidationError({"member": _("所选项目不属于本委员会。")})
    date = values.get("date")
    if date is not None and date > timezone.localdate():
        raise ValidationError({"date": _("日期不能晚于今天。")})
    if "raised" in values and not values["raised"]:
        raise ValidationError({"raised": _("请填写委员反映的意见。")})
    return values


@transaction.atomic
def liaison_create(*, committee, by, **values) -> Liaison:
    _require(by, "org.record_liaison", committee)
    values = _clean_liaison(committee, values)
    liaison = Liaison(committee=committee, staff=by, **values)
    liaison.full_clean(exclude=["committee", "staff"])
    liaison.save()
    events.record(
        subject=liaison,
        action="liaison.recorded",
        actor=by,
        data={"member_id": liaison.member_id, "kind": liaison.kind, "date": liaison.date.isoformat()},
    )
    return liaison


@transaction.atomic
def liaison_update(*, liaison: Liaison, by, **values) -> Liaison:
    if not liaison_can_edit(by, liaison):
        raise PermissionDenied
    values = _clean_liaison(liaison.committee, values)
    locked = Liaison.objects.select_for_update().get(pk=liaison.pk)
    before = {k: str(getattr(locked, k)) for k in values}
    for k, v in values.items():
        setattr(locked, k, v)
    locked.full_clean(exclude=["committee", "staff"])
    locked.save()
    diff = {k: [before[k], str(getattr(locked, k))] for k in values if before[k] != str(getattr(locked, k))}
    events.record(subject=locked, action="liaison.updated", actor=by, data={"changes": diff})
    return locked
