"""API of proposals (提案): every step of the lifecycle through the services of lvzhi/proposals/services.py,
the same as the pages. Reads start from queries.visible: a proposal the caller may not see answers 404
(another member's draft, another unit's proposal, another committee's). Errors as in lvzhi/core/api.py:
TransitionRefused → 409, ValidationError → 422, PermissionDenied → 403.

Who does what (perms of lvzhi/core/permissions.py, then the workflow's roles and the services' checks):
members (proposals.write) draft, invite co-signers, submit, withdraw and evaluate their own; the proposal
office (proposals.review) files, rejects, sends back, converts, merges, assigns, approves answers, marks key
and excellent proposals and publishes; handling units (proposals.handle) accept, return, record contacts,
give co-unit opinions and answer (JSON, or multipart with the signed reply letter).
"""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from lvzhi.accounts.models import User
from lvzhi.core import events
from lvzhi.core.api import MAX_ID, Id, Input, Page, Ref, Text, check, ref, requires, resolve_ref, responses
from lvzhi.core.roles import STAFF_ROLES, Role
from lvzhi.org.models import HandlingUnit, Member, Party, Sector, Session

from . import queries
from . import services as s
from .models import Category, CoSigner, Proposal
from .queries_public import answer_is_approved, category_label, with_details
from .workflow import PROPOSAL

router = Router(tags=["提案"])


# --------------------------------------------------------------------------- output schemas


class PersonOut(Schema):
    id: int
    name: str
    sector: str


class CoSignerOut(Schema):
    id: int
    member: PersonOut
    state: str
    state_label: str


class AssignmentOut(Schema):
    id: int
    unit: Ref
    role: str
    role_label: str
    state: str
    due_date: dt.date
    return_deadline: dt.date
    opinion: str


class AnswerOut(Schema):
    id: int
    unit: Ref
    round: int
    category: str
    category_label: str
    text: str
    answered_at: dt.datetime
    approved: bool
    letter_id: int | None


class EvaluationOut(Schema):
    member: PersonOut
    round: int
    rating: str
    rating_label: str
    comment: str
    by_default: bool


class EventOut(Schema):
    action: str
    label: str
    actor: str
    from_state: str
    to_state: str
    reason: str
    at: dt.datetime


class ProposalSummaryOut(Schema):
    id: int
    number: str
    title: str
    kind: str
    state: str
    state_label: str
    session: Ref | None
    category: Ref | None
    lead: PersonOut | None
    collective_name: str
    due_date: dt.date | None
    answer_category: str
    is_key: bool
    submitted_at: dt.datetime | None


class ProposalOut(ProposalSummaryOut):
    period: str
    problem: str
    analysis: str
    suggestion: str
    agree_publish: bool
    round: int
    supervisor: str
    excellent_year: int | None
    published_at: dt.datetime | None
    filed_at: dt.datetime | None
    assigned_at: dt.datetime | None
    replied_at: dt.datetime | None
    closed_at: dt.datetime | None
    merged_into_id: int | None
    cosigners: list[CoSignerOut]
    assignments: list[AssignmentOut]
    answers: list[AnswerOut]
    evaluations: list[EvaluationOut]
    actions: list[str]
    timeline: list[EventOut]


class ProposalPageOut(Page):
    items: list[ProposalSummaryOut]


def _person(member: Member | None) -> dict | None:
    if member is None:
        return None
    return {"id": member.pk, "name": member.name, "sector": member.sector.name}


def _summary(p: Proposal) -> dict:
    return {
        "id": p.pk,
        "number": p.number,
        "title": p.title,
        "kind": p.kind,
        "state": p.state,
        "state_label": PROPOSAL.state_label(p.state),
        "session": ref(p.session),
        "category": ref(p.category),
        "lead": _person(p.lead),
        "collective_name": p.collective_name,
        "due_date": p.due_date,
        "answer_category": p.answer_category,
        "is_key": p.is_key,
        "submitted_at": p.submitted_at,
    }


def _sees_pending(request) -> bool:
    """Staff, leaders and units read an answer while the office reviews it; proposers once approved."""
    return bool(request.roles & (STAFF_ROLES | {Role.LEADER, Role.UNIT}))


