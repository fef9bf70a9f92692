"""API of meetings (会议): every action of the pages through the services of lvzhi/meetings/services.py.

Who does what (perms of lvzhi/core/permissions.py): meetings staff (meetings.manage) create, update,
invite, publish and close meetings, register members at the desk, check members in (by their signed QR
code or at the desk), decide leave requests and speeches; staff and leaders (meetings.view_all) read every
meeting with its attendance and seat plan; members (meetings.attend) read the meetings they are invited to,
fetch their own QR code, register, check themselves in with the hall's six-digit code, ask for leave and
apply to speak, and withdraw their own pending leave request or speech application (another member's: 403).
The seat plan (座位图, meetings.manage): arrange the hall, assign seats automatically or by hand (a seat
held by another member: 409 unless `swap`), clear; a seat is unique within a meeting.

Reads: a member sees only published or closed meetings they are invited to; any other meeting (a draft,
one they are not invited to, another committee's) answers 404. Errors as in lvzhi/core/api.py:
TransitionRefused → 409 (a forged or foreign QR code, a wrong check-in code, outside the check-in window),
ValidationError → 422, PermissionDenied → 403. Check-in is idempotent: checking the same member in twice
answers 200 both times with `already: true` and the time of the first check-in the second time.
"""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from lvzhi.core.api import (
    MAX_ID,
    Id,
    Input,
    Page,
    Ref,
    Text,
    current_member,
    ref,
    require_member,
    requires,
    resolve_ref,
    responses,
)
from lvzhi.org.models import Member, Sector, Session

from . import queries
from . import services as s
from . import services_seats as seats
from .models import Invitation, LeaveRequest, Meeting, SeatPlan, Speech
from .workflow import ATTENDANCE, LEAVE, MEETING, SPEECH

router = Router(tags=["会议"])


# --------------------------------------------------------------------------- output schemas


class MeetingSummaryOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    place: str
    session: Ref | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    doors_open_at: dt.datetime
    state: str
    state_label: str


class DocumentOut(Schema):
    id: int
    name: str
    size: int
    url: str
    agenda_item_id: int | None


class AgendaItemOut(Schema):
    id: int
    order: int
    title: str
    starts_at: dt.datetime | None
    documents: list[DocumentOut]


class GroupOut(Schema):
    id: int
    name: str
    room: str
    convener: str
    members: int


class InvitationOut(Schema):
    id: int
    member: Ref
    sector: str
    state: str
    state_label: str
    group: Ref | None
    seat: str
    registered_at: dt.datetime | None
    materials_received: list[str]
    commitment_signed: bool
    checked_in_at: dt.datetime | None
    checkin_method: str


class AttendanceOut(Schema):
    invited: int
    registered: int
    on_leave: int
    present: int
    absent: int
    not_arrived: int


class MeetingOut(MeetingSummaryOut):
    registration_required: bool
    materials: list[str]
    commitment_text: str
    self_checkin: bool
    checkin_code: str  # staff only ("" for members: the code is shown in the hall)
    agenda: list[AgendaItemOut]
    documents: list[DocumentOut]
    groups: list[GroupOut]
    mine: InvitationOut | None  # the caller's own invitation, when invited
    attendance: AttendanceOut | None  # staff and leaders
    actions: list[str]


class MeetingPageOut(Page):
    items: list[MeetingSummaryOut]


class InvitationPageOut(Page):
    items: list[InvitationOut]


class CheckedInOut(Schema):
    id: int
    member: Ref
    state: str
    state_label: str
    seat: str
    checkin_method: str


class CheckInOut(Schema):
    already: bool  # the member had checked in before: nothing was recorded again
    message: str
    checked_in_at: dt.datetime
    invitation: CheckedInOut


class QrOut(Schema):
    token: str
    invitation: InvitationOut


class LeaveOut(Schema):
    id: int
    invitation_id: int
    member: Ref
    reason: str
    state: str
    state_label: str
    late: bool
    created_at: dt.datetime
    decided_at: dt.datetime | None


class SpeechOut(Schema):
    id: int
    member: Ref
    kind: str
    kind_label: str
    title: str
    text: str
    state: str
    state_label: str
    order: int | None
    created_at: dt.datetime


