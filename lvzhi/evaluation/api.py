"""API of the duty evaluation (履职量化考评): every action of the pages through lvzhi/evaluation/services.py.

Who does what (perms of lvzhi/core/permissions.py): members (evaluation.view_own) read their score by
category with every line and its source, their duty record over the term, and draft, edit and submit their
annual report; staff and leaders (evaluation.view_all) read every member's score, lines, warnings and
reports; the office (evaluation.manage) starts years, edits rules, rebuilds, closes years, adjusts scores,
decides warnings and returns reports; reviews (履职点评) of standing members' reports by staff or peers as
the committee configures (evaluation.review_reports plus services.can_review).

Errors as in lvzhi/core/api.py: TransitionRefused → 409 (a closed year, a rebuild running), ValidationError
→ 422 (a negative cap, an adjustment without a reason), PermissionDenied → 403, another committee's row 404.
"""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from lvzhi.core.api import Id, Input, Page, Ref, Text, get_scoped, ref, requires, resolve_ref, responses
from lvzhi.core.config import setting
from lvzhi.org.models import Member, Party, Sector, SpecialCommittee

from . import queries, services
from .models import AnnualReport, RuleSet, Warning
from .rules import CATEGORIES, explain
from .workflow import REPORT, WARNING

router = Router(tags=["履职考评"])


def _year(value) -> int:
    if not 2000 <= int(value) <= 2100:
        raise ValidationError({"year": _("年度不正确。")})
    return int(value)


# --------------------------------------------------------------------------- schemas


class SourceOut(Schema):
    title: str
    url: str
    what: str


class LineOut(Schema):
    id: int
    year: int
    kind: str
    kind_label: str
    category: str
    points: Decimal
    raw: Decimal
    joint: bool
    reverses: int | None
    event_id: int
    action: str
    at: dt.datetime
    source: SourceOut


class CategoryOut(Schema):
    key: str
    label: str
    total: Decimal


class ScoreOut(Schema):
    member: Ref
    year: int
    total: Decimal
    rank: int | None
    rank_of: int | None
    categories: list[CategoryOut]
    lines: list[LineOut]


class RecordYearOut(Schema):
    year: int
    total: Decimal
    categories: list[CategoryOut]


class RuleOut(Schema):
    kind: str
    label: str
    points: Decimal
    cap: Decimal | None
    joint_weight: Decimal
    explain: str


class RuleSetOut(Schema):
    year: int
    state: str
    absence_limit: int | None
    min_score: Decimal | None
    idle_years: int | None
    note: str
    rebuilt_at: dt.datetime | None
    closed_at: dt.datetime | None
    rules: list[RuleOut]


class RuleIn(Input):
    points: Decimal | None = None
    cap: Decimal | None = None
    joint_weight: Decimal | None = None


class RuleSetIn(Input):
    rules: dict[str, RuleIn] = {}
    absence_limit: int | None = None
    min_score: Decimal | None = None
    idle_years: int | None = None
    note: Text(2000) = ""


class YearIn(Input):
    year: int


class RebuildOut(Schema):
    year: int
    lines: int


class MemberScoreOut(Schema):
    member: Ref
    sector: str
    party: str
    score: Decimal


class ScorePageOut(Page):
    items: list[MemberScoreOut]


class ScoreFilters(Schema):
    year: int | None = None
    sector: int | None = Field(None, ge=1)
    party: int | None = Field(None, ge=1)
    special: int | None = Field(None, ge=1)
    q: Text(50) = ""
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10**9)


class AdjustIn(Input):
    member: Id
    year: int
    points: Decimal
    reason: Text(2000) = ""


class AdjustOut(Schema):
    id: int
    member: Ref
    year: int
    points: Decimal
    reason: str


class WarningOut(Schema):
    id: int
    member: Ref
    year: int
    kind: str
    kind_label: str
    detail: str
    state: str
    state_label: str
    decision: str
    exit_review_id: int | None


class DecideIn(Input):
    action: Literal["dismiss", "open_exit"]
    reason: Text(2000) = ""