def _detail(request, p: Proposal) -> dict:
    pending = _sees_pending(request)
    answers = [a for a in p.all_answers if pending or answer_is_approved(p, a)]
    cosigners = p.cosigners.select_related("member__sector").order_by("order", "id")
    evaluations = p.evaluations.select_related("member__sector").order_by("round", "id")
    timeline = [
        {
            "action": e.action,
            "label": str(events.label(e.action)),
            "actor": str(e.actor) if e.actor_id else _("系统"),
            "from_state": e.from_state or "",
            "to_state": e.to_state or "",
            "reason": e.reason or "",
            "at": e.created_at,
        }
        for e in events.timeline(p)
    ]
    return {
        **_summary(p),
        "period": p.period,
        "problem": p.problem,
        "analysis": p.analysis,
        "suggestion": p.suggestion,
        "agree_publish": p.agree_publish,
        "round": p.round,
        "supervisor": str(p.supervisor) if p.supervisor_id else "",
        "excellent_year": p.excellent_year,
        "published_at": p.published_at,
        "filed_at": p.filed_at,
        "assigned_at": p.assigned_at,
        "replied_at": p.replied_at,
        "closed_at": p.closed_at,
        "merged_into_id": p.merged_into_id,
        "cosigners": [
            {
                "id": c.pk,
                "member": _person(c.member),
                "state": c.state,
                "state_label": str(c.get_state_display()),
            }
            for c in cosigners
        ],
        "assignments": [
            {
                "id": a.pk,
                "unit": ref(a.unit),
                "role": a.role,
                "role_label": str(a.get_role_display()),
                "state": a.state,
                "due_date": a.due_date,
                "return_deadline": a.return_deadline,
                "opinion": a.opinion,
            }
            for a in p.live_assignments
        ],
        "answers": [
            {
                "id": a.pk,
                "unit": ref(a.unit),
                "round": a.round,
                "category": a.final_category,
                "category_label": category_label(p.committee, a.final_category),
                "text": a.text,
                "answered_at": a.answered_at,
                "approved": answer_is_approved(p, a),
                "letter_id": a.letter_id,
            }
            for a in answers
        ],
        "evaluations": [
            {
                "member": _person(e.member),
                "round": e.round,
                "rating": e.rating,
                "rating_label": str(e.get_rating_display()),
                "comment": e.comment,
                "by_default": e.by_default,
            }
            for e in evaluations
        ],
        "actions": [t.action for t in PROPOSAL.available(p, request.roles)],
        "timeline": timeline,
    }


# --------------------------------------------------------------------------- lookups


def _visible(request):
    return queries.visible(request.user, request.committee, request.roles)


def _proposal(request, proposal_id: int) -> Proposal:
    """A proposal the caller may see, else 404 (whatever the reason: draft, other unit, other committee)."""
    if not 1 <= proposal_id <= MAX_ID:
        raise Http404
    return get_object_or_404(with_details(_visible(request)).select_related("supervisor"), pk=proposal_id)


def _fresh(request, proposal_id: int) -> dict:
    return _detail(request, _proposal(request, proposal_id))


def _refs(model, request, ids, field: str) -> list:
    return [resolve_ref(model, request, pk, field) for pk in ids]


def _require_author(request, p: Proposal) -> None:
    """Only the lead member edits a proposal or invites co-signers; the office its collective ones."""
    if p.kind == Proposal.Kind.COLLECTIVE:
        if not request.user.has_perm("proposals.review", request.committee):
            raise PermissionDenied
    elif p.lead_id is None or p.lead.user_id != request.user.pk:
        raise PermissionDenied


# --------------------------------------------------------------------------- reads


class ProposalFilters(Schema):
    q: Text(60) = ""
    session: Id | None = None
    state: Text(16) = ""
    category: Id | None = None
    sector: Id | None = None
    party: Id | None = None
    unit: Id | None = None
    overdue: bool | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10**9)