class GroupAttendanceOut(Schema):
    name: str
    invited: int
    on_leave: int
    present: int
    absent: int


class AttendanceDetailOut(AttendanceOut):
    by_group: list[GroupAttendanceOut]
    by_sector: list[GroupAttendanceOut]


class InvitedOut(Schema):
    invited: int  # newly invited (members invited already are kept as they were)
    total: int


# --------------------------------------------------------------------------- serialisers


def _summary(m: Meeting) -> dict:
    return {
        "id": m.pk,
        "kind": m.kind,
        "kind_label": str(m.get_kind_display()),
        "title": m.title,
        "place": m.place,
        "session": ref(m.session) if m.session_id else None,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "doors_open_at": m.doors_open_at,
        "state": m.state,
        "state_label": str(MEETING.state_label(m.state)),
    }


def _document(d) -> dict:
    return {
        "id": d.pk,
        "name": d.name,
        "size": d.size,
        "url": d.file.url if d.file else "",
        "agenda_item_id": d.agenda_item_id,
    }


def _invitation(i: Invitation) -> dict:
    return {
        "id": i.pk,
        "member": {"id": i.member_id, "name": i.member.name},
        "sector": i.member.sector.name,
        "state": i.state,
        "state_label": str(ATTENDANCE.state_label(i.state)),
        "group": ref(i.group) if i.group_id else None,
        "seat": i.seat,
        "registered_at": i.registered_at,
        "materials_received": list(i.materials_received or []),
        "commitment_signed": i.commitment_signed_at is not None,
        "checked_in_at": i.checked_in_at,
        "checkin_method": i.checkin_method,
    }


def _leave(leave: LeaveRequest) -> dict:
    return {
        "id": leave.pk,
        "invitation_id": leave.invitation_id,
        "member": {"id": leave.invitation.member_id, "name": leave.invitation.member.name},
        "reason": leave.reason,
        "state": leave.state,
        "state_label": str(LEAVE.state_label(leave.state)),
        "late": leave.late,
        "created_at": leave.created_at,
        "decided_at": leave.decided_at,
    }


def _speech(sp: Speech) -> dict:
    return {
        "id": sp.pk,
        "member": {"id": sp.member_id, "name": sp.member.name},
        "kind": sp.kind,
        "kind_label": str(sp.get_kind_display()),
        "title": sp.title,
        "text": sp.text,
        "state": sp.state,
        "state_label": str(SPEECH.state_label(sp.state)),
        "order": sp.order,
        "created_at": sp.created_at,
    }


# --------------------------------------------------------------------------- lookups


def _staff(request) -> bool:
    return request.user.has_perm("meetings.view_all", request.committee)


_member = current_member  # the caller's member row in this committee, or None
_my_member = require_member  # the same, or 403


def _meeting(request, meeting_id: int) -> Meeting:
    """A meeting the caller may see, else 404: staff and leaders every meeting of the committee, members
    the published or closed meetings they are invited to."""
    if not 1 <= meeting_id <= MAX_ID:
        raise Http404
    if _staff(request):
        qs = queries.meetings(request.committee)
    else:
        member = _member(request)
        if member is None:
            raise Http404
        qs = queries.my_meetings(request.committee, member)
    return get_object_or_404(qs.select_related("session", "committee"), pk=meeting_id)


def _managed(request, meeting_id: int) -> Meeting:
    """A meeting of the committee for the meetings staff (the perm is checked by the endpoint)."""
    if not 1 <= meeting_id <= MAX_ID:
        raise Http404
    return get_object_or_404(queries.meetings(request.committee).select_related("committee"), pk=meeting_id)


def _at_the_door(request, meeting_id: int) -> Meeting:
    """`_managed` for the check-in desk, from the meetings cache (lvzhi/meetings/caching.py)."""
    from .caching import meeting

    found = meeting(request.committee, meeting_id) if 1 <= meeting_id <= MAX_ID else None
    if found is None:
        raise Http404
    return found


def _invitations(meeting: Meeting):
    return Invitation.objects.filter(meeting=meeting).select_related("member__sector", "group")