class ReportOut(Schema):
    id: int
    member: Ref
    year: int
    standing: bool
    title: str
    text: str
    state: str
    state_label: str
    version: int
    submitted_at: dt.datetime | None
    reviews: list[dict]


class ReportIn(Input):
    title: Text(120)
    text: Text(20000)
    version: int


class ReviewIn(Input):
    text: Text(5000) = ""


class ReasonIn(Input):
    reason: Text(2000) = ""


# --------------------------------------------------------------------------- serialisers


def _line(line, staff=False) -> dict:
    source = queries.source(line, staff=staff)
    return {
        "id": line.pk,
        "year": line.year,
        "kind": line.rule.kind,
        "kind_label": str(line.rule.get_kind_display()),
        "category": queries.CATEGORY_OF.get(line.rule.kind, "adjustments"),
        "points": line.points,
        "raw": line.raw,
        "joint": line.joint,
        "reverses": line.reverses_id,
        "event_id": line.event_id,
        "action": line.event.action,
        "at": line.event.created_at,
        "source": source,
    }


def _score(member, year: int, staff=False) -> dict:
    rows = list(queries.lines(member, year))
    groups = {g["key"]: g for g in queries.by_category(rows)}
    rank = rank_of = None
    if staff or setting(member.committee, "evaluation.show_rank"):
        rank, rank_of = queries.rank_in_sector(member, year)
    return {
        "member": ref(member),
        "year": year,
        "total": sum((x.points for x in rows), Decimal(0)),
        "rank": rank,
        "rank_of": rank_of,
        "categories": [
            {"key": k, "label": str(label), "total": groups[k]["total"] if k in groups else Decimal(0)}
            for k, label in CATEGORIES
        ],
        "lines": [_line(x, staff) for x in rows],
    }


def _rule_set(rule_set: RuleSet) -> dict:
    return {
        "year": rule_set.year,
        "state": rule_set.state,
        "absence_limit": rule_set.absence_limit,
        "min_score": rule_set.min_score,
        "idle_years": rule_set.idle_years,
        "note": rule_set.note,
        "rebuilt_at": rule_set.rebuilt_at,
        "closed_at": rule_set.closed_at,
        "rules": [
            {
                "kind": r.kind,
                "label": str(r.get_kind_display()),
                "points": r.points,
                "cap": r.cap,
                "joint_weight": r.joint_weight,
                "explain": explain(r),
            }
            for r in rule_set.rules.all()
        ],
    }


def _warning(w: Warning) -> dict:
    return {
        "id": w.pk,
        "member": ref(w.member),
        "year": w.year,
        "kind": w.kind,
        "kind_label": str(w.get_kind_display()),
        "detail": w.detail,
        "state": w.state,
        "state_label": str(WARNING.state_label(w.state)),
        "decision": w.decision,
        "exit_review_id": w.exit_review_id,
    }


def _report(r: AnnualReport) -> dict:
    return {
        "id": r.pk,
        "member": ref(r.member),
        "year": r.year,
        "standing": r.standing,
        "title": r.title,
        "text": r.text,
        "state": r.state,
        "state_label": str(REPORT.state_label(r.state)),
        "version": r.version,
        "submitted_at": r.submitted_at,
        "reviews": [{"reviewer": x.reviewer_name, "text": x.text, "at": x.created_at} for x in r.reviews.all()],
    }


def _me(request) -> Member:
    member = queries.member_of(request)
    if member is None:
        raise PermissionDenied(_("您不是本委员会的委员。"))
    return member


def _rs(request, year: int) -> RuleSet:
    rule_set = RuleSet.objects.for_committee(request.committee).filter(year=year).first()
    if rule_set is None:
        raise Http404
    return rule_set


# --------------------------------------------------------------------------- member


@router.get(
    "/evaluation/me",
    response=responses(200, ScoreOut, 422),
    summary="我的履职积分",
    auth=requires("evaluation.view_own"),
)
def my_score(request, year: int | None = None):
    year = _year(year) if year is not None else queries.default_year(request.committee)
    return _score(_me(request), year)