@router.get(
    "/proposals",
    response=responses(200, ProposalPageOut, 422),
    summary="提案列表(本人可见的,可筛选)",
    auth=requires("core.use"),
)
def proposal_list(request, filters: Query[ProposalFilters]):
    """A member's own proposals, the office's review queue, a unit's assigned proposals: what the caller
    may see, with the filters of the review queue, newest submission first."""
    if filters.state and filters.state not in PROPOSAL.states:
        raise ValidationError({"state": _("没有这个状态。")})
    qs = queries.review_queue(
        request.user,
        request.committee,
        request.roles,
        q=filters.q,
        session=resolve_ref(Session, request, filters.session, "session"),
        state=filters.state,
        category=resolve_ref(Category, request, filters.category, "category"),
        sector=resolve_ref(Sector, request, filters.sector, "sector"),
        party=resolve_ref(Party, request, filters.party, "party"),
        unit=resolve_ref(HandlingUnit, request, filters.unit, "unit"),
        overdue=filters.overdue,
    )
    count = qs.count()
    items = [_summary(p) for p in qs[filters.offset : filters.offset + filters.limit]]
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get(
    "/proposals/{int:proposal_id}", response=responses(200, ProposalOut), summary="提案详情", auth=requires("core.use")
)
def proposal_detail(request, proposal_id: int):
    return _fresh(request, proposal_id)


# --------------------------------------------------------------------------- 1. draft and submit


class ProposalIn(Input):
    title: Text(120, min_length=1)
    category: Id | None = None
    problem: Text(10000) = ""
    analysis: Text(10000) = ""
    suggestion: Text(10000) = ""
    agree_publish: bool = True
    collective_name: Text(100) = ""  # a collective proposal, written by the office on a body's behalf


class ProposalPatch(Input):
    title: Text(120, min_length=1) | None = None
    category: Id | None = None
    problem: Text(10000) | None = None
    analysis: Text(10000) | None = None
    suggestion: Text(10000) | None = None
    agree_publish: bool | None = None


@router.post("/proposals", response=responses(201, ProposalOut, 422), summary="新建提案草稿", auth=requires("core.use"))
def proposal_create(request, payload: ProposalIn):
    """A member's draft (the caller is the lead); with `collective_name`, the office's collective proposal."""
    values = payload.model_dump()
    collective = values.pop("collective_name")
    values["category"] = resolve_ref(Category, request, values["category"], "category")
    if collective:
        check(request, "proposals.review")
        lead = None
    else:
        check(request, "proposals.write")
        lead = s.member_of(request.user, request.committee)
        if lead is None:
            raise PermissionDenied(_("您不是本委员会的在任委员。"))
    proposal = s.proposal_create(
        committee=request.committee, by=request.user, lead=lead, collective_name=collective, **values
    )
    return Status(201, _fresh(request, proposal.pk))


@router.patch(
    "/proposals/{int:proposal_id}",
    response=responses(200, ProposalOut, 409, 422),
    summary="修改草稿",
    auth=requires("core.use"),
)
def proposal_edit(request, proposal_id: int, payload: ProposalPatch):
    proposal = _proposal(request, proposal_id)
    _require_author(request, proposal)
    values = payload.model_dump(exclude_unset=True)
    if "category" in values:
        values["category"] = resolve_ref(Category, request, values["category"], "category")
    for name in ("title", "problem", "analysis", "suggestion", "agree_publish"):
        if name in values and values[name] is None:
            raise ValidationError({name: _("此项不能为空。")})
    s.proposal_edit(proposal=proposal, by=request.user, **values)
    return _fresh(request, proposal_id)


class InviteIn(Input):
    members: list[Id] = Field(min_length=1, max_length=50)


@router.post(
    "/proposals/{int:proposal_id}/cosigners",
    response=responses(200, ProposalOut, 409, 422),
    summary="邀请联名人",
    auth=requires("proposals.write"),
)
def cosigner_invite(request, proposal_id: int, payload: InviteIn):
    proposal = _proposal(request, proposal_id)
    _require_author(request, proposal)
    members = _refs(Member, request, payload.members, "members")
    s.cosigner_invite(proposal=proposal, members=members, by=request.user)
    return _fresh(request, proposal_id)


class RespondIn(Input):
    confirm: bool
    reason: Text(500) = ""


def _cosigner(request, proposal_id: int, cosigner_id: int) -> CoSigner:
    proposal = _proposal(request, proposal_id)
    cosigner = proposal.cosigners.filter(pk=cosigner_id).select_related("member", "proposal__lead").first()
    if cosigner is None:
        raise Http404
    return cosigner


@router.post(
    "/proposals/{int:proposal_id}/cosigners/{int:cosigner_id}/respond",
    response=responses(200, CoSignerOut, 409, 422),
    summary="确认或谢绝联名",
    auth=requires("proposals.write"),
)
def cosigner_respond(request, proposal_id: int, cosigner_id: int, payload: RespondIn):
    cosigner = _cosigner(request, proposal_id, cosigner_id)
    s.cosigner_respond(cosigner=cosigner, by=request.user, confirm=payload.confirm, reason=payload.reason)
    cosigner.refresh_from_db()
    return {
        "id": cosigner.pk,
        "member": _person(cosigner.member),
        "state": cosigner.state,
        "state_label": str(cosigner.get_state_display()),
    }


