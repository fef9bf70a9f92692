"""Every write of meetings: atomic, through the workflow engine (row lock + event), notifications on commit.

Check-in is idempotent: the same member checked in twice is one check-in and one event; the second answer
says when the first happened. QR codes are signed (django.core.signing) with the meeting, member and
committee, so a forged code, another meeting's or another committee's code is refused."""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import events
from lvzhi.core.config import DEFAULTS, setting
from lvzhi.core.notify import notify
from lvzhi.core.permissions import roles_of
from lvzhi.core.workflow import TransitionRefused, apply
from lvzhi.org.models import Member

from .models import Group, Invitation, LeaveRequest, Meeting, Speech
from .workflow import ATTENDANCE, LEAVE, MEETING, SPEECH

events.ACTION_LABELS.update(
    {
        "meeting.created": gettext_lazy("创建会议"),
        "meeting.updated": gettext_lazy("修改会议"),
        "meeting.invited": gettext_lazy("邀请参会委员"),
        "meeting.registration_details": gettext_lazy("报到:核对信息、领取材料、签署承诺书"),
        "meeting.leave_requested": gettext_lazy("提交请假"),
        "meeting.speech_applied": gettext_lazy("申请大会发言"),
        "meeting.groups_assigned": gettext_lazy("分组"),
    }
)

QR_SALT = "lvzhi.meetings.checkin"
DEFAULTS.update({"meetings.qr_valid_days": 7})  # a member's check-in code is valid for a week after it is shown
MEETING_FIELDS = [
    "kind",
    "session",
    "title",
    "place",
    "starts_at",
    "ends_at",
    "doors_open_at",
    "registration_required",
    "materials",
    "commitment_text",
    "self_checkin",
]


def _check(meeting: Meeting) -> None:
    if meeting.ends_at <= meeting.starts_at:
        raise ValidationError({"ends_at": _("结束时间须晚于开始时间。")})
    if meeting.doors_open_at > meeting.starts_at:
        raise ValidationError({"doors_open_at": _("开始签到时间不能晚于会议开始时间。")})
    if meeting.session_id and meeting.session.committee_id != meeting.committee_id:
        raise ValidationError({"session": _("所选项目不属于本委员会。")})


@transaction.atomic
def meeting_create(*, committee, by, **values) -> Meeting:
    meeting = Meeting(committee=committee, created_by=by, **{k: v for k, v in values.items() if k in MEETING_FIELDS})
    _check(meeting)
    meeting.checkin_code = f"{secrets.randbelow(10**6):06d}"
    meeting.save()
    events.record(subject=meeting, action="meeting.created", actor=by, to_state=meeting.state)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, by, **values) -> Meeting:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.state in ("closed", "cancelled"):
        raise TransitionRefused(_("会议已结束或已取消,不能修改。"))
    changed = []
    for k, v in values.items():
        if k in MEETING_FIELDS and getattr(locked, k) != v:
            setattr(locked, k, v)
            changed.append(k)
    _check(locked)
    locked.save()
    if changed:
        events.record(subject=locked, action="meeting.updated", actor=by, data={"fields": changed})
    return locked


@transaction.atomic
def meeting_invite(*, meeting: Meeting, by, members, announce: bool = True) -> int:
    """Invite members (the whole committee, the standing committee, a sector or a list). Returns how many
    were newly invited; members invited already are kept as they are. `announce=False`: no meeting notice
    (a duty activity's sign-up is told by the activity itself)."""
    if meeting.state in ("closed", "cancelled"):
        raise TransitionRefused(_("会议已结束或已取消,不能邀请。"))
    members = list(members)
    for m in members:
        if m.committee_id != meeting.committee_id or m.state != Member.State.ACTIVE:
            raise ValidationError(_("「%(name)s」不是本委员会的在任委员。") % {"name": m})
    have = set(meeting.invitations.values_list("member_id", flat=True))
    new = [Invitation(committee=meeting.committee, meeting=meeting, member=m) for m in members if m.pk not in have]
    Invitation.objects.bulk_create(new)
    if new:
        events.record(subject=meeting, action="meeting.invited", actor=by, data={"count": len(new)})
        if meeting.state == "published" and announce:
            _notify_invited(meeting, [i.member for i in new])
    return len(new)