@router.get(
    "/evaluation/me/record",
    response=responses(200, list[RecordYearOut]),
    summary="我的履职档案",
    auth=requires("evaluation.view_own"),
)
def my_record(request):
    return [
        {"year": y["year"], "total": y["total"], "categories": [{**c, "label": str(c["label"])} for c in y["cats"]]}
        for y in queries.record(_me(request))
    ]


@router.get(
    "/evaluation/me/report/{int:year}",
    response=responses(200, ReportOut),
    summary="我的年度述职(首次读取时根据履职记录起草)",
    auth=requires("evaluation.view_own"),
)
def my_report(request, year: int):
    _rs(request, year)
    return _report(services.report_for(member=_me(request), year=year, by=request.user))


@router.put(
    "/evaluation/me/report/{int:year}",
    response=responses(200, ReportOut, 409, 422),
    summary="修改我的年度述职",
    auth=requires("evaluation.view_own"),
)
def my_report_save(request, year: int, body: ReportIn):
    _rs(request, year)
    report = services.report_for(member=_me(request), year=year, by=request.user)
    report = services.report_save(
        report=report, by=request.user, title=body.title, text=body.text, version=body.version
    )
    return _report(report)


@router.post(
    "/evaluation/me/report/{int:year}/submit",
    response=responses(200, ReportOut, 409),
    summary="提交我的年度述职",
    auth=requires("evaluation.view_own"),
)
def my_report_submit(request, year: int):
    _rs(request, year)
    report = services.report_for(member=_me(request), year=year, by=request.user)
    services.report_submit(report=report, by=request.user)
    return _report(report)


# --------------------------------------------------------------------------- rules and years


@router.get(
    "/evaluation/rules/{int:year}",
    response=responses(200, RuleSetOut),
    summary="年度考评规则",
    auth=requires("core.use"),
)
def rules_detail(request, year: int):
    return _rule_set(_rs(request, year))


@router.put(
    "/evaluation/rules/{int:year}",
    response=responses(200, RuleSetOut, 409, 422),
    summary="修改年度考评规则(并重算该年度)",
    auth=requires("evaluation.manage"),
)
def rules_update(request, year: int, body: RuleSetIn):
    rule_set = _rs(request, year)
    rules = {
        kind: {k: v for k, v in r.model_dump().items() if k in r.model_fields_set} for kind, r in body.rules.items()
    }
    services.rules_update(
        rule_set=rule_set,
        by=request.user,
        rules=rules,
        absence_limit=body.absence_limit,
        min_score=body.min_score,
        idle_years=body.idle_years,
        note=body.note,
    )
    return _rule_set(_rs(request, year))


@router.post(
    "/evaluation/years",
    response=responses(201, RuleSetOut, 422),
    summary="开始新年度(复制最近一年的规则)",
    auth=requires("evaluation.manage"),
)
def year_start(request, body: YearIn):
    rule_set = services.year_start(committee=request.committee, year=body.year, by=request.user)
    return Status(201, _rule_set(rule_set))


@router.post(
    "/evaluation/years/{int:year}/rebuild",
    response=responses(200, RebuildOut, 409),
    summary="重算年度积分",
    auth=requires("evaluation.manage"),
)
def year_rebuild(request, year: int):
    _rs(request, year)
    return services.rebuild(committee=request.committee, year=year, by=request.user)


@router.post(
    "/evaluation/years/{int:year}/close",
    response=responses(200, RuleSetOut, 409),
    summary="年度关账(冻结规则和积分)",
    auth=requires("evaluation.manage"),
)
def year_close(request, year: int):
    return _rule_set(services.year_close(rule_set=_rs(request, year), by=request.user))


@router.post(
    "/evaluation/years/{int:year}/check",
    response=responses(200, list[WarningOut]),
    summary="检查预警条件",
    auth=requires("evaluation.manage"),
)
def year_check(request, year: int):
    _rs(request, year)
    return [_warning(w) for w in services.check_thresholds(committee=request.committee, year=year, by=request.user)]


# --------------------------------------------------------------------------- staff reads