@router.post(
    "/proposals/{int:proposal_id}/cosigners/{int:cosigner_id}/withdraw",
    response=responses(200, ProposalOut, 409),
    summary="撤回联名邀请",
    auth=requires("proposals.write"),
)
def cosigner_withdraw(request, proposal_id: int, cosigner_id: int):
    s.cosigner_withdraw(cosigner=_cosigner(request, proposal_id, cosigner_id), by=request.user)
    return _fresh(request, proposal_id)


def _step(path: str, summary: str, perm: str, service, payload_schema=None, **fixed):
    """An endpoint that calls one service with the proposal, the caller and the payload's fields."""

    if payload_schema is None:

        @router.post(
            path, response=responses(200, ProposalOut, 409, 422), summary=summary, auth=requires(perm), **fixed
        )
        def step(request, proposal_id: int):
            service(proposal=_proposal(request, proposal_id), by=request.user)
            return _fresh(request, proposal_id)

    else:

        @router.post(
            path, response=responses(200, ProposalOut, 409, 422), summary=summary, auth=requires(perm), **fixed
        )
        def step(request, proposal_id: int, payload: payload_schema):
            service(proposal=_proposal(request, proposal_id), by=request.user, **payload.model_dump())
            return _fresh(request, proposal_id)

    return step


class ReasonIn(Input):
    reason: Text(1000, min_length=1)


proposal_submit = _step(
    "/proposals/{int:proposal_id}/submit", "提交提案", "core.use", s.proposal_submit, operation_id="proposal_submit"
)
proposal_withdraw = _step(
    "/proposals/{int:proposal_id}/withdraw",
    "撤回提案",
    "core.use",
    s.proposal_withdraw,
    operation_id="proposal_withdraw",
)


# --------------------------------------------------------------------------- 2. review


class FileIn(Input):
    category: Id | None = None


@router.post(
    "/proposals/{int:proposal_id}/file",
    response=responses(200, ProposalOut, 409, 422),
    summary="立案(编号)",
    auth=requires("proposals.review"),
)
def proposal_file(request, proposal_id: int, payload: FileIn):
    category = resolve_ref(Category, request, payload.category, "category")
    s.proposal_file(proposal=_proposal(request, proposal_id), by=request.user, category=category)
    return _fresh(request, proposal_id)


proposal_reject = _step(
    "/proposals/{int:proposal_id}/reject",
    "不予立案",
    "proposals.review",
    s.proposal_reject,
    ReasonIn,
    operation_id="proposal_reject",
)
proposal_send_back = _step(
    "/proposals/{int:proposal_id}/send-back",
    "退回提案人修改",
    "proposals.review",
    s.proposal_send_back,
    ReasonIn,
    operation_id="proposal_send_back",
)


class ConvertIn(Input):
    to: Literal["opinion", "report"]
    reason: Text(1000, min_length=1)


proposal_convert = _step(
    "/proposals/{int:proposal_id}/convert",
    "转为意见建议或社情民意",
    "proposals.review",
    s.proposal_convert,
    ConvertIn,
    operation_id="proposal_convert",
)


class MergeIn(Input):
    others: list[Id] = Field(min_length=1, max_length=50)


@router.post(
    "/proposals/{int:proposal_id}/merge",
    response=responses(200, ProposalOut, 409, 422),
    summary="并案(其他提案并入本提案)",
    auth=requires("proposals.review"),
)
def proposal_merge(request, proposal_id: int, payload: MergeIn):
    lead = _proposal(request, proposal_id)
    visible = _visible(request)
    others = []
    for pk in payload.others:
        other = visible.filter(pk=pk).first()
        if other is None:
            raise ValidationError({"others": _("所选提案不存在或不属于本委员会。")})
        others.append(other)
    s.proposal_merge(lead=lead, others=others, by=request.user)
    return _fresh(request, proposal_id)


# --------------------------------------------------------------------------- 3. assignment


