"""API of public-opinion reports (社情民意): every action of the pages through lvzhi/opinions/services.py.

Who does what (perms of lvzhi/core/permissions.py): writers — members and reporters (信息员) —
(opinions.submit) write drafts, submit, withdraw and read their own reports with the way up (forwards,
adoptions, instructions); opinions staff (opinions.edit) read the queue, edit (采编), send back, accept,
refuse, combine, create bulletin issues, publish and forward to the parent committee; opinions staff
(opinions.record_adoption) record adoptions (采用, one per level) and instructions (批示); staff and leaders
(opinions.view_all) read every report and the statistics.

Residents' private data (resident_*) is answered only to the committee's opinions staff and to the person
who entered it; otherwise those fields are null. Another committee's report is 404. Errors as in
lvzhi/core/api.py: TransitionRefused → 409 (forwarded twice, adopted twice at a level, wrong state),
ValidationError → 422 (too long, missing parts), PermissionDenied → 403."""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from lvzhi.core.api import MAX_ID, Id, Input, Page, Ref, Text, check, requires, responses
from lvzhi.core.api import get_scoped as _get_scoped
from lvzhi.org.models import Member

from . import queries
from . import services as s
from .models import BulletinIssue, Level, OpinionReport
from .similarity import similar
from .workflow import REPORT

router = Router(tags=["社情民意"])

LevelIn = Literal["district", "city", "province", "national"]


class AuthorOut(Schema):
    id: int
    name: str
    sector: str


class ReportSummaryOut(Schema):
    id: int
    title: str
    topic: str
    source: str
    state: str
    state_label: str
    authors: list[AuthorOut]
    issue: str | None
    forwarded_from: Ref | None
    submitted_at: dt.datetime | None


class AdoptionOut(Schema):
    id: int
    level: str
    level_label: str
    body: str
    date: dt.date
    committee: Ref


class InstructionOut(Schema):
    id: int
    level: str
    level_label: str
    leader: str
    text: str
    date: dt.date
    committee: Ref


class ForwardOut(Schema):
    id: int
    committee: Ref
    state: str
    state_label: str


class ReportOut(ReportSummaryOut):
    situation: str
    suggestion: str
    original_title: str
    original_situation: str
    original_suggestion: str
    edited: bool
    contact_point: Ref | None
    studio: Ref | None
    resident_name: str | None
    resident_phone: str | None
    resident_notes: str | None
    combined_into: int | None
    forwards: list[ForwardOut]
    adoptions: list[AdoptionOut]
    instructions: list[InstructionOut]
    actions: list[str]


class ReportPageOut(Page):
    items: list[ReportSummaryOut]


class IssueOut(Schema):
    id: int
    year: int
    number: int
    label: str
    title: str
    date: dt.date
    reports: list[int]


class SimilarOut(Schema):
    id: int
    title: str
    score: float


class StatsOut(Schema):
    totals: dict[str, int]
    adopted_by_level: dict[str, int]
    instructed_by_level: dict[str, int]
    by_topic: dict[str, dict[str, int]]
    by_sector: dict[str, dict[str, int]]
    by_author: list[dict]


def get_scoped(model, request, pk):
    """A row of the current committee; an id no database could hold is simply not found."""
    if not 1 <= pk <= MAX_ID:
        raise Http404
    return _get_scoped(model, request, pk)


def _ref(obj):
    return None if obj is None else {"id": obj.pk, "name": str(getattr(obj, "name", obj))}


def _summary(r: OpinionReport) -> dict:
    return {
        "id": r.pk,
        "title": r.title,
        "topic": r.topic,
        "source": r.source,
        "state": r.state,
        "state_label": REPORT.state_label(r.state),
        "authors": [
            {"id": a.member.pk, "name": a.member.name, "sector": a.member.sector.name}
            for a in r.author_rows.all()  # prefetched by the lists
        ],
        "issue": str(r.issue) if r.issue_id else None,
        "forwarded_from": _ref(r.forwarded_from.committee) if r.forwarded_from_id else None,
        "submitted_at": r.submitted_at,
    }