def _notify_invited(meeting: Meeting, members) -> None:
    notify(
        committee=meeting.committee,
        users=[m.user for m in members if m.user_id],
        title=_("会议通知:%(title)s") % {"title": meeting.title},
        body=_("%(when)s 在 %(place)s 召开。")
        % {"when": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"), "place": meeting.place},
        url=f"/meetings/{meeting.pk}/",
        channels=("inapp", "sms"),
    )


def meeting_publish(*, meeting: Meeting, by):
    event = apply(MEETING, meeting, "publish", by=by)
    _notify_invited(meeting, [i.member for i in meeting.invitations.select_related("member__user")])
    return event


def meeting_close(*, meeting: Meeting, by=None):
    """End the meeting: every invited member who neither checked in nor has leave is absent (缺席)."""
    with transaction.atomic():
        event = apply(MEETING, meeting, "close", by=by)
        for invitation in meeting.invitations.filter(state__in=["invited", "registered"]):
            apply(
                ATTENDANCE,
                invitation,
                "mark_absent",
                by=None,
                data={"meeting": meeting.pk, "kind": meeting.kind, "member": invitation.member_id},
            )
    return event


# --------------------------------------------------------------------------- registration and check-in


def invitation_for(meeting: Meeting, member: Member) -> Invitation:
    invitation = Invitation.objects.filter(meeting=meeting, member=member).order_by().first()
    if invitation is None:
        raise TransitionRefused(_("%(name)s 不在本次会议的邀请名单中。") % {"name": member})
    invitation.meeting, invitation.member = meeting, member
    return invitation


@transaction.atomic
def registration_complete(*, invitation: Invitation, by, materials: list[str], signed_name: str):
    """报到: verify one's details, receive the materials, sign the commitment letter by typing one's name."""
    meeting = invitation.meeting
    if meeting.state != "published":
        raise TransitionRefused(_("会议未发布或已结束,不能报到。"))
    unknown = [m for m in materials if m not in meeting.materials]
    if unknown:
        raise ValidationError(_("未知的材料:%(names)s") % {"names": "、".join(unknown)})
    if meeting.commitment_text and signed_name.strip() != invitation.member.name:
        raise ValidationError(
            {"signed_name": _("请输入您的姓名“%(name)s”签署承诺书。") % {"name": invitation.member.name}}
        )
    changes = {"registered_at": timezone.now(), "materials_received": list(materials)}
    if meeting.commitment_text:
        changes.update(commitment_signed_name=signed_name.strip(), commitment_signed_at=timezone.now())
    return apply(
        ATTENDANCE,
        invitation,
        "register",
        by=by,
        changes=changes,
        data={"materials": list(materials), "signed": bool(meeting.commitment_text)},
    )


@dataclass
class CheckIn:
    invitation: Invitation
    first: bool  # False when the member had checked in already (nothing recorded again)

    @property
    def message(self) -> str:
        when = timezone.localtime(self.invitation.checked_in_at).strftime("%H:%M")
        if self.first:
            return _("%(name)s 签到成功(%(when)s)。") % {"name": self.invitation.member.name, "when": when}
        return _("%(name)s 已于 %(when)s 签到,无需重复签到。") % {"name": self.invitation.member.name, "when": when}


def qr_token(invitation: Invitation) -> str:
    """The signed check-in code of one member for one meeting (shown as a QR code on the member's phone)."""
    return signing.dumps(
        {"c": invitation.committee_id, "m": invitation.meeting_id, "i": invitation.pk}, salt=QR_SALT, compress=True
    )


def _window(meeting: Meeting) -> None:
    now = timezone.now()
    if meeting.state != "published":
        raise TransitionRefused(_("会议未发布或已结束,不能签到。"))
    if now < meeting.doors_open_at:
        raise TransitionRefused(
            _("签到尚未开始,%(when)s 开始签到。")
            % {"when": timezone.localtime(meeting.doors_open_at).strftime("%m-%d %H:%M")}
        )
    if now > meeting.ends_at:
        raise TransitionRefused(_("会议已结束,不能签到。"))


def check_in(*, invitation: Invitation, by, method: str) -> CheckIn:
    """Check one invited member in. Idempotent: a second check-in changes nothing and says when the first was.

    `invitation` must be freshly read (with its member and meeting). A repeated scan is answered from that
    read, without a lock or a write; a first one takes the row lock once (in the workflow engine), and when
    another desk checked the member in meanwhile, the engine refuses and the answer is "already"."""
    meeting = invitation.meeting
    _window(meeting)
    if invitation.state == "present":
        return CheckIn(invitation, first=False)
    if invitation.state == "on_leave":
        raise TransitionRefused(_("%(name)s 已请假,请先销假再签到。") % {"name": invitation.member.name})
    try:
        apply(
            ATTENDANCE,
            invitation,
            "check_in",
            by=by,
            roles=roles_of(by, meeting.committee) if by is not None else None,
            changes={"checked_in_at": timezone.now(), "checkin_method": method, "checked_in_by": by},
            data={"meeting": meeting.pk, "kind": meeting.kind, "method": method, "member": invitation.member_id},
        )
    except TransitionRefused:
        now = Invitation.objects.filter(pk=invitation.pk).values("state", "checked_in_at").first() or {}
        if now.get("state") != "present":
            raise
        invitation.state, invitation.checked_in_at = now["state"], now["checked_in_at"]
        return CheckIn(invitation, first=False)
    return CheckIn(invitation, first=True)


_DOOR_FIELDS = ("committee", "meeting", "member", "state", "seat", "checked_in_at", "checkin_method", "member__name")


def check_in_by_qr(*, meeting: Meeting, token: str, by) -> CheckIn:
    """Staff scan a member's code at the door: it must be this meeting's, this committee's, and genuine."""
    try:
        data = signing.loads(
            token, salt=QR_SALT, max_age=dt.timedelta(days=setting(meeting.committee, "meetings.qr_valid_days"))
        )
    except signing.SignatureExpired:
        raise TransitionRefused(_("签到码已过期,请委员刷新“我的签到码”页面后重新出示。"))
    except signing.BadSignature:
        raise TransitionRefused(_("二维码无效(不是本系统签发的签到码)。"))
    if data.get("c") != meeting.committee_id:
        raise TransitionRefused(_("这是其他委员会的签到码。"))
    if data.get("m") != meeting.pk:
        raise TransitionRefused(_("这是其他会议的签到码。"))
    # only what the door's answer shows: the hot path of a session opening (a fifth of its time went on
    # building the SELECT of every column of the invitation and of the member)
    invitation = (
        Invitation.objects.filter(pk=data.get("i"), meeting=meeting)
        .select_related("member")
        .only(*_DOOR_FIELDS)
        .order_by()[:1]
    )
    invitation = next(iter(invitation), None)
    if invitation is None:
        raise TransitionRefused(_("该委员不在本次会议的邀请名单中。"))
    invitation.meeting = meeting
    return check_in(invitation=invitation, by=by, method=Invitation.Method.QR)


def check_in_by_code(*, meeting: Meeting, member: Member, code: str, by) -> CheckIn:
    """A member checks themself in with the six-digit code shown in the hall, when staff allow it."""
    if not meeting.self_checkin:
        raise TransitionRefused(_("本次会议未开放自助签到,请到签到处扫码签到。"))
    if not secrets.compare_digest(code.strip(), meeting.checkin_code):
        raise TransitionRefused(_("签到码不正确,请核对会场显示的六位数字。"))
    return check_in(invitation=invitation_for(meeting, member), by=by, method=Invitation.Method.CODE)


# --------------------------------------------------------------------------- leave


@transaction.atomic
def leave_request(*, invitation: Invitation, by, reason: str) -> LeaveRequest:
    if invitation.member.user_id != by.pk:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("请填写请假事由。")})
    meeting = invitation.meeting
    if meeting.state != "published" or invitation.state not in ("invited", "registered"):
        raise TransitionRefused(_("当前不能请假。"))
    if invitation.leave_requests.filter(state="pending").exists():
        raise TransitionRefused(_("您已提交请假,正在等待审批。"))
    late = timezone.now() >= meeting.doors_open_at
    leave = LeaveRequest.objects.create(
        committee=invitation.committee, invitation=invitation, reason=reason.strip(), late=late
    )
    events.record(
        subject=invitation, action="meeting.leave_requested", actor=by, reason=reason.strip(), data={"late": late}
    )
    from lvzhi.core.roles import Role
    from lvzhi.org.models import Membership

    staff = [
        g.user
        for g in Membership.objects.filter(committee=invitation.committee, role=Role.STAFF_MEETINGS).select_related(
            "user"
        )
    ]
    notify(
        committee=invitation.committee,
        users=staff,
        title=_("请假待审批:%(name)s · %(meeting)s") % {"name": invitation.member.name, "meeting": meeting.title},
        body=reason.strip(),
        url=f"/meetings/staff/{meeting.pk}/leave/",
    )
    return leave