class AssignIn(Input):
    lead_unit: Id | None = None
    co_units: list[Id] = Field(default_factory=list, max_length=30)
    split_units: list[Id] = Field(default_factory=list, max_length=30)
    due_date: dt.date | None = None


@router.post(
    "/proposals/{int:proposal_id}/assign",
    response=responses(200, ProposalOut, 409, 422),
    summary="交办承办单位",
    auth=requires("proposals.review"),
)
def proposal_assign(request, proposal_id: int, payload: AssignIn):
    s.proposal_assign(
        proposal=_proposal(request, proposal_id),
        by=request.user,
        lead_unit=resolve_ref(HandlingUnit, request, payload.lead_unit, "lead_unit"),
        co_units=_refs(HandlingUnit, request, payload.co_units, "co_units"),
        split_units=_refs(HandlingUnit, request, payload.split_units, "split_units"),
        due_date=payload.due_date,
    )
    return _fresh(request, proposal_id)


assignment_accept = _step(
    "/proposals/{int:proposal_id}/accept",
    "承办单位签收",
    "proposals.handle",
    s.assignment_accept,
    operation_id="assignment_accept",
)
assignment_return = _step(
    "/proposals/{int:proposal_id}/return",
    "承办单位退回",
    "proposals.handle",
    s.assignment_return,
    ReasonIn,
    operation_id="assignment_return",
)


# --------------------------------------------------------------------------- 4. handling and answer


class ContactIn(Input):
    method: Literal["meeting", "phone", "written"]
    date: dt.date
    note: Text(2000, min_length=1)


contact_record = _step(
    "/proposals/{int:proposal_id}/contacts",
    "记录与提案人沟通",
    "proposals.handle",
    s.contact_record,
    ContactIn,
    operation_id="contact_record",
)


class OpinionIn(Input):
    opinion: Text(5000, min_length=1)


co_opinion_give = _step(
    "/proposals/{int:proposal_id}/co-opinion",
    "会办单位提出会办意见",
    "proposals.handle",
    s.co_opinion_give,
    OpinionIn,
    operation_id="co_opinion_give",
)


class AnswerIn(Input):
    category: Text(4, min_length=1)
    text: Text(20000, min_length=1)


answer_submit = _step(
    "/proposals/{int:proposal_id}/answer",
    "答复(JSON)",
    "proposals.handle",
    s.answer_submit,
    AnswerIn,
    operation_id="answer_submit",
)


@router.post(
    "/proposals/{int:proposal_id}/answer/letter",
    response=responses(200, ProposalOut, 409, 422),
    summary="答复并上传答复函(multipart)",
    auth=requires("proposals.handle"),
)
def answer_with_letter(
    request,
    proposal_id: int,
    category: Form[Text(4, min_length=1)],
    text: Form[Text(20000, min_length=1)],
    letter: File[UploadedFile],
):
    from .services_unit import answer_with_letter as service

    service(proposal=_proposal(request, proposal_id), by=request.user, category=category, text=text, letter=letter)
    return _fresh(request, proposal_id)


class ApproveIn(Input):
    category: Text(4) | None = None  # the office may change the category on review


@router.post(
    "/proposals/{int:proposal_id}/answer/approve",
    response=responses(200, ProposalOut, 409, 422),
    summary="审核答复并送达提案人",
    auth=requires("proposals.review"),
)
def answer_approve(request, proposal_id: int, payload: ApproveIn):
    category = payload.category or None
    s.answer_approve(proposal=_proposal(request, proposal_id), by=request.user, category=category)
    return _fresh(request, proposal_id)


answer_send_back = _step(
    "/proposals/{int:proposal_id}/answer/send-back",
    "答复退回承办单位修改",
    "proposals.review",
    s.answer_send_back,
    ReasonIn,
    operation_id="answer_send_back",
)


# --------------------------------------------------------------------------- 5. evaluation


class EvaluationIn(Input):
    rating: Literal["satisfied", "basic", "unsatisfied"]
    comment: Text(2000) = ""


evaluation_submit = _step(
    "/proposals/{int:proposal_id}/evaluation",
    "提案人评价答复",
    "proposals.write",
    s.evaluation_submit,
    EvaluationIn,
    operation_id="evaluation_submit",
)


# --------------------------------------------------------------------------- 6. key, progress, excellent, public


class KeyIn(Input):
    key: bool = True
    supervisor: Id | None = None  # the user id of a leader of the committee