@router.get(
    "/evaluation/scores",
    response=responses(200, ScorePageOut, 422),
    summary="委员积分表(界别、党派、专委会筛选)",
    auth=requires("evaluation.view_all"),
)
def scores(request, filters: Query[ScoreFilters]):
    year = _year(filters.year) if filters.year else queries.default_year(request.committee)
    qs = queries.scores(
        request.committee,
        year,
        sector=resolve_ref(Sector, request, filters.sector, "sector"),
        party=resolve_ref(Party, request, filters.party, "party"),
        special=resolve_ref(SpecialCommittee, request, filters.special, "special"),
        q=filters.q,
    )
    count = qs.count()
    items = [
        {"member": ref(m), "sector": m.sector.name, "party": m.party.name, "score": m.score}
        for m in qs[filters.offset : filters.offset + filters.limit]
    ]
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get(
    "/evaluation/members/{int:member_id}",
    response=responses(200, ScoreOut, 422),
    summary="某位委员的年度积分明细",
    auth=requires("evaluation.view_all"),
)
def member_score(request, member_id: int, year: int | None = None):
    member = get_scoped(Member, request, member_id)
    year = _year(year) if year is not None else queries.default_year(request.committee)
    return _score(member, year, staff=True)


@router.post(
    "/evaluation/adjustments",
    response=responses(201, AdjustOut, 409, 422),
    summary="人工调整积分(必须写明理由)",
    auth=requires("evaluation.manage"),
)
def adjust(request, body: AdjustIn):
    member = resolve_ref(Member, request, body.member, "member")
    a = services.adjust(
        committee=request.committee,
        member=member,
        year=_year(body.year),
        points=body.points,
        reason=body.reason,
        by=request.user,
    )
    return Status(201, {"id": a.pk, "member": ref(member), "year": a.year, "points": a.points, "reason": a.reason})


@router.get(
    "/evaluation/warnings",
    response=responses(200, list[WarningOut]),
    summary="履职预警",
    auth=requires("evaluation.view_all"),
)
def warnings(request, state: str = ""):
    qs = Warning.objects.for_committee(request.committee).select_related("member")
    if state:
        qs = qs.filter(state=state)
    return [_warning(w) for w in qs[:500]]


@router.post(
    "/evaluation/warnings/{int:warning_id}/decide",
    response=responses(200, WarningOut, 409, 422),
    summary="处理预警:不予处理,或启动退出审查",
    auth=requires("evaluation.manage"),
)
def warning_decide(request, warning_id: int, body: DecideIn):
    warning = get_scoped(Warning, request, warning_id)
    fn = services.warning_dismiss if body.action == "dismiss" else services.warning_open_exit
    fn(warning=warning, by=request.user, reason=body.reason)
    warning.refresh_from_db()
    return _warning(warning)


@router.get(
    "/evaluation/reports",
    response=responses(200, list[ReportOut], 422),
    summary="年度述职与常委履职报告(机关和领导:全部;常委:可点评的)",
    auth=requires("core.use"),
)
def reports(request, year: int | None = None):
    staff = request.user.has_perm("evaluation.view_all", request.committee)
    if not staff and not request.user.has_perm("evaluation.review_reports", request.committee):
        raise PermissionDenied(_("您在本委员会没有执行此操作的权限。"))
    qs = AnnualReport.objects.for_committee(request.committee).select_related("member").prefetch_related("reviews")
    if year is not None:
        qs = qs.filter(year=_year(year))
    rows = [r for r in qs if staff or services.can_review(request.user, r)]
    return [_report(r) for r in rows]


@router.post(
    "/evaluation/reports/{int:report_id}/reviews",
    response=responses(201, ReportOut, 409, 422),
    summary="履职点评",
    auth=requires("evaluation.review_reports"),
)
def review(request, report_id: int, body: ReviewIn):
    report = get_scoped(AnnualReport, request, report_id)
    services.review_add(report=report, by=request.user, text=body.text)
    return Status(201, _report(report))


@router.post(
    "/evaluation/reports/{int:report_id}/return",
    response=responses(200, ReportOut, 409, 422),
    summary="退回述职报告",
    auth=requires("evaluation.manage"),
)
def report_return(request, report_id: int, body: ReasonIn):
    report = get_scoped(AnnualReport, request, report_id)
    services.report_return(report=report, by=request.user, reason=body.reason)
    report.refresh_from_db()
    return _report(report)