def _my_invitation(request, meeting: Meeting) -> Invitation:
    invitation = _invitations(meeting).filter(member=_my_member(request)).first()
    if invitation is None:
        raise Http404
    invitation.meeting = meeting
    return invitation


def _detail(request, meeting: Meeting) -> dict:
    staff = _staff(request)
    documents = list(meeting.documents.all())
    by_item: dict[int, list] = {}
    for d in documents:
        if d.agenda_item_id:
            by_item.setdefault(d.agenda_item_id, []).append(_document(d))
    member = _member(request)
    mine = _invitations(meeting).filter(member=member).first() if member else None
    groups = meeting.groups.select_related("convener").annotate(n=Count("invitations"))
    return {
        **_summary(meeting),
        "registration_required": meeting.registration_required,
        "materials": list(meeting.materials or []),
        "commitment_text": meeting.commitment_text,
        "self_checkin": meeting.self_checkin,
        "checkin_code": meeting.checkin_code if request.user.has_perm("meetings.manage", request.committee) else "",
        "agenda": [
            {
                "id": a.pk,
                "order": a.order,
                "title": a.title,
                "starts_at": a.starts_at,
                "documents": by_item.get(a.pk, []),
            }
            for a in meeting.agenda.all()
        ],
        "documents": [_document(d) for d in documents],
        "groups": [
            {
                "id": g.pk,
                "name": g.name,
                "room": g.room,
                "convener": g.convener.name if g.convener_id else "",
                "members": g.n,
            }
            for g in groups
        ],
        "mine": _invitation(mine) if mine else None,
        "attendance": queries.attendance(meeting) if staff else None,
        "actions": [t.action for t in MEETING.available(meeting, request.roles)],
    }


def _fresh(request, meeting_id: int) -> dict:
    return _detail(request, _meeting(request, meeting_id))


# --------------------------------------------------------------------------- reads


class MeetingFilters(Schema):
    state: Text(12) = ""
    kind: Text(20) = ""
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10**9)


@router.get("/meetings", response=responses(200, MeetingPageOut, 422), summary="会议列表", auth=requires("core.use"))
def meeting_list(request, filters: Query[MeetingFilters]):
    """Staff and leaders: every meeting of the committee, newest first; members: the meetings they are
    invited to (published or closed), soonest first."""
    if filters.state and filters.state not in MEETING.states:
        raise ValidationError({"state": _("没有这个状态。")})
    if filters.kind and filters.kind not in Meeting.Kind.values:
        raise ValidationError({"kind": _("没有这个会议类型。")})
    if _staff(request):
        qs = queries.meetings(request.committee)
    elif request.user.has_perm("meetings.attend", request.committee):
        qs = queries.my_meetings(request.committee, _my_member(request))
    else:
        raise PermissionDenied(_("您在本委员会没有执行此操作的权限。"))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    else:  # a duty activity's check-in is listed under /activities unless asked for
        qs = qs.exclude(kind=Meeting.Kind.ACTIVITY)
    qs = qs.select_related("session")
    count = qs.count()
    items = [_summary(m) for m in qs[filters.offset : filters.offset + filters.limit]]
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get(
    "/meetings/{int:meeting_id}",
    response=responses(200, MeetingOut),
    summary="会议详情(议程、文件、分组、我的参会状态)",
    auth=requires("core.use"),
)
def meeting_detail(request, meeting_id: int):
    return _fresh(request, meeting_id)


# --------------------------------------------------------------------------- staff: create, update, invite


class MeetingIn(Input):
    kind: Literal[tuple(Meeting.Kind.values)]  # type: ignore[valid-type]
    title: Text(120, min_length=1)
    place: Text(120, min_length=1)
    session: Id | None = None
    starts_at: dt.datetime
    ends_at: dt.datetime
    doors_open_at: dt.datetime | None = None  # default: 30 minutes before the start
    registration_required: bool = False
    materials: list[Text(30, min_length=1)] = Field(default_factory=list, max_length=20)
    commitment_text: Text(5000) = ""
    self_checkin: bool = False