def _staff_users(committee):
    from lvzhi.core.roles import Role
    from lvzhi.org.models import Membership

    return [
        g.user for g in Membership.objects.filter(committee=committee, role=Role.STAFF_MEETINGS).select_related("user")
    ]


def leave_withdraw(*, leave: LeaveRequest, by):
    """The member withdraws their own leave request while it waits for a decision (LEAVE "withdraw"):
    another member's request is refused (PermissionDenied), a decided one too (TransitionRefused)."""
    invitation = leave.invitation
    if invitation.member.user_id != by.pk:
        raise PermissionDenied(_("只能撤回本人的请假。"))
    with transaction.atomic():
        locked = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
        if locked.state != "pending":
            raise TransitionRefused(
                _("这条请假已是「%(state)s」,只有待审批的请假可以撤回。") % {"state": LEAVE.state_label(locked.state)}
            )
        return apply(
            LEAVE, leave, "withdraw", by=by, data={"meeting": invitation.meeting_id, "member": invitation.member_id}
        )


def leave_decide(*, leave: LeaveRequest, by, approve: bool, reason: str = ""):
    with transaction.atomic():
        event = apply(
            LEAVE,
            leave,
            "approve" if approve else "refuse",
            by=by,
            reason=reason,
            changes={"decided_at": timezone.now()},
        )
        if approve:
            apply(
                ATTENDANCE,
                leave.invitation,
                "leave",
                by=by,
                reason=leave.reason,
                data={
                    "meeting": leave.invitation.meeting_id,
                    "kind": leave.invitation.meeting.kind,
                    "member": leave.invitation.member_id,
                },
            )
    member = leave.invitation.member
    notify(
        committee=leave.committee,
        users=[member.user] if member.user_id else [],
        title=(_("请假已批准:%(meeting)s") if approve else _("请假未批准:%(meeting)s"))
        % {"meeting": leave.invitation.meeting.title},
        body=reason,
        url=f"/meetings/{leave.invitation.meeting_id}/",
    )
    return event


