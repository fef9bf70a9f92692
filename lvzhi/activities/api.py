"""API of duty activities (履职活动) and reading (书香政协): every action of the pages through the services.

Who does what (perms of lvzhi/core/permissions.py): activities staff (activities.manage) create, update,
publish, close and cancel activities, cancel a member's sign-up, add photos and outcomes, keep books and
reading groups; staff and leaders (activities.view_all) read every activity with its sign-ups and the
reading participation; members (activities.join) read the activities open to them, sign up (confirmed or
waitlisted), cancel, fetch their check-in QR token, check in with the six-digit code, submit reports and
photos, and record their reading.

Reads: a member sees published, closed or cancelled activities within their scope or that they signed up
to; a draft, another scope's or another committee's activity answers 404. Errors as in lvzhi/core/api.py:
TransitionRefused → 409 (signing up twice, after the deadline, to a closed activity, outside the scope),
ValidationError → 422, PermissionDenied → 403."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError

from lvzhi.core.api import MAX_ID, Id, Input, Text, current_member, require_member, requires, resolve_ref, responses
from lvzhi.meetings import services as meetings
from lvzhi.org.models import Member, Sector, SpecialCommittee, Studio

from . import queries, services
from . import services_content as content
from . import services_reading as reading
from .models import Activity, Book, Outcome, ReadingGroup, SignUp
from .workflow import ACTIVITY, SIGNUP

router = Router(tags=["履职活动"])


# --------------------------------------------------------------------------- schemas


class MySignUpOut(Schema):
    id: int
    state: str
    state_label: str
    position: int | None  # place on the waiting list (1 = next), when waitlisted
    created_at: dt.datetime


class ActivityOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    description: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    signup_deadline: dt.datetime
    capacity: int | None
    confirmed: int
    waitlisted: int
    organiser: str
    audience: str
    audience_label: str
    state: str
    state_label: str
    meeting_id: int | None  # the meetings.Meeting of kind "activity" behind it (check-in)
    mine: MySignUpOut | None


class SignUpOut(Schema):
    id: int
    member_id: int
    member: str
    sector: str
    state: str
    state_label: str
    position: int | None
    created_at: dt.datetime
    attendance: str  # the meeting invitation's state: invited / present / absent (confirmed only)


class QrOut(Schema):
    token: str


class CheckInOut(Schema):
    already: bool
    message: str
    checked_in_at: dt.datetime


class ReportOut(Schema):
    id: int
    activity_id: int
    title: str
    text: str
    lead_id: int
    authors: list[int]
    files: list[str]
    created_at: dt.datetime


class PhotoOut(Schema):
    id: int
    caption: str
    url: str
    member_id: int | None


class OutcomeOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    url: str


class BookOut(Schema):
    id: int
    title: str
    author: str


class GroupOut(Schema):
    id: int
    name: str
    description: str
    convener_id: int | None
    members: list[int]
    books: list[int]


class RecordOut(Schema):
    id: int
    member_id: int
    book: BookOut
    group_id: int | None
    read_on: dt.date
    notes: str


class ParticipationRow(Schema):
    name: str
    members: int
    readers: int
    records: int


class ParticipationOut(Schema):
    records: int
    readers: int
    members: int
    books: int
    by_group: list[ParticipationRow]
    by_sector: list[ParticipationRow]


# --------------------------------------------------------------------------- helpers


def _staff(request) -> bool:
    return request.user.has_perm("activities.view_all", request.committee)


_member = current_member  # the caller's member row in this committee, or None
_my_member = require_member  # the same, or 403


def _activity(request, activity_id: int) -> Activity:
    """An activity the caller may see, else 404."""
    if not 1 <= activity_id <= MAX_ID:
        raise Http404
    if _staff(request):
        qs = queries.activities(request.committee)
    else:
        member = _member(request)
        if member is None:
            raise Http404
        qs = queries.visible_to_member(request.committee, member)
    return get_object_or_404(qs, pk=activity_id)


def _managed(request, activity_id: int) -> Activity:
    if not 1 <= activity_id <= MAX_ID:
        raise Http404
    return get_object_or_404(queries.activities(request.committee), pk=activity_id)


def _out(request, a: Activity, mine_by_activity: dict | None = None) -> dict:
    member = _member(request)
    mine = None
    if member is not None:
        if mine_by_activity is not None:
            s = mine_by_activity.get(a.pk)
        else:
            s = SignUp.objects.filter(activity=a, member=member).order_by("-id").first()
        if s is not None:
            mine = {
                "id": s.pk,
                "state": s.state,
                "state_label": str(SIGNUP.state_label(s.state)),
                "position": services.waitlist_position(s),
                "created_at": s.created_at,
            }
    return {
        "id": a.pk,
        "kind": a.kind,
        "kind_label": str(a.get_kind_display()),
        "title": a.title,
        "description": a.description,
        "place": a.place,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "signup_deadline": a.signup_deadline,
        "capacity": a.capacity,
        "confirmed": a.n_confirmed if hasattr(a, "n_confirmed") else a.signups.filter(state="confirmed").count(),
        "waitlisted": a.n_waitlisted if hasattr(a, "n_waitlisted") else a.signups.filter(state="waitlisted").count(),
        "organiser": a.organiser_label,
        "audience": a.audience,
        "audience_label": a.audience_label,
        "state": a.state,
        "state_label": str(ACTIVITY.state_label(a.state)),
        "meeting_id": a.meeting_id,
        "mine": mine,
    }


def _fresh(request, activity_id: int) -> dict:
    return _out(request, _activity(request, activity_id))


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


# --------------------------------------------------------------------------- reads


@router.get("/activities", response=responses(200, list[ActivityOut]), summary="活动列表", auth=requires("core.use"))
def activity_list(request, state: str = "", open: bool = False):
    """Staff and leaders: every activity; members: those visible to them (open=true: open for sign-up now)."""
    if _staff(request):
        qs = queries.activities(request.committee)
    elif request.user.has_perm("activities.join", request.committee):
        member = _my_member(request)
        qs = (
            queries.open_for(request.committee, member)
            if open
            else queries.visible_to_member(request.committee, member)
        )
    else:
        raise PermissionDenied(_("您在本委员会没有执行此操作的权限。"))
    if state:
        if state not in ACTIVITY.states:
            raise ValidationError({"state": _("没有这个状态。")})
        qs = qs.filter(state=state)
    member = _member(request)
    mine = queries.my_signups(member) if member is not None else {}
    return [_out(request, a, mine) for a in queries.with_counts(qs).order_by("-starts_at", "-id")[:200]]


@router.get(
    "/activities/{int:activity_id}", response=responses(200, ActivityOut), summary="活动详情", auth=requires("core.use")
)
def activity_detail(request, activity_id: int):
    return _fresh(request, activity_id)


@router.get(
    "/activities/{int:activity_id}/signups",
    response=responses(200, list[SignUpOut]),
    summary="报名名单(含候补顺序)",
    auth=requires("activities.view_all"),
)
def signup_list(request, activity_id: int):
    activity = _managed(request, activity_id)
    confirmed, waiting, cancelled = queries.signups(activity)
    states = {}
    if activity.meeting_id:
        states = dict(activity.meeting.invitations.values_list("member_id", "state"))
    return [
        {
            "id": s.pk,
            "member_id": s.member_id,
            "member": s.member.name,
            "sector": s.member.sector.name,
            "state": s.state,
            "state_label": str(SIGNUP.state_label(s.state)),
            "position": getattr(s, "position", None),
            "created_at": s.created_at,
            "attendance": states.get(s.member_id, "") if s.state == "confirmed" else "",
        }
        for s in confirmed + waiting + cancelled
    ]


# --------------------------------------------------------------------------- staff writes


class ActivityIn(Input):
    kind: Literal[tuple(Activity.Kind.values)]  # type: ignore[valid-type]
    title: Text(120, min_length=1)
    description: Text(5000) = ""
    place: Text(120, min_length=1)
    starts_at: dt.datetime
    ends_at: dt.datetime
    signup_deadline: dt.datetime
    capacity: int | None = Field(None, ge=1, le=100000)
    organiser_special: Id | None = None
    organiser_studio: Id | None = None
    audience: Literal[tuple(Activity.Audience.values)] = "all"  # type: ignore[valid-type]
    audience_sector: Id | None = None
    audience_special: Id | None = None
    audience_studio: Id | None = None
    self_checkin: bool = True


REFS = {
    "organiser_special": SpecialCommittee,
    "organiser_studio": Studio,
    "audience_sector": Sector,
    "audience_special": SpecialCommittee,
    "audience_studio": Studio,
}


def _values(request, payload: Input, *, partial: bool = False) -> dict:
    values = payload.model_dump(exclude_unset=partial)
    for name, model in REFS.items():
        if name in values:
            values[name] = resolve_ref(model, request, values[name], name)
    for name in ("starts_at", "ends_at", "signup_deadline"):
        if name in values:
            if values[name] is None:
                raise ValidationError({name: _("此项不能为空。")})
            values[name] = _aware(values[name])
    return values


@router.post(
    "/activities", response=responses(201, ActivityOut, 422), summary="新建活动", auth=requires("activities.manage")
)
def activity_create(request, payload: ActivityIn):
    activity = services.activity_create(committee=request.committee, by=request.user, **_values(request, payload))
    return Status(201, _fresh(request, activity.pk))


class ActivityPatch(Input):
    kind: Literal[tuple(Activity.Kind.values)] | None = None  # type: ignore[valid-type]
    title: Text(120, min_length=1) | None = None
    description: Text(5000) | None = None
    place: Text(120, min_length=1) | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    signup_deadline: dt.datetime | None = None
    capacity: int | None = Field(None, ge=1, le=100000)
    organiser_special: Id | None = None
    organiser_studio: Id | None = None
    audience: Literal[tuple(Activity.Audience.values)] | None = None  # type: ignore[valid-type]
    audience_sector: Id | None = None
    audience_special: Id | None = None
    audience_studio: Id | None = None
    self_checkin: bool | None = None


@router.patch(
    "/activities/{int:activity_id}",
    response=responses(200, ActivityOut, 409, 422),
    summary="修改活动(扩大名额时自动递补候补)",
    auth=requires("activities.manage"),
)
def activity_update(request, activity_id: int, payload: ActivityPatch):
    activity = _managed(request, activity_id)
    values = _values(request, payload, partial=True)
    for name in ("kind", "title", "place", "audience", "self_checkin", "description"):
        if name in values and values[name] is None:
            raise ValidationError({name: _("此项不能为空。")})
    services.activity_update(activity=activity, by=request.user, **values)
    return _fresh(request, activity_id)


@router.post(
    "/activities/{int:activity_id}/publish",
    response=responses(200, ActivityOut, 409),
    summary="发布活动(开放报名,建立签到)",
    auth=requires("activities.manage"),
)
def activity_publish(request, activity_id: int):
    services.activity_publish(activity=_managed(request, activity_id), by=request.user)
    return _fresh(request, activity_id)


@router.post(
    "/activities/{int:activity_id}/close",
    response=responses(200, ActivityOut, 409),
    summary="结束活动(未签到者记为缺席)",
    auth=requires("activities.manage"),
)
def activity_close(request, activity_id: int):
    services.activity_close(activity=_managed(request, activity_id), by=request.user)
    return _fresh(request, activity_id)


class ReasonIn(Input):
    reason: Text(500) = ""


@router.post(
    "/activities/{int:activity_id}/cancel",
    response=responses(200, ActivityOut, 409),
    summary="取消活动(通知已报名委员)",
    auth=requires("activities.manage"),
)
def activity_cancel(request, activity_id: int, payload: ReasonIn):
    services.activity_cancel(activity=_managed(request, activity_id), by=request.user, reason=payload.reason)
    return _fresh(request, activity_id)


@router.post(
    "/activities/{int:activity_id}/signups/{int:signup_id}/cancel",
    response=responses(200, list[SignUpOut], 409),
    summary="取消某委员的报名(候补第一位递补)",
    auth=requires("activities.manage"),
)
def signup_cancel_by_staff(request, activity_id: int, signup_id: int):
    activity = _managed(request, activity_id)
    signup = SignUp.objects.filter(activity=activity, pk=signup_id).first()
    if signup is None:
        raise Http404
    services.sign_up_cancel(signup=signup, by=request.user)
    return signup_list(request, activity_id)


# --------------------------------------------------------------------------- member actions


@router.post(
    "/activities/{int:activity_id}/signup",
    response=responses(200, ActivityOut, 409),
    summary="报名(名额已满时进入候补)",
    auth=requires("activities.join"),
)
def sign_up(request, activity_id: int):
    activity = _activity(request, activity_id)
    services.sign_up(activity=activity, member=_my_member(request), by=request.user)
    return _fresh(request, activity_id)


@router.post(
    "/activities/{int:activity_id}/signup/cancel",
    response=responses(200, ActivityOut, 409),
    summary="取消我的报名",
    auth=requires("activities.join"),
)
def sign_up_cancel(request, activity_id: int):
    activity = _activity(request, activity_id)
    signup = SignUp.objects.filter(activity=activity, member=_my_member(request), state__in=services.LIVE).first()
    if signup is None:
        raise HttpError(409, _("您没有报名本活动。"))
    services.sign_up_cancel(signup=signup, by=request.user)
    return _fresh(request, activity_id)


@router.get(
    "/activities/{int:activity_id}/my-qr",
    response=responses(200, QrOut, 409),
    summary="我的签到二维码(报名成功后)",
    auth=requires("activities.join"),
)
def my_qr(request, activity_id: int):
    activity = _activity(request, activity_id)
    invitation = services.invitation_of(activity, _my_member(request))
    if invitation is None:
        raise HttpError(409, _("您没有报名成功(或仍在候补),没有签到码。"))
    return {"token": meetings.qr_token(invitation)}


class CodeIn(Input):
    code: Text(6, min_length=6)


@router.post(
    "/activities/{int:activity_id}/checkin",
    response=responses(200, CheckInOut, 409),
    summary="输入现场签到码自助签到",
    auth=requires("activities.join"),
)
def check_in(request, activity_id: int, payload: CodeIn):
    activity = _activity(request, activity_id)
    result = services.self_check_in(activity=activity, member=_my_member(request), code=payload.code, by=request.user)
    return {"already": not result.first, "message": result.message, "checked_in_at": result.invitation.checked_in_at}


def _report(r) -> dict:
    return {
        "id": r.pk,
        "activity_id": r.activity_id,
        "title": r.title,
        "text": r.text,
        "lead_id": r.lead_id,
        "authors": [r.lead_id, *[a.pk for a in r.authors.all() if a.pk != r.lead_id]],
        "files": [f.name for f in r.files.all()],
        "created_at": r.created_at,
    }


@router.post(
    "/activities/{int:activity_id}/reports",
    response=responses(201, ReportOut, 409, 422),
    summary="提交活动报告(multipart:title、text、coauthors、files)",
    auth=requires("activities.join"),
)
def report_submit(
    request,
    activity_id: int,
    title: Form[Text(120, min_length=1)],
    text: Form[Text(20000, min_length=1)],
    coauthors: Form[list[Id]] = None,
    files: File[list[UploadedFile]] = None,
):
    activity = _activity(request, activity_id)
    others = [resolve_ref(Member, request, pk, "coauthors") for pk in dict.fromkeys(coauthors or [])]
    report = content.report_submit(
        activity=activity,
        member=_my_member(request),
        by=request.user,
        title=title,
        text=text,
        coauthors=others,
        files=files or [],
    )
    return Status(201, _report(report))


@router.get(
    "/activities/{int:activity_id}/reports",
    response=responses(200, list[ReportOut]),
    summary="活动报告",
    auth=requires("core.use"),
)
def report_list(request, activity_id: int):
    activity = _activity(request, activity_id)
    qs = activity.reports.prefetch_related("authors", "files")
    if not _staff(request):
        qs = qs.filter(authors=_my_member(request))
    return [_report(r) for r in qs]


def _photo(p) -> dict:
    return {"id": p.pk, "caption": p.caption, "url": f"/activities/files/photo/{p.pk}/", "member_id": p.member_id}


@router.post(
    "/activities/{int:activity_id}/photos",
    response=responses(201, PhotoOut, 409, 422),
    summary="上传活动照片(multipart:photo、caption;JPG、PNG 或 WebP)",
    auth=requires("core.use"),
)
def photo_add(request, activity_id: int, photo: File[UploadedFile], caption: Form[Text(120)] = ""):
    activity = _activity(request, activity_id)
    if request.user.has_perm("activities.manage", request.committee):
        member = None
    elif request.user.has_perm("activities.join", request.committee):
        member = _my_member(request)
    else:
        raise PermissionDenied(_("您没有上传活动照片的权限。"))
    obj = content.photo_add(activity=activity, by=request.user, upload=photo, caption=caption, member=member)
    return Status(201, _photo(obj))


@router.delete(
    "/activities/{int:activity_id}/photos/{int:photo_id}",
    response={204: None, **responses(204, None)},
    summary="删除活动照片(上传者或工作人员)",
    auth=requires("core.use"),
)
def photo_delete(request, activity_id: int, photo_id: int):
    photo = get_object_or_404(_activity(request, activity_id).photos, pk=photo_id)
    content.photo_delete(photo=photo, by=request.user)
    return Status(204, None)


@router.get(
    "/activities/{int:activity_id}/photos",
    response=responses(200, list[PhotoOut]),
    summary="活动照片",
    auth=requires("core.use"),
)
def photo_list(request, activity_id: int):
    return [_photo(p) for p in _activity(request, activity_id).photos.all()]


def _outcome(o) -> dict:
    return {
        "id": o.pk,
        "kind": o.kind,
        "title": o.title,
        "summary": o.summary,
        "url": f"/activities/files/outcome/{o.pk}/" if o.file else "",
    }


@router.post(
    "/activities/{int:activity_id}/outcomes",
    response=responses(201, OutcomeOut, 409, 422),
    summary="添加活动成果(multipart:kind、title、summary、file 可选)",
    auth=requires("activities.manage"),
)
def outcome_add(
    request,
    activity_id: int,
    kind: Form[Literal[tuple(Outcome.Kind.values)]],  # type: ignore[valid-type]
    title: Form[Text(120, min_length=1)],
    summary: Form[Text(5000)] = "",
    file: File[UploadedFile] = None,
):
    activity = _managed(request, activity_id)
    obj = content.outcome_add(activity=activity, by=request.user, kind=kind, title=title, summary=summary, upload=file)
    return Status(201, _outcome(obj))


@router.delete(
    "/activities/{int:activity_id}/outcomes/{int:outcome_id}",
    response={204: None, **responses(204, None)},
    summary="删除活动成果",
    auth=requires("activities.manage"),
)
def outcome_delete(request, activity_id: int, outcome_id: int):
    outcome = get_object_or_404(_managed(request, activity_id).outcomes, pk=outcome_id)
    content.outcome_delete(outcome=outcome, by=request.user)
    return Status(204, None)


@router.get(
    "/activities/{int:activity_id}/outcomes",
    response=responses(200, list[OutcomeOut]),
    summary="活动成果",
    auth=requires("core.use"),
)
def outcome_list(request, activity_id: int):
    return [_outcome(o) for o in _activity(request, activity_id).outcomes.all()]


# --------------------------------------------------------------------------- reading


def _book(b) -> dict:
    return {"id": b.pk, "title": b.title, "author": b.author}


@router.get("/reading/books", response=responses(200, list[BookOut]), summary="书目", auth=requires("core.use"))
def book_list(request):
    return [_book(b) for b in Book.objects.for_committee(request.committee)]


class BookIn(Input):
    title: Text(120, min_length=1)
    author: Text(120) = ""


@router.post(
    "/reading/books", response=responses(201, BookOut, 422), summary="添加图书", auth=requires("activities.manage")
)
def book_add(request, payload: BookIn):
    book = reading.book_add(committee=request.committee, by=request.user, **payload.model_dump())
    return Status(201, _book(book))


def _group(g) -> dict:
    return {
        "id": g.pk,
        "name": g.name,
        "description": g.description,
        "convener_id": g.convener_id,
        "members": list(g.members.values_list("pk", flat=True)),
        "books": list(g.books.values_list("pk", flat=True)),
    }


@router.get("/reading/groups", response=responses(200, list[GroupOut]), summary="读书小组", auth=requires("core.use"))
def group_list(request):
    qs = ReadingGroup.objects.for_committee(request.committee)
    if not _staff(request):
        qs = qs.filter(members=_my_member(request))
    return [_group(g) for g in qs]


class GroupIn(Input):
    name: Text(60, min_length=1)
    description: Text(2000) = ""
    convener: Id | None = None
    members: list[Id] = Field(default_factory=list, max_length=3000)
    books: list[Id] = Field(default_factory=list, max_length=200)


def _group_args(request, payload: GroupIn) -> dict:
    return {
        "name": payload.name,
        "description": payload.description,
        "convener": resolve_ref(Member, request, payload.convener, "convener"),
        "members": [resolve_ref(Member, request, pk, "members") for pk in dict.fromkeys(payload.members)],
        "books": [resolve_ref(Book, request, pk, "books") for pk in dict.fromkeys(payload.books)],
    }


@router.post(
    "/reading/groups",
    response=responses(201, GroupOut, 422),
    summary="新建读书小组",
    auth=requires("activities.manage"),
)
def group_create(request, payload: GroupIn):
    group = reading.group_save(committee=request.committee, by=request.user, **_group_args(request, payload))
    return Status(201, _group(group))


@router.put(
    "/reading/groups/{int:group_id}",
    response=responses(200, GroupOut, 422),
    summary="修改读书小组",
    auth=requires("activities.manage"),
)
def group_update(request, group_id: int, payload: GroupIn):
    group = get_object_or_404(ReadingGroup.objects.for_committee(request.committee), pk=group_id)
    group = reading.group_save(
        committee=request.committee, by=request.user, group=group, **_group_args(request, payload)
    )
    return _group(group)


def _record(r) -> dict:
    return {
        "id": r.pk,
        "member_id": r.member_id,
        "book": _book(r.book),
        "group_id": r.group_id,
        "read_on": r.read_on,
        "notes": r.notes,
    }


@router.get(
    "/reading/records",
    response=responses(200, list[RecordOut]),
    summary="我的读书记录",
    auth=requires("activities.join"),
)
def record_list(request):
    member = _my_member(request)
    return [_record(r) for r in member.reading_records.select_related("book")[:500]]


class RecordIn(Input):
    book: Id
    read_on: dt.date
    notes: Text(5000)
    group: Id | None = None


@router.post(
    "/reading/records",
    response=responses(201, RecordOut, 422),
    summary="记录读书(书名、日期、心得)",
    auth=requires("activities.join"),
)
def record_add(request, payload: RecordIn):
    record = reading.record_add(
        member=_my_member(request),
        by=request.user,
        book=resolve_ref(Book, request, payload.book, "book"),
        group=resolve_ref(ReadingGroup, request, payload.group, "group"),
        read_on=payload.read_on,
        notes=payload.notes,
    )
    return Status(201, _record(record))


@router.get(
    "/reading/participation",
    response=responses(200, ParticipationOut),
    summary="读书参与情况(按小组、按界别)",
    auth=requires("activities.view_all"),
)
def participation(request, year: int | None = None):
    stats = queries.participation(request.committee, year=year)
    return {
        **stats["totals"],
        "by_group": [
            {"name": r["group"].name, "members": r["members"], "readers": r["readers"], "records": r["records"]}
            for r in stats["by_group"]
        ],
        "by_sector": [
            {"name": r["sector__name"], "members": r["members"], "readers": r["readers"], "records": r["records"]}
            for r in stats["by_sector"]
        ],
    }