def _detail(request, r: OpinionReport) -> dict:
    private = s.can_see_private(r, request.user)
    chain = queries.chain(r)
    staff = request.user.has_perm("opinions.edit", request.committee)
    actions = [t.action for t in REPORT.available(r, request.roles)] if staff else []
    if not staff and s.is_owner(r, request.user):
        actions = [t.action for t in REPORT.available(r, request.roles)]
    return {
        **_summary(r),
        "situation": r.situation,
        "suggestion": r.suggestion,
        "original_title": r.original_title,
        "original_situation": r.original_situation,
        "original_suggestion": r.original_suggestion,
        "edited": bool(r.edited_at),
        "contact_point": _ref(r.contact_point),
        "studio": _ref(r.studio),
        "resident_name": r.resident_name if private else None,
        "resident_phone": r.resident_phone if private else None,
        "resident_notes": r.resident_notes if private else None,
        "combined_into": r.combined_into_id,
        "forwards": [
            {"id": c.pk, "committee": _ref(c.committee), "state": c.state, "state_label": c.state_label}
            for c in chain["copies"]
        ],
        "adoptions": [
            {
                "id": a.pk,
                "level": a.level,
                "level_label": str(Level(a.level).label),
                "body": a.body,
                "date": a.date,
                "committee": _ref(a.committee),
            }
            for a in chain["adoptions"]
        ],
        "instructions": [
            {
                "id": i.pk,
                "level": i.level,
                "level_label": str(Level(i.level).label),
                "leader": i.leader,
                "text": i.text,
                "date": i.date,
                "committee": _ref(i.committee),
            }
            for i in chain["instructions"]
        ],
        "actions": actions,
    }


def _readable(request, report_id: int) -> OpinionReport:
    """Staff and leaders read every report of the committee; writers their own."""
    if not 1 <= report_id <= MAX_ID:
        raise Http404
    if request.user.has_perm("opinions.view_all", request.committee):
        return get_scoped(OpinionReport, request, report_id)
    check(request, "opinions.submit")
    return get_object_or_404(queries.mine(request.committee, request.user), pk=report_id)


def _mine(request, report_id: int) -> OpinionReport:
    if not 1 <= report_id <= MAX_ID:
        raise Http404
    return get_object_or_404(queries.mine(request.committee, request.user), pk=report_id)


# --------------------------------------------------------------------------- writers


class ReportIn(Input):
    title: Text(120, min_length=1)
    topic: Text(30) = ""
    situation: Text(20000) = ""
    suggestion: Text(20000) = ""
    source: Literal["", "member", "contact_point", "studio"] = ""
    resident_name: Text(50) = ""
    resident_phone: Text(30) = ""
    resident_notes: Text(1000) = ""
    authors: list[Id] | None = None  # further authors (members of this committee) after the writer; None keeps them


def _co_authors(request, ids):
    if ids is None:
        return None
    members = {m.pk: m for m in Member.objects.for_committee(request.committee).filter(pk__in=ids)}
    if len(members) != len(set(ids)):
        raise ValidationError({"authors": _("作者须是本委员会的委员。")})
    return [members[i] for i in ids]


@router.get("/opinions/mine", response=responses(200, list[ReportSummaryOut]), auth=requires("opinions.submit"))
def my_reports(request):
    """我的社情民意: reports I wrote or am an author of."""
    rows = (
        queries.mine(request.committee, request.user)
        .select_related("issue", "forwarded_from__committee")
        .prefetch_related("author_rows__member__sector")
    )
    return [_summary(r) for r in rows]


@router.post(
    "/opinions", response=responses(201, ReportOut, 409, 422), auth=requires("opinions.submit"), summary="新建草稿"
)
def report_create(request, payload: ReportIn):
    values = payload.dict(exclude={"authors"})
    report = s.draft_save(
        committee=request.committee, by=request.user, values=values, co_authors=_co_authors(request, payload.authors)
    )
    return Status(201, _detail(request, report))


@router.patch("/opinions/{report_id}", response=responses(200, ReportOut, 409, 422), auth=requires("opinions.submit"))
def report_update(request, report_id: int, payload: ReportIn):
    report = _mine(request, report_id)
    values = payload.dict(exclude={"authors"})
    report = s.draft_save(
        committee=request.committee,
        by=request.user,
        values=values,
        report=report,
        co_authors=_co_authors(request, payload.authors),
    )
    return _detail(request, report)


@router.post(
    "/opinions/{report_id}/submit", response=responses(200, ReportOut, 409, 422), auth=requires("opinions.submit")
)
def report_submit(request, report_id: int):
    report = _mine(request, report_id)
    s.report_submit(report=report, by=request.user)
    return _detail(request, report)


class ReasonIn(Input):
    reason: Text(1000) = ""