# --------------------------------------------------------------------------- groups and speeches


@transaction.atomic
def groups_by_sector(*, meeting: Meeting, by, group_count: int) -> list[Group]:
    """Divide the invited members into discussion groups, keeping each sector together."""
    if group_count < 1 or group_count > 50:
        raise ValidationError(_("分组数须在 1 到 50 之间。"))
    invitations = list(
        meeting.invitations.select_related("member__sector").order_by("member__sector__order", "member__name")
    )
    groups = list(meeting.groups.all())
    for i in range(len(groups), group_count):
        groups.append(
            Group.objects.create(
                committee=meeting.committee, meeting=meeting, name=_("第%(n)s组") % {"n": i + 1}, order=i + 1
            )
        )
    groups = groups[:group_count]
    by_sector: dict[int, list[Invitation]] = {}
    for inv in invitations:
        by_sector.setdefault(inv.member.sector_id, []).append(inv)
    sizes = [0] * group_count
    for _sector, items in sorted(by_sector.items(), key=lambda kv: -len(kv[1])):
        target = sizes.index(min(sizes))
        for inv in items:
            inv.group = groups[target]
        sizes[target] += len(items)
    Invitation.objects.bulk_update(invitations, ["group"])
    events.record(subject=meeting, action="meeting.groups_assigned", actor=by, data={"groups": group_count})
    return groups