class MeetingPatch(Input):
    kind: Literal[tuple(Meeting.Kind.values)] | None = None  # type: ignore[valid-type]
    title: Text(120, min_length=1) | None = None
    place: Text(120, min_length=1) | None = None
    session: Id | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    doors_open_at: dt.datetime | None = None
    registration_required: bool | None = None
    materials: list[Text(30, min_length=1)] | None = Field(None, max_length=20)
    commitment_text: Text(5000) | None = None
    self_checkin: bool | None = None


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


@router.post(
    "/meetings", response=responses(201, MeetingOut, 422), summary="新建会议", auth=requires("meetings.manage")
)
def meeting_create(request, payload: MeetingIn):
    values = payload.model_dump()
    values["session"] = resolve_ref(Session, request, values["session"], "session")
    for name in ("starts_at", "ends_at", "doors_open_at"):
        values[name] = _aware(values[name])
    if values["doors_open_at"] is None:
        values["doors_open_at"] = values["starts_at"] - dt.timedelta(minutes=30)
    meeting = s.meeting_create(committee=request.committee, by=request.user, **values)
    return Status(201, _fresh(request, meeting.pk))


@router.patch(
    "/meetings/{int:meeting_id}",
    response=responses(200, MeetingOut, 409, 422),
    summary="修改会议",
    auth=requires("meetings.manage"),
)
def meeting_update(request, meeting_id: int, payload: MeetingPatch):
    meeting = _managed(request, meeting_id)
    values = payload.model_dump(exclude_unset=True)
    if "session" in values:
        values["session"] = resolve_ref(Session, request, values["session"], "session")
    for name, value in list(values.items()):
        if value is None and name != "session":
            raise ValidationError({name: _("此项不能为空。")})
        if name in ("starts_at", "ends_at", "doors_open_at"):
            values[name] = _aware(value)
    s.meeting_update(meeting=meeting, by=request.user, **values)
    return _fresh(request, meeting_id)


class InviteIn(Input):
    scope: Literal["all", "standing", "sector", "list"]
    sector: Id | None = None  # scope "sector"
    members: list[Id] = Field(default_factory=list, max_length=3000)  # scope "list"


@router.post(
    "/meetings/{int:meeting_id}/invite",
    response=responses(200, InvitedOut, 409, 422),
    summary="邀请参会委员(全体委员、常委、某界别或名单)",
    auth=requires("meetings.manage"),
)
def meeting_invite(request, meeting_id: int, payload: InviteIn):
    meeting = _managed(request, meeting_id)
    active = Member.objects.for_committee(request.committee).filter(state=Member.State.ACTIVE)
    if payload.scope == "all":
        members = active
    elif payload.scope == "standing":
        members = active.filter(is_standing=True)
    elif payload.scope == "sector":
        if payload.sector is None:
            raise ValidationError({"sector": _("请选择界别。")})
        members = active.filter(sector=resolve_ref(Sector, request, payload.sector, "sector"))
    else:
        if not payload.members:
            raise ValidationError({"members": _("请选择参会委员。")})
        members = [resolve_ref(Member, request, pk, "members") for pk in dict.fromkeys(payload.members)]
    invited = s.meeting_invite(meeting=meeting, by=request.user, members=members)
    return {"invited": invited, "total": meeting.invitations.count()}


@router.post(
    "/meetings/{int:meeting_id}/publish",
    response=responses(200, MeetingOut, 409),
    summary="发布会议通知",
    auth=requires("meetings.manage"),
)
def meeting_publish(request, meeting_id: int):
    s.meeting_publish(meeting=_managed(request, meeting_id), by=request.user)
    return _fresh(request, meeting_id)


@router.post(
    "/meetings/{int:meeting_id}/close",
    response=responses(200, MeetingOut, 409),
    summary="结束会议(未签到且未请假者记为缺席)",
    auth=requires("meetings.manage"),
)
def meeting_close(request, meeting_id: int):
    s.meeting_close(meeting=_managed(request, meeting_id), by=request.user)
    return _fresh(request, meeting_id)


class GroupsIn(Input):
    group_count: int = Field(ge=1, le=50)