class RequiredReasonIn(Input):
    reason: Text(1000, min_length=1)


@router.post(
    "/opinions/{report_id}/withdraw", response=responses(200, ReportOut, 409), auth=requires("opinions.submit")
)
def report_withdraw(request, report_id: int, payload: ReasonIn):
    report = _mine(request, report_id)
    s.report_withdraw(report=report, by=request.user, reason=payload.reason)
    return _detail(request, report)


class SimilarIn(Input):
    title: Text(120) = ""
    situation: Text(20000) = ""
    suggestion: Text(20000) = ""
    exclude: Id | None = None


@router.post("/opinion-similar", response=responses(200, list[SimilarOut]), auth=requires("opinions.submit"))
def report_similar(request, payload: SimilarIn):
    """Similar earlier reports of this committee (empty when the text is too short)."""
    matches = similar(
        request.committee,
        title=payload.title,
        situation=payload.situation,
        suggestion=payload.suggestion,
        exclude_id=payload.exclude,
    )
    return [{"id": m.report.pk, "title": m.report.title, "score": round(m.score, 3)} for m in matches or []]


@router.get("/opinions/{report_id}", response=responses(200, ReportOut), auth=requires("core.use"))
def report_detail(request, report_id: int):
    return _detail(request, _readable(request, report_id))


# --------------------------------------------------------------------------- staff


class QueueQuery(Schema):
    state: str = ""
    topic: str = ""
    source: str = ""
    q: str = ""
    year: int | None = None
    limit: int = 50
    offset: int = 0


@router.get("/opinions", response=responses(200, ReportPageOut), auth=requires("opinions.view_all"))
def report_queue(request, filters: Query[QueueQuery]):
    """The staff queue (all reports but drafts and withdrawn), with filters."""
    qs = queries.queue(
        request.committee,
        state=filters.state[:20],
        topic=filters.topic[:30],
        source=filters.source[:20],
        q=filters.q[:50],
        year=filters.year if filters.year and 2000 <= filters.year <= 2100 else None,
    )
    limit, offset = max(1, min(filters.limit, 200)), max(0, min(filters.offset, 10**9))
    rows = list(qs[offset : offset + limit])
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": [_summary(r) for r in rows]}


class EditIn(Input):
    title: Text(120) | None = None
    topic: Text(30) | None = None
    situation: Text(20000) | None = None
    suggestion: Text(20000) | None = None


@router.post(
    "/opinions/{report_id}/edit",
    response=responses(200, ReportOut, 409, 422),
    auth=requires("opinions.edit"),
    summary="采编修改",
)
def report_edit(request, report_id: int, payload: EditIn):
    report = get_scoped(OpinionReport, request, report_id)
    s.report_edit(report=report, by=request.user, values=payload.dict(exclude_none=True))
    return _detail(request, report)


@router.post("/opinions/{report_id}/accept", response=responses(200, ReportOut, 409), auth=requires("opinions.edit"))
def report_accept(request, report_id: int):
    report = get_scoped(OpinionReport, request, report_id)
    s.report_accept(report=report, by=request.user)
    return _detail(request, report)


@router.post(
    "/opinions/{report_id}/send-back", response=responses(200, ReportOut, 409, 422), auth=requires("opinions.edit")
)
def report_send_back(request, report_id: int, payload: RequiredReasonIn):
    report = get_scoped(OpinionReport, request, report_id)
    s.report_send_back(report=report, by=request.user, reason=payload.reason)
    return _detail(request, report)


@router.post(
    "/opinions/{report_id}/not-use", response=responses(200, ReportOut, 409, 422), auth=requires("opinions.edit")
)
def report_not_use(request, report_id: int, payload: RequiredReasonIn):
    report = get_scoped(OpinionReport, request, report_id)
    s.report_not_use(report=report, by=request.user, reason=payload.reason)
    return _detail(request, report)


def _reports(request, ids: list[int]) -> list[OpinionReport]:
    """The committee's reports with these ids; 404 when any is missing (or another committee's)."""
    reports = list(OpinionReport.objects.for_committee(request.committee).filter(pk__in=ids))
    if len(reports) != len(set(ids)):
        raise Http404
    return reports


class CombineIn(Input):
    others: list[Id]