@transaction.atomic
def speech_apply(*, meeting: Meeting, member: Member, by, title: str, text: str, kind: str = Speech.Kind.ORAL):
    if member.user_id != by.pk:
        raise PermissionDenied
    invitation_for(meeting, member)
    if not title.strip() or not text.strip():
        raise ValidationError(_("请填写发言题目和发言稿。"))
    speech = Speech.objects.create(
        committee=meeting.committee,
        meeting=meeting,
        member=member,
        kind=kind,
        title=title.strip(),
        text=text.strip(),
        state="written" if kind == Speech.Kind.WRITTEN else "applied",
    )
    events.record(
        subject=speech,
        action="meeting.speech_applied",
        actor=by,
        to_state=speech.state,
        data={"meeting": meeting.pk, "kind": kind},
    )
    return speech


def speech_withdraw(*, speech: Speech, by):
    """The member withdraws their own speech application, while it is applied or selected (SPEECH
    "withdraw"); another member's is refused (PermissionDenied), a written, declined or withdrawn one too
    (TransitionRefused), and so is one of a meeting that is over. A selected speech leaves the plenary list
    (the speakers after it move up one) and the meetings staff are told."""
    if speech.member.user_id != by.pk:
        raise PermissionDenied(_("只能撤回本人的发言申请。"))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=speech.meeting_id)  # the speakers' order
        if meeting.state in ("closed", "cancelled"):
            raise TransitionRefused(_("会议已结束或已取消,不能撤回发言申请。"))
        locked = Speech.objects.get(pk=speech.pk)
        if locked.state not in ("applied", "selected"):
            raise TransitionRefused(
                _("这份发言已是「%(state)s」,只有已申请或已安排的大会发言可以撤回。")
                % {"state": SPEECH.state_label(locked.state)}
            )
        was_selected = locked.state == "selected"
        event = apply(
            SPEECH,
            speech,
            "withdraw",
            by=by,
            changes={"order": None},
            data={"meeting": meeting.pk, "was": locked.state, "order": locked.order},
        )
        if was_selected:
            rest = list(Speech.objects.filter(meeting=meeting, state="selected").order_by("order", "id"))
            for n, x in enumerate(rest, start=1):
                x.order = n
            Speech.objects.bulk_update(rest, ["order"])
    if was_selected:
        notify(
            committee=meeting.committee,
            users=_staff_users(meeting.committee),
            title=_("大会发言已撤回:%(name)s · %(meeting)s") % {"name": speech.member.name, "meeting": meeting.title},
            body=_("%(name)s 撤回了已安排的大会发言「%(title)s」,其后的发言顺序已前移。")
            % {"name": speech.member.name, "title": speech.title},
            url=f"/meetings/staff/{meeting.pk}/speeches/",
        )
    return event


def speech_decide(*, speech: Speech, by, action: str, order: int | None = None, reason: str = ""):
    if action not in ("select", "to_written", "decline"):
        raise ValidationError(_("未知的操作。"))
    changes = {"order": order} if action == "select" else {}
    try:
        return apply(SPEECH, speech, action, by=by, reason=reason, changes=changes, data={"meeting": speech.meeting_id})
    except IntegrityError:
        raise ValidationError(_("发言顺序冲突,请重试。"))