@router.post(
    "/meetings/{int:meeting_id}/groups/by-sector",
    response=responses(200, list[GroupOut], 422),
    summary="按界别自动分组",
    auth=requires("meetings.manage"),
)
def groups_by_sector(request, meeting_id: int, payload: GroupsIn):
    meeting = _managed(request, meeting_id)
    s.groups_by_sector(meeting=meeting, by=request.user, group_count=payload.group_count)
    return _detail(request, meeting)["groups"]


# --------------------------------------------------------------------------- attendance (staff and leaders)


class InvitationFilters(Schema):
    q: Text(50) = ""  # name or mobile
    state: Text(12) = ""
    sector: Id | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)


@router.get(
    "/meetings/{int:meeting_id}/invitations",
    response=responses(200, InvitationPageOut, 422),
    summary="参会委员名单(报到台检索:姓名、手机号、界别)",
    auth=requires("meetings.view_all"),
)
def invitation_list(request, meeting_id: int, filters: Query[InvitationFilters]):
    meeting = _meeting(request, meeting_id)
    if filters.state and filters.state not in ATTENDANCE.states:
        raise ValidationError({"state": _("没有这个状态。")})
    qs = _invitations(meeting)
    if filters.q:
        qs = qs.filter(Q(member__name__contains=filters.q) | Q(member__mobile__contains=filters.q))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.sector:
        qs = qs.filter(member__sector=resolve_ref(Sector, request, filters.sector, "sector"))
    count = qs.count()
    items = [_invitation(i) for i in qs[filters.offset : filters.offset + filters.limit]]
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get(
    "/meetings/{int:meeting_id}/attendance",
    response=responses(200, AttendanceDetailOut),
    summary="实时出席情况(总数、按分组、按界别)",
    auth=requires("meetings.view_all"),
)
def attendance(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)

    def rows(field: str, empty: str) -> list[dict]:
        return [
            {
                "name": r[field] or empty,
                "invited": r["invited"],
                "on_leave": r["on_leave"],
                "present": r["present"],
                "absent": r["absent"],
            }
            for r in queries.attendance_by(meeting, field)
        ]

    return {
        **queries.attendance(meeting),
        "by_group": rows("group__name", _("未分组")),
        "by_sector": rows("member__sector__name", ""),
    }


# --------------------------------------------------------------------------- check-in


def _check_in_answer(result) -> dict:
    """The answer of a check-in from what the service holds (no query: the door's path is the hot one)."""
    i = result.invitation
    return {
        "already": not result.first,
        "message": result.message,
        "checked_in_at": i.checked_in_at,
        "invitation": {
            "id": i.pk,
            "member": {"id": i.member_id, "name": i.member.name},
            "state": i.state,
            "state_label": str(ATTENDANCE.state_label(i.state)),
            "seat": i.seat,
            "checkin_method": i.checkin_method,
        },
    }


class QrIn(Input):
    token: Text(500, min_length=1)


@router.post(
    "/meetings/{int:meeting_id}/check-in",
    response=responses(200, CheckInOut, 409, 422),
    summary="扫码签到(工作人员扫委员的签到二维码;重复扫码返回首次签到时间)",
    auth=requires("meetings.manage"),
)
def check_in_by_qr(request, meeting_id: int, payload: QrIn):
    meeting = _at_the_door(request, meeting_id)
    return _check_in_answer(s.check_in_by_qr(meeting=meeting, token=payload.token, by=request.user))


@router.post(
    "/meetings/{int:meeting_id}/invitations/{int:invitation_id}/check-in",
    response=responses(200, CheckInOut, 409),
    summary="工作人员代签(签到台按名单签到)",
    auth=requires("meetings.manage"),
)
def check_in_at_desk(request, meeting_id: int, invitation_id: int):
    meeting = _at_the_door(request, meeting_id)
    invitation = get_object_or_404(_invitations(meeting), pk=invitation_id)
    invitation.meeting = meeting
    return _check_in_answer(s.check_in(invitation=invitation, by=request.user, method=Invitation.Method.DESK))


class CodeIn(Input):
    code: Text(12, min_length=1)