@router.post(
    "/opinions/{report_id}/combine",
    response=responses(200, ReportOut, 409, 422),
    auth=requires("opinions.edit"),
    summary="把其他信息合并到这一条",
)
def report_combine(request, report_id: int, payload: CombineIn):
    target = get_scoped(OpinionReport, request, report_id)
    others = _reports(request, payload.others)
    s.report_combine(target=target, others=others, by=request.user)
    target.refresh_from_db()
    return _detail(request, target)


class ForwardIn(Input):
    note: Text(500) = ""


@router.post(
    "/opinions/{report_id}/forward",
    response=responses(201, ForwardOut, 409),
    auth=requires("opinions.edit"),
    summary="报送上级政协",
)
def report_forward(request, report_id: int, payload: ForwardIn):
    report = get_scoped(OpinionReport, request, report_id)
    copy = s.report_forward(report=report, by=request.user, note=payload.note)
    return Status(
        201,
        {
            "id": copy.pk,
            "committee": _ref(copy.committee),
            "state": copy.state,
            "state_label": REPORT.state_label(copy.state),
        },
    )


class AdoptionIn(Input):
    level: LevelIn
    body: Text(100, min_length=1)
    date: dt.date
    note: Text(300) = ""


@router.post(
    "/opinions/{report_id}/adoptions",
    response=responses(201, ReportOut, 409, 422),
    auth=requires("opinions.record_adoption"),
    summary="记录采用",
)
def report_adopt(request, report_id: int, payload: AdoptionIn):
    report = get_scoped(OpinionReport, request, report_id)
    s.adoption_record(report=report, by=request.user, **payload.dict())
    return Status(201, _detail(request, report))


class InstructionIn(Input):
    level: LevelIn
    leader: Text(60, min_length=1)
    text: Text(2000, min_length=1)
    date: dt.date


@router.post(
    "/opinions/{report_id}/instructions",
    response=responses(201, ReportOut, 409, 422),
    auth=requires("opinions.record_adoption"),
    summary="记录领导批示",
)
def report_instruct(request, report_id: int, payload: InstructionIn):
    report = get_scoped(OpinionReport, request, report_id)
    s.instruction_record(report=report, by=request.user, **payload.dict())
    return Status(201, _detail(request, report))


# --------------------------------------------------------------------------- issues and statistics


def _issue(issue: BulletinIssue) -> dict:
    return {
        "id": issue.pk,
        "year": issue.year,
        "number": issue.number,
        "label": str(issue),
        "title": issue.title,
        "date": issue.date,
        "reports": list(issue.reports.order_by("issue_order", "id").values_list("id", flat=True)),
    }


@router.get("/opinion-issues", response=responses(200, list[IssueOut]), auth=requires("opinions.view_all"))
def issue_list(request):
    return [_issue(i) for i in BulletinIssue.objects.for_committee(request.committee).order_by("-year", "-number")]


class IssueIn(Input):
    date: dt.date | None = None
    title: Text(120) = ""


@router.post(
    "/opinion-issues", response=responses(201, IssueOut, 422), auth=requires("opinions.edit"), summary="新建一期"
)
def issue_create(request, payload: IssueIn):
    return Status(201, _issue(s.issue_create(committee=request.committee, by=request.user, **payload.dict())))


class PublishIn(Input):
    reports: list[Id]


@router.post(
    "/opinion-issues/{issue_id}/publish",
    response=responses(200, IssueOut, 409, 422),
    auth=requires("opinions.edit"),
    summary="刊发到本期",
)
def issue_publish(request, issue_id: int, payload: PublishIn):
    issue = get_scoped(BulletinIssue, request, issue_id)
    reports = _reports(request, payload.reports)
    order = {pk: i for i, pk in enumerate(payload.reports)}
    reports.sort(key=lambda r: order[r.pk])
    s.issue_publish(issue=issue, reports=reports, by=request.user)
    return _issue(issue)


@router.get("/opinion-stats", response=responses(200, StatsOut), auth=requires("opinions.view_all"))
def report_stats(request, year: int | None = None):
    st = queries.stats(request.committee, year if year and 2000 <= year <= 2100 else None)
    return {
        "totals": st["totals"],
        "adopted_by_level": {k: n for k, _label, n in st["levels"]},
        "instructed_by_level": {k: n for k, _label, n in st["instructed_levels"]},
        "by_topic": dict(st["by_topic"]),
        "by_sector": dict(st["by_sector"]),
        "by_author": [{"name": n, "sector": sec, **b} for n, sec, b in st["by_author"]],
    }