@router.post(
    "/proposals/{int:proposal_id}/key",
    response=responses(200, ProposalOut, 409, 422),
    summary="列为(或取消)重点提案并指定督办领导",
    auth=requires("proposals.review"),
)
def proposal_mark_key(request, proposal_id: int, payload: KeyIn):
    supervisor = None
    if payload.supervisor is not None:
        supervisor = User.objects.filter(pk=payload.supervisor).first()
        if supervisor is None:
            raise ValidationError({"supervisor": _("督办领导须为本委员会的领导。")})
    s.proposal_mark_key(
        proposal=_proposal(request, proposal_id), by=request.user, supervisor=supervisor, key=payload.key
    )
    return _fresh(request, proposal_id)


class ProgressIn(Input):
    text: Text(5000, min_length=1)


@router.post(
    "/proposals/{int:proposal_id}/progress",
    response=responses(200, ProposalOut, 409, 422),
    summary="记录重点提案督办进展",
    auth=requires("core.use"),
)
def progress_note_add(request, proposal_id: int, payload: ProgressIn):
    if not (
        request.user.has_perm("proposals.review", request.committee)
        or request.user.has_perm("proposals.supervise", request.committee)
    ):
        raise PermissionDenied
    s.progress_note_add(proposal=_proposal(request, proposal_id), by=request.user, text=payload.text)
    return _fresh(request, proposal_id)


class ExcellentIn(Input):
    year: int = Field(ge=2000, le=2100)


proposal_mark_excellent = _step(
    "/proposals/{int:proposal_id}/excellent",
    "评为优秀提案",
    "proposals.review",
    s.proposal_mark_excellent,
    ExcellentIn,
    operation_id="proposal_mark_excellent",
)


class PublishIn(Input):
    publish: bool = True


proposal_publish = _step(
    "/proposals/{int:proposal_id}/publish",
    "公开(或取消公开)提案及答复",
    "proposals.review",
    s.proposal_publish,
    PublishIn,
    operation_id="proposal_publish",
)


# --------------------------------------------------------------------------- intelligence


class TextIn(Input):
    text: Text(20000, min_length=1)
    exclude_id: Id | None = None


class SimilarOut(Schema):
    id: int
    number: str
    title: str
    state_label: str
    score: float
    passages: list[tuple[str, str]]


class SimilarPageOut(Schema):
    available: bool
    items: list[SimilarOut]


class GuessOut(Schema):
    id: int
    name: str
    confidence: float


class SuggestOut(Schema):
    available: bool
    category: GuessOut | None
    unit: GuessOut | None


@router.post(
    "/proposals/similar",
    response=responses(200, SimilarPageOut, 422),
    summary="相似提案(撰写和审查时)",
    auth=requires("core.use"),
)
def proposal_similar(request, payload: TextIn):
    """Similar proposals already filed in this committee (members see filed ones and their own)."""
    try:
        from .similarity import similar
    except ImportError:
        return {"available": False, "items": []}
    if not (
        request.user.has_perm("proposals.write", request.committee)
        or request.user.has_perm("proposals.view_all", request.committee)
    ):
        raise PermissionDenied
    matches = similar(request.committee, payload.text, exclude_id=payload.exclude_id, k=5)
    mine = set(_visible(request).values_list("pk", flat=True))
    items = []
    for m in matches:
        p = m.proposal
        if p.committee_id != request.committee.pk or not (p.number or p.pk in mine):
            continue
        items.append(
            {
                "id": p.pk,
                "number": p.number,
                "title": p.title,
                "state_label": PROPOSAL.state_label(p.state),
                "score": round(float(m.score), 4),
                "passages": [(str(a), str(b)) for a, b in m.passages],
            }
        )
    return {"available": True, "items": items}


@router.post(
    "/proposals/suggest",
    response=responses(200, SuggestOut, 422),
    summary="建议的类别和承办单位(含置信度)",
    auth=requires("proposals.review"),
)
def proposal_suggest(request, payload: TextIn):
    try:
        from .suggest import suggest
    except ImportError:
        return {"available": False, "category": None, "unit": None}
    guess = suggest(request.committee, payload.text)

    def out(pair):
        if not pair:
            return None
        obj, confidence = pair
        return {"id": obj.pk, "name": obj.name, "confidence": round(float(confidence), 4)}

    return {"available": True, "category": out(guess.get("category")), "unit": out(guess.get("unit"))}