@router.post(
    "/meetings/{int:meeting_id}/check-in/code",
    response=responses(200, CheckInOut, 409, 422),
    summary="委员用会场签到码自助签到",
    auth=requires("meetings.attend"),
)
def check_in_by_code(request, meeting_id: int, payload: CodeIn):
    meeting = _meeting(request, meeting_id)
    result = s.check_in_by_code(meeting=meeting, member=_my_member(request), code=payload.code, by=request.user)
    return _check_in_answer(result)


@router.get(
    "/meetings/{int:meeting_id}/my-qr",
    response=responses(200, QrOut),
    summary="我的签到二维码内容(离线可用:页面保存此码即可)",
    auth=requires("meetings.attend"),
)
def my_qr(request, meeting_id: int):
    invitation = _my_invitation(request, _meeting(request, meeting_id))
    return {"token": s.qr_token(invitation), "invitation": _invitation(invitation)}


# --------------------------------------------------------------------------- registration (报到)


class RegistrationIn(Input):
    materials: list[Text(30, min_length=1)] = Field(default_factory=list, max_length=20)
    signed_name: Text(50) = ""


@router.post(
    "/meetings/{int:meeting_id}/register",
    response=responses(200, InvitationOut, 409, 422),
    summary="委员网上报到(核对信息、领取材料、签署承诺书)",
    auth=requires("meetings.attend"),
)
def register_mine(request, meeting_id: int, payload: RegistrationIn):
    invitation = _my_invitation(request, _meeting(request, meeting_id))
    s.registration_complete(invitation=invitation, by=request.user, **payload.model_dump())
    return _invitation(_invitations(invitation.meeting).get(pk=invitation.pk))


@router.post(
    "/meetings/{int:meeting_id}/invitations/{int:invitation_id}/register",
    response=responses(200, InvitationOut, 409, 422),
    summary="报到台为委员办理报到",
    auth=requires("meetings.manage"),
)
def register_at_desk(request, meeting_id: int, invitation_id: int, payload: RegistrationIn):
    meeting = _managed(request, meeting_id)
    invitation = get_object_or_404(_invitations(meeting), pk=invitation_id)
    invitation.meeting = meeting
    s.registration_complete(invitation=invitation, by=request.user, **payload.model_dump())
    return _invitation(_invitations(meeting).get(pk=invitation.pk))


# --------------------------------------------------------------------------- leave (请假)


class LeaveIn(Input):
    reason: Text(1000, min_length=1)


class DecideLeaveIn(Input):
    approve: bool
    reason: Text(1000) = ""


def _leaves(meeting: Meeting):
    return LeaveRequest.objects.filter(invitation__meeting=meeting).select_related("invitation__member")


@router.post(
    "/meetings/{int:meeting_id}/leave",
    response=responses(201, LeaveOut, 409, 422),
    summary="请假",
    auth=requires("meetings.attend"),
)
def leave_request(request, meeting_id: int, payload: LeaveIn):
    invitation = _my_invitation(request, _meeting(request, meeting_id))
    leave = s.leave_request(invitation=invitation, by=request.user, reason=payload.reason)
    return Status(201, _leave(_leaves(invitation.meeting).get(pk=leave.pk)))


@router.get(
    "/meetings/{int:meeting_id}/leave",
    response=responses(200, list[LeaveOut]),
    summary="请假申请(工作人员:全部;委员:本人的)",
    auth=requires("core.use"),
)
def leave_list(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    qs = _leaves(meeting)
    if not _staff(request):
        qs = qs.filter(invitation__member=_my_member(request))
    return [_leave(x) for x in qs]


@router.post(
    "/meetings/{int:meeting_id}/leave/{int:leave_id}/decide",
    response=responses(200, LeaveOut, 409, 422),
    summary="审批请假(批准或不准假,不准须填理由)",
    auth=requires("meetings.manage"),
)
def leave_decide(request, meeting_id: int, leave_id: int, payload: DecideLeaveIn):
    meeting = _managed(request, meeting_id)
    leave = get_object_or_404(_leaves(meeting), pk=leave_id)
    s.leave_decide(leave=leave, by=request.user, approve=payload.approve, reason=payload.reason)
    return _leave(_leaves(meeting).get(pk=leave_id))


# --------------------------------------------------------------------------- speeches (大会发言)


class SpeechIn(Input):
    kind: Literal["oral", "written"] = "oral"
    title: Text(120, min_length=1)
    text: Text(20000, min_length=1)


class DecideSpeechIn(Input):
    action: Literal["select", "to_written", "decline"]
    order: int | None = Field(None, ge=1, le=999)
    reason: Text(1000) = ""


def _speeches(meeting: Meeting):
    return Speech.objects.filter(meeting=meeting).select_related("member")


@router.post(
    "/meetings/{int:meeting_id}/speeches",
    response=responses(201, SpeechOut, 409, 422),
    summary="申请大会发言或提交书面发言",
    auth=requires("meetings.attend"),
)
def speech_apply(request, meeting_id: int, payload: SpeechIn):
    meeting = _meeting(request, meeting_id)
    speech = s.speech_apply(meeting=meeting, member=_my_member(request), by=request.user, **payload.model_dump())
    return Status(201, _speech(_speeches(meeting).get(pk=speech.pk)))


@router.get(
    "/meetings/{int:meeting_id}/speeches",
    response=responses(200, list[SpeechOut]),
    summary="发言(工作人员:全部;委员:本人的)",
    auth=requires("core.use"),
)
def speech_list(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    qs = _speeches(meeting)
    if not _staff(request):
        qs = qs.filter(member=_my_member(request))
    return [_speech(x) for x in qs]


@router.post(
    "/meetings/{int:meeting_id}/speeches/{int:speech_id}/decide",
    response=responses(200, SpeechOut, 409, 422),
    summary="安排大会发言、列为书面发言或不安排",
    auth=requires("meetings.manage"),
)
def speech_decide(request, meeting_id: int, speech_id: int, payload: DecideSpeechIn):
    meeting = _managed(request, meeting_id)
    speech = get_object_or_404(_speeches(meeting), pk=speech_id)
    if payload.action == "select" and payload.order is None:
        raise ValidationError({"order": _("请填写发言顺序。")})
    s.speech_decide(speech=speech, by=request.user, **payload.model_dump())
    return _speech(_speeches(meeting).get(pk=speech_id))


@router.post(
    "/meetings/{int:meeting_id}/leave/{int:leave_id}/withdraw",
    response=responses(200, LeaveOut, 409),
    summary="撤回本人待审批的请假",
    auth=requires("meetings.attend"),
)
def leave_withdraw(request, meeting_id: int, leave_id: int):
    meeting = _meeting(request, meeting_id)
    leave = get_object_or_404(_leaves(meeting), pk=leave_id)
    s.leave_withdraw(leave=leave, by=request.user)
    return _leave(_leaves(meeting).get(pk=leave_id))


@router.post(
    "/meetings/{int:meeting_id}/speeches/{int:speech_id}/withdraw",
    response=responses(200, SpeechOut, 409),
    summary="撤回本人的发言申请(已申请或已安排的大会发言;已安排的撤回后通知会务组)",
    auth=requires("meetings.attend"),
)
def speech_withdraw(request, meeting_id: int, speech_id: int):
    meeting = _meeting(request, meeting_id)
    speech = get_object_or_404(_speeches(meeting), pk=speech_id)
    s.speech_withdraw(speech=speech, by=request.user)
    return _speech(_speeches(meeting).get(pk=speech_id))


# --------------------------------------------------------------------------- seat plan (座位图)


class SeatPlanIn(Input):
    rows: int = Field(ge=1, le=seats.MAX_ROWS)
    seats_per_row: int = Field(ge=1, le=seats.MAX_SEATS_PER_ROW)
    reserved_rows: list[int] = Field(default_factory=list, max_length=seats.MAX_ROWS)
    reserved_label: Text(30) = ""


class SeatAutoIn(Input):
    order: Literal["sector", "group"] = "sector"


class SeatIn(Input):
    row: int | None = Field(None, ge=1, le=seats.MAX_ROWS)  # row and number both null: the seat is taken away
    number: int | None = Field(None, ge=1, le=seats.MAX_SEATS_PER_ROW)
    swap: bool = False  # the seat is held by another member: exchange the two members' seats


class SeatsClearIn(Input):
    remove_plan: bool = False  # also delete the hall (rows × seats)


class HallOut(Schema):
    rows: int
    seats_per_row: int
    reserved_rows: list[int]
    reserved_label: str


class SeatOut(Schema):
    invitation_id: int
    member: Ref
    sector: str
    group: Ref | None
    state: str
    row: int | None
    number: int | None
    seat: str


class SeatPlanOut(Schema):
    plan: HallOut | None
    seated: int
    items: list[SeatOut]  # every invited member, seated ones first in seat order


def _seat(i: Invitation) -> dict:
    return {
        "invitation_id": i.pk,
        "member": {"id": i.member_id, "name": i.member.name},
        "sector": i.member.sector.name,
        "group": ref(i.group) if i.group_id else None,
        "state": i.state,
        "row": i.seat_row,
        "number": i.seat_number,
        "seat": i.seat,
    }


def _seat_plan(meeting: Meeting) -> dict:
    plan = SeatPlan.objects.filter(meeting=meeting).first()
    items = [_seat(i) for i in seats.seat_list(meeting)]
    return {
        "plan": {
            "rows": plan.rows,
            "seats_per_row": plan.seats_per_row,
            "reserved_rows": list(plan.reserved_rows or []),
            "reserved_label": plan.reserved_label,
        }
        if plan
        else None,
        "seated": sum(1 for i in items if i["row"]),
        "items": items,
    }


@router.get(
    "/meetings/{int:meeting_id}/seats",
    response=responses(200, SeatPlanOut),
    summary="座位图:会场设置和每位受邀委员的座位",
    auth=requires("meetings.view_all"),
)
def seat_list(request, meeting_id: int):
    return _seat_plan(_meeting(request, meeting_id))


@router.put(
    "/meetings/{int:meeting_id}/seats/plan",
    response=responses(200, SeatPlanOut, 409, 422),
    summary="设置会场:排数、每排座位数、预留排",
    auth=requires("meetings.manage"),
)
def seat_plan_arrange(request, meeting_id: int, payload: SeatPlanIn):
    meeting = _managed(request, meeting_id)
    seats.plan_arrange(meeting=meeting, by=request.user, **payload.model_dump())
    return _seat_plan(meeting)


@router.post(
    "/meetings/{int:meeting_id}/seats/auto",
    response=responses(200, SeatPlanOut, 409, 422),
    summary="自动排座(按界别再按姓名,或按讨论组;预留排除外)",
    auth=requires("meetings.manage"),
)
def seats_auto_assign(request, meeting_id: int, payload: SeatAutoIn):
    meeting = _managed(request, meeting_id)
    seats.seats_auto_assign(meeting=meeting, by=request.user, order=payload.order)
    return _seat_plan(meeting)


@router.post(
    "/meetings/{int:meeting_id}/invitations/{int:invitation_id}/seat",
    response=responses(200, SeatOut, 409, 422),
    summary="手动安排或交换一位委员的座位(排号、座号都为空则取消座位)",
    auth=requires("meetings.manage"),
)
def seat_assign(request, meeting_id: int, invitation_id: int, payload: SeatIn):
    meeting = _managed(request, meeting_id)
    invitation = get_object_or_404(_invitations(meeting), pk=invitation_id)
    if (payload.row is None) != (payload.number is None):
        raise ValidationError(_("请同时填写排号和座号;都不填则取消该委员的座位。"))
    invitation.meeting = meeting
    seats.seat_assign(invitation=invitation, by=request.user, row=payload.row, number=payload.number, swap=payload.swap)
    return _seat(_invitations(meeting).get(pk=invitation_id))


@router.post(
    "/meetings/{int:meeting_id}/seats/clear",
    response=responses(200, SeatPlanOut, 409),
    summary="清空全部座位(可同时删除会场设置)",
    auth=requires("meetings.manage"),
)
def seats_clear(request, meeting_id: int, payload: SeatsClearIn):
    meeting = _managed(request, meeting_id)
    seats.seats_clear(meeting=meeting, by=request.user, remove_plan=payload.remove_plan)
    return _seat_plan(meeting)
