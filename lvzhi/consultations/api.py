"""API of consultations (协商) and democratic supervision (民主监督): every action of the pages through
lvzhi/consultations/services.py.

Who does what (perms of lvzhi/core/permissions.py): consultation staff (consultations.manage) keep the
yearly plan and its topics, arrange consultations, invite members, record speeches, moderate the online
discussion, write outcome reports with their recommendations, send and publish them, and keep democratic
supervision topics; staff and leaders (consultations.view_all) read all of it and the open
recommendations (the office or a leader approves the plan); members (consultations.take_part) read the
consultations they are invited to, post in the online discussion inside its window and hand in written
opinions; departments (consultations.respond) answer the recommendations sent to them: adoption,
implementation steps, feedback.

Errors as in lvzhi/core/api.py: a refusal by the rules (plan no longer a draft, outside the discussion
window, a recommendation not sent to the caller's department…) → 409 with the reason; bad input → 422;
wrong role → 403; another committee's object → 404.
"""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from lvzhi.core.api import Id, Input, Page, Ref, Text, get_scoped, ref, requires, resolve_ref, responses
from lvzhi.org.models import HandlingUnit, Member, SpecialCommittee, SubDistrict

from . import queries as q
from . import services as s
from .models import (
    Consultation,
    Kind,
    Outcome,
    Plan,
    Post,
    Recommendation,
    Response,
    Supervision,
    Topic,
)
from .workflow import CONSULTATION, OUTCOME, PLAN, RESPONSE

router = Router(tags=["协商与民主监督"])

KindCode = Literal["themed", "counterpart", "proposal", "invited", "grassroots", "online"]


def _refs(model, request, ids, field):
    return [resolve_ref(model, request, pk, field) for pk in ids or []]


# --------------------------------------------------------------------------- schemas


class TopicOut(Schema):
    id: int
    order: int
    title: str
    kind: str
    kind_label: str
    lead: Ref | None
    units: list[Ref]
    sub_district: Ref | None
    month: int
    note: str


class PlanOut(Schema):
    id: int
    year: int
    title: str
    state: str
    state_label: str
    approved_at: dt.datetime | None
    topics: list[TopicOut]


def _topic(t: Topic) -> dict:
    return {
        "id": t.pk, "order": t.order, "title": t.title, "kind": t.kind, "kind_label": t.get_kind_display(),
        "lead": ref(t.lead), "units": [ref(u) for u in t.units.all()], "sub_district": ref(t.sub_district),
        "month": t.month, "note": t.note,
    }  # fmt: skip


def _plan(p: Plan) -> dict:
    topics = p.topics.select_related("lead", "sub_district").prefetch_related("units")
    return {
        "id": p.pk, "year": p.year, "title": p.title, "state": p.state, "state_label": PLAN.state_label(p.state),
        "approved_at": p.approved_at, "topics": [_topic(t) for t in topics],
    }  # fmt: skip


class PlanIn(Input):
    year: int
    title: Text(120) = ""


class TopicIn(Input):
    title: Text(200, min_length=1)
    kind: KindCode
    month: int
    lead_id: Id | None = None
    unit_ids: list[Id] = []
    sub_district_id: Id | None = None
    note: Text(2000) = ""


class ActionIn(Input):
    reason: Text(500) = ""


@router.get("/consultations/plans", response=responses(200, list[PlanOut]), auth=requires("consultations.view_all"))
def plan_list(request):
    return [_plan(p) for p in Plan.objects.for_committee(request.committee)]


@router.post("/consultations/plans", response=responses(201, PlanOut, 422), auth=requires("consultations.manage"))
def plan_create(request, payload: PlanIn):
    plan = s.plan_create(committee=request.committee, by=request.user, year=payload.year, title=payload.title)
    return Status(201, _plan(plan))


@router.get("/consultations/plans/{plan_id}", response=responses(200, PlanOut), auth=requires("consultations.view_all"))
def plan_detail(request, plan_id: int):
    return _plan(get_scoped(Plan, request, plan_id))


def _topic_args(request, payload: TopicIn) -> dict:
    return {
        "title": payload.title, "kind": payload.kind, "month": payload.month, "note": payload.note,
        "lead": resolve_ref(SpecialCommittee, request, payload.lead_id, "lead_id"),
        "units": _refs(HandlingUnit, request, payload.unit_ids, "unit_ids"),
        "sub_district": resolve_ref(SubDistrict, request, payload.sub_district_id, "sub_district_id"),
    }  # fmt: skip


@router.post(
    "/consultations/plans/{plan_id}/topics",
    response=responses(201, TopicOut, 409, 422),
    auth=requires("consultations.manage"),
)
def topic_create(request, plan_id: int, payload: TopicIn):
    plan = get_scoped(Plan, request, plan_id)
    topic = s.topic_save(plan=plan, by=request.user, **_topic_args(request, payload))
    return Status(201, _topic(topic))


@router.put(
    "/consultations/topics/{topic_id}",
    response=responses(200, TopicOut, 409, 422),
    auth=requires("consultations.manage"),
)
def topic_update(request, topic_id: int, payload: TopicIn):
    topic = get_scoped(Topic, request, topic_id)
    topic = s.topic_save(plan=topic.plan, by=request.user, topic=topic, **_topic_args(request, payload))
    return _topic(topic)


@router.delete(
    "/consultations/topics/{topic_id}", response=responses(204, None, 409), auth=requires("consultations.manage")
)
def topic_delete(request, topic_id: int):
    s.topic_delete(topic=get_scoped(Topic, request, topic_id), by=request.user)
    return Status(204, None)


@router.post(
    "/consultations/plans/{plan_id}/{action}",
    response=responses(200, PlanOut, 409, 422),
    auth=requires("consultations.view_all"),  # the workflow says who: staff submit, the office or a leader approves
)
def plan_action(request, plan_id: int, action: Literal["submit", "approve", "send_back"], payload: ActionIn):
    plan = get_scoped(Plan, request, plan_id)
    s.plan_act(plan=plan, by=request.user, action=action, reason=payload.reason)
    plan.refresh_from_db()
    return _plan(plan)


# --------------------------------------------------------------------------- consultations


class ConsultationSummaryOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    held_on: dt.date
    state: str
    state_label: str
    topic_id: int | None
    discussion: str  # none | before | open | closed


class MaterialOut(Schema):
    id: int
    name: str
    purpose: str
    size: int
    url: str


class SpeechOut(Schema):
    id: int
    member: Ref
    kind: str
    title: str
    text: str
    created_at: dt.datetime


class PostOut(Schema):
    id: int
    member: Ref
    text: str
    created_at: dt.datetime
    hidden: bool
    hidden_reason: str


class ConsultationOut(ConsultationSummaryOut):
    place: str
    lead: Ref | None
    sub_district: Ref | None
    units: list[Ref]
    experts: list[str]
    residents: list[str]
    research: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    participants: list[Ref]
    materials: list[MaterialOut]
    speeches: list[SpeechOut]
    outcome_id: int | None


class ConsultationPageOut(Page):
    items: list[ConsultationSummaryOut]


def _summary(c: Consultation) -> dict:
    return {
        "id": c.pk, "title": c.title, "kind": c.kind, "kind_label": c.get_kind_display(), "held_on": c.held_on,
        "state": c.state, "state_label": CONSULTATION.state_label(c.state), "topic_id": c.topic_id,
        "discussion": s.discussion_state(c),
    }  # fmt: skip


def _speech(sp) -> dict:
    return {"id": sp.pk, "member": ref(sp.member), "kind": sp.kind, "title": sp.title, "text": sp.text,
            "created_at": sp.created_at}  # fmt: skip


def _detail(c: Consultation, *, staff: bool, member=None) -> dict:
    speeches = c.speeches.select_related("member")
    if not staff:
        speeches = speeches.filter(member=member)
    outcome = Outcome.objects.filter(consultation=c).first()
    return {
        **_summary(c),
        "place": c.place, "lead": ref(c.lead), "sub_district": ref(c.sub_district),
        "units": [ref(u) for u in c.units.all()],
        "experts": [x for x in c.experts.splitlines() if x.strip()] if staff else [],
        "residents": [x for x in c.residents.splitlines() if x.strip()] if staff else [],
        "research": c.research, "opens_at": c.opens_at, "closes_at": c.closes_at,
        "participants": [ref(p.member) for p in c.participants.select_related("member")] if staff else [],
        "materials": [
            {"id": m.pk, "name": m.name, "purpose": m.purpose, "size": m.size,
             "url": f"/consultations/materials/{m.pk}/"}
            for m in c.materials.all()
        ],
        "speeches": [_speech(sp) for sp in speeches],
        "outcome_id": outcome.pk if outcome and (staff or outcome.state == "published") else None,
    }  # fmt: skip


def _staff(request) -> bool:
    return request.user.has_perm("consultations.view_all", request.committee)


def _visible_consultation(request, consultation_id: int) -> Consultation:
    """Staff and leaders: any of the committee's; a member: one they are invited to (else 404)."""
    if _staff(request):
        return get_scoped(Consultation, request, consultation_id)
    if not request.user.has_perm("consultations.take_part", request.committee):
        raise PermissionDenied
    member = s.member_of(request.user, request.committee)
    if member is None:
        raise Http404
    return get_object_or_404(q.member_consultations(request.committee, member), pk=consultation_id)


@router.get(
    "/consultations/events", response=responses(200, ConsultationPageOut), auth=requires("consultations.view_all")
)
def event_list(request, limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0, le=10**9)):
    qs = Consultation.objects.for_committee(request.committee).order_by("-held_on", "-id")
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "items": [_summary(c) for c in qs[offset : offset + limit]]}  # fmt: skip


@router.get(
    "/consultations/mine",
    response=responses(200, list[ConsultationSummaryOut]),
    auth=requires("consultations.take_part"),
)
def my_events(request):
    member = s.member_of(request.user, request.committee)
    return [_summary(c) for c in q.member_consultations(request.committee, member)] if member else []


class ConsultationIn(Input):
    topic_id: Id | None = None
    title: Text(200) = ""
    kind: KindCode | None = None
    held_on: dt.date
    place: Text(120) = ""
    lead_id: Id | None = None
    sub_district_id: Id | None = None
    unit_ids: list[Id] = []
    experts: Text(2000) = ""
    residents: Text(2000) = ""
    research: Text(20000) = ""
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None


@router.post(
    "/consultations/events", response=responses(201, ConsultationOut, 409, 422), auth=requires("consultations.manage")
)
def event_create(request, payload: ConsultationIn):
    c = s.consultation_create(
        committee=request.committee, by=request.user, title=payload.title, kind=payload.kind or "",
        held_on=payload.held_on, place=payload.place, experts=payload.experts, residents=payload.residents,
        research=payload.research, opens_at=payload.opens_at, closes_at=payload.closes_at,
        topic=resolve_ref(Topic, request, payload.topic_id, "topic_id"),
        lead=resolve_ref(SpecialCommittee, request, payload.lead_id, "lead_id"),
        sub_district=resolve_ref(SubDistrict, request, payload.sub_district_id, "sub_district_id"),
        units=_refs(HandlingUnit, request, payload.unit_ids, "unit_ids"),
    )  # fmt: skip
    return Status(201, _detail(c, staff=True))


@router.get(
    "/consultations/events/{consultation_id}",
    response=responses(200, ConsultationOut),
    auth=requires("core.use"),
)
def event_detail(request, consultation_id: int):
    c = _visible_consultation(request, consultation_id)
    return _detail(c, staff=_staff(request), member=s.member_of(request.user, request.committee))


class PrepareIn(Input):
    place: Text(120) | None = None
    held_on: dt.date | None = None
    experts: Text(2000) | None = None
    residents: Text(2000) | None = None
    research: Text(20000) | None = None
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None


@router.patch(
    "/consultations/events/{consultation_id}",
    response=responses(200, ConsultationOut, 409, 422),
    auth=requires("consultations.manage"),
)
def event_update(request, consultation_id: int, payload: PrepareIn):
    c = get_scoped(Consultation, request, consultation_id)
    fields = payload.model_dump(exclude_unset=True)
    c = s.consultation_update(consultation=c, by=request.user, **fields)
    return _detail(c, staff=True)


def _event_action(request, consultation_id: int, action: str, payload: "ActionIn"):
    c = get_scoped(Consultation, request, consultation_id)
    s.consultation_act(consultation=c, by=request.user, action=action, reason=payload.reason)
    return _detail(c, staff=True)


@router.post(
    "/consultations/events/{consultation_id}/hold",
    response=responses(200, ConsultationOut, 409, 422),
    auth=requires("consultations.manage"),
)
def event_hold(request, consultation_id: int, payload: ActionIn):
    return _event_action(request, consultation_id, "hold", payload)


@router.post(
    "/consultations/events/{consultation_id}/cancel",
    response=responses(200, ConsultationOut, 409, 422),
    auth=requires("consultations.manage"),
)
def event_cancel(request, consultation_id: int, payload: ActionIn):
    return _event_action(request, consultation_id, "cancel", payload)


class InviteIn(Input):
    member_ids: list[Id]


class InviteOut(Schema):
    added: int
    participants: int


@router.post(
    "/consultations/events/{consultation_id}/participants",
    response=responses(200, InviteOut, 409, 422),
    auth=requires("consultations.manage"),
)
def event_invite(request, consultation_id: int, payload: InviteIn):
    c = get_scoped(Consultation, request, consultation_id)
    added = s.invite(consultation=c, by=request.user, members=_refs(Member, request, payload.member_ids, "member_ids"))
    return {"added": added, "participants": c.participants.count()}


@router.post(
    "/consultations/events/{consultation_id}/materials",
    response=responses(201, MaterialOut, 409, 422),
    auth=requires("consultations.manage"),
)
def event_material(
    request, consultation_id: int, file: File[UploadedFile], purpose: Form[Literal["material", "research"]] = "material"
):
    c = get_scoped(Consultation, request, consultation_id)
    m = s.material_add(consultation=c, by=request.user, upload=file, purpose=purpose)
    return Status(
        201,
        {"id": m.pk, "name": m.name, "purpose": m.purpose, "size": m.size, "url": f"/consultations/materials/{m.pk}/"},
    )


class SpeechIn(Input):
    member_id: Id
    kind: Literal["oral", "written"]
    title: Text(200, min_length=1)
    text: Text(20000, min_length=1)


@router.post(
    "/consultations/events/{consultation_id}/speeches",
    response=responses(201, SpeechOut, 409, 422),
    auth=requires("consultations.manage"),
)
def event_speech(request, consultation_id: int, payload: SpeechIn):
    c = get_scoped(Consultation, request, consultation_id)
    sp = s.speech_record(
        consultation=c, by=request.user, member=resolve_ref(Member, request, payload.member_id, "member_id"),
        kind=payload.kind, title=payload.title, text=payload.text,
    )  # fmt: skip
    return Status(201, _speech(sp))


class OpinionIn(Input):
    title: Text(200, min_length=1)
    text: Text(20000, min_length=1)


@router.post(
    "/consultations/events/{consultation_id}/opinions",
    response=responses(201, SpeechOut, 409, 422),
    auth=requires("consultations.take_part"),
)
def event_opinion(request, consultation_id: int, payload: OpinionIn):
    c = get_scoped(Consultation, request, consultation_id)
    sp = s.opinion_submit(consultation=c, by=request.user, title=payload.title, text=payload.text)
    return Status(201, _speech(sp))


def _post(p: Post) -> dict:
    return {"id": p.pk, "member": ref(p.member), "text": p.text, "created_at": p.created_at, "hidden": p.hidden,
            "hidden_reason": p.hidden_reason}  # fmt: skip


@router.get(
    "/consultations/events/{consultation_id}/posts", response=responses(200, list[PostOut]), auth=requires("core.use")
)
def event_posts(request, consultation_id: int):
    c = _visible_consultation(request, consultation_id)
    return [_post(p) for p in q.visible_posts(c, staff=_staff(request))]


class PostIn(Input):
    text: Text(2000, min_length=1)


@router.post(
    "/consultations/events/{consultation_id}/posts",
    response=responses(201, PostOut, 409, 422),
    auth=requires("consultations.take_part"),
)
def event_post(request, consultation_id: int, payload: PostIn):
    c = get_scoped(Consultation, request, consultation_id)
    return Status(201, _post(s.post_create(consultation=c, by=request.user, text=payload.text)))


class HideIn(Input):
    reason: Text(200, min_length=1)


@router.post(
    "/consultations/posts/{post_id}/hide",
    response=responses(200, PostOut, 409, 422),
    auth=requires("consultations.manage"),
)
def post_hide(request, post_id: int, payload: HideIn):
    return _post(s.post_hide(post=get_scoped(Post, request, post_id), by=request.user, reason=payload.reason))


# --------------------------------------------------------------------------- supervision


class InspectionOut(Schema):
    id: int
    date: dt.date
    place: str
    members: list[Ref]
    notes: str


class FindingOut(Schema):
    id: int
    text: str
    unit: Ref | None


class SupervisionOut(Schema):
    id: int
    year: int
    title: str
    lead: Ref | None
    units: list[Ref]
    description: str
    inspections: list[InspectionOut]
    findings: list[FindingOut]
    outcome_id: int | None


def _supervision(sup: Supervision) -> dict:
    outcome = Outcome.objects.filter(supervision=sup).first()
    return {
        "id": sup.pk, "year": sup.year, "title": sup.title, "lead": ref(sup.lead),
        "units": [ref(u) for u in sup.units.all()], "description": sup.description,
        "inspections": [
            {"id": i.pk, "date": i.date, "place": i.place, "members": [ref(m) for m in i.members.all()],
             "notes": i.notes}
            for i in sup.inspections.prefetch_related("members")
        ],
        "findings": [{"id": f.pk, "text": f.text, "unit": ref(f.unit)} for f in sup.findings.select_related("unit")],
        "outcome_id": outcome.pk if outcome else None,
    }  # fmt: skip


class SupervisionIn(Input):
    year: int
    title: Text(200, min_length=1)
    lead_id: Id | None = None
    unit_ids: list[Id] = []
    description: Text(5000) = ""


@router.get(
    "/consultations/supervisions",
    response=responses(200, list[SupervisionOut]),
    auth=requires("consultations.view_all"),
)
def supervision_list(request):
    return [_supervision(x) for x in Supervision.objects.for_committee(request.committee)]


@router.post(
    "/consultations/supervisions", response=responses(201, SupervisionOut, 422), auth=requires("consultations.manage")
)
def supervision_create(request, payload: SupervisionIn):
    sup = s.supervision_create(
        committee=request.committee, by=request.user, year=payload.year, title=payload.title,
        description=payload.description, lead=resolve_ref(SpecialCommittee, request, payload.lead_id, "lead_id"),
        units=_refs(HandlingUnit, request, payload.unit_ids, "unit_ids"),
    )  # fmt: skip
    return Status(201, _supervision(sup))


@router.get(
    "/consultations/supervisions/{supervision_id}",
    response=responses(200, SupervisionOut),
    auth=requires("consultations.view_all"),
)
def supervision_detail(request, supervision_id: int):
    return _supervision(get_scoped(Supervision, request, supervision_id))


class InspectionIn(Input):
    date: dt.date
    place: Text(200, min_length=1)
    member_ids: list[Id] = []
    notes: Text(20000) = ""


@router.post(
    "/consultations/supervisions/{supervision_id}/inspections",
    response=responses(201, SupervisionOut, 422),
    auth=requires("consultations.manage"),
)
def supervision_inspection(request, supervision_id: int, payload: InspectionIn):
    sup = get_scoped(Supervision, request, supervision_id)
    s.inspection_add(
        supervision=sup, by=request.user, date=payload.date, place=payload.place, notes=payload.notes,
        members=_refs(Member, request, payload.member_ids, "member_ids"),
    )  # fmt: skip
    return Status(201, _supervision(sup))


class FindingIn(Input):
    text: Text(5000, min_length=1)
    unit_id: Id | None = None


@router.post(
    "/consultations/supervisions/{supervision_id}/findings",
    response=responses(201, SupervisionOut, 422),
    auth=requires("consultations.manage"),
)
def supervision_finding(request, supervision_id: int, payload: FindingIn):
    sup = get_scoped(Supervision, request, supervision_id)
    s.finding_add(
        supervision=sup, by=request.user, text=payload.text,
        unit=resolve_ref(HandlingUnit, request, payload.unit_id, "unit_id"),
    )  # fmt: skip
    return Status(201, _supervision(sup))


# --------------------------------------------------------------------------- outcomes and recommendations


class StepOut(Schema):
    id: int
    date: dt.date
    text: str


class ResponseOut(Schema):
    id: int
    recommendation_id: int
    number: int
    unit: Ref
    state: str
    state_label: str
    sent_on: dt.date
    due_date: dt.date
    overdue: bool
    adoption: str
    adoption_label: str
    reason: str
    answer: str
    feedback: str
    steps: list[StepOut]


class RecommendationOut(Schema):
    id: int
    number: int
    text: str
    units: list[Ref]
    due_date: dt.date | None
    responses: list[ResponseOut]


class OutcomeOut(Schema):
    id: int
    title: str
    summary: str
    state: str
    state_label: str
    consultation_id: int | None
    supervision_id: int | None
    drafters: list[Ref]
    sent_at: dt.datetime | None
    published_at: dt.datetime | None
    recommendations: list[RecommendationOut]


def _response(r: Response, today=None) -> dict:
    today = today or timezone.localdate()
    rec = r.recommendation
    return {
        "id": r.pk, "recommendation_id": rec.pk, "number": rec.number, "unit": ref(r.unit), "state": r.state,
        "state_label": RESPONSE.state_label(r.state), "sent_on": r.sent_on, "due_date": r.due_date,
        "overdue": r.state != "closed" and r.due_date < today, "adoption": r.adoption,
        "adoption_label": r.get_adoption_display() if r.adoption else "", "reason": r.reason, "answer": r.answer,
        "feedback": r.feedback, "steps": [{"id": x.pk, "date": x.date, "text": x.text} for x in r.steps.all()],
    }  # fmt: skip


def _outcome(o: Outcome) -> dict:
    responses_by: dict = {}
    for r in (
        Response.objects.filter(recommendation__outcome=o)
        .select_related("unit", "recommendation")
        .prefetch_related("steps")
    ):
        responses_by.setdefault(r.recommendation_id, []).append(_response(r))
    return {
        "id": o.pk, "title": o.title, "summary": o.summary, "state": o.state,
        "state_label": OUTCOME.state_label(o.state),
        "consultation_id": o.consultation_id, "supervision_id": o.supervision_id,
        "drafters": [ref(m) for m in o.drafters.all()], "sent_at": o.sent_at, "published_at": o.published_at,
        "recommendations": [
            {"id": r.pk, "number": r.number, "text": r.text, "units": [ref(u) for u in r.units.all()],
             "due_date": r.due_date, "responses": responses_by.get(r.pk, [])}
            for r in o.recommendations.prefetch_related("units")
        ],
    }  # fmt: skip


class OutcomeIn(Input):
    consultation_id: Id | None = None
    supervision_id: Id | None = None
    title: Text(200, min_length=1)
    summary: Text(50000, min_length=1)
    drafter_ids: list[Id] = []


@router.post(
    "/consultations/outcomes", response=responses(201, OutcomeOut, 409, 422), auth=requires("consultations.manage")
)
def outcome_create(request, payload: OutcomeIn):
    o = s.outcome_create(
        committee=request.committee, by=request.user, title=payload.title, summary=payload.summary,
        consultation=resolve_ref(Consultation, request, payload.consultation_id, "consultation_id"),
        supervision=resolve_ref(Supervision, request, payload.supervision_id, "supervision_id"),
        drafters=_refs(Member, request, payload.drafter_ids, "drafter_ids"),
    )  # fmt: skip
    return Status(201, _outcome(o))


@router.get(
    "/consultations/outcomes/{outcome_id}", response=responses(200, OutcomeOut), auth=requires("consultations.view_all")
)
def outcome_detail(request, outcome_id: int):
    return _outcome(get_scoped(Outcome, request, outcome_id))


class OutcomeEditIn(Input):
    title: Text(200, min_length=1)
    summary: Text(50000, min_length=1)
    drafter_ids: list[Id] = []


@router.put(
    "/consultations/outcomes/{outcome_id}",
    response=responses(200, OutcomeOut, 409, 422),
    auth=requires("consultations.manage"),
)
def outcome_update(request, outcome_id: int, payload: OutcomeEditIn):
    o = get_scoped(Outcome, request, outcome_id)
    s.outcome_update(
        outcome=o, by=request.user, title=payload.title, summary=payload.summary,
        drafters=_refs(Member, request, payload.drafter_ids, "drafter_ids"),
    )  # fmt: skip
    o.refresh_from_db()
    return _outcome(o)


class RecommendationIn(Input):
    text: Text(5000, min_length=1)
    unit_ids: list[Id]
    due_date: dt.date | None = None


@router.post(
    "/consultations/outcomes/{outcome_id}/recommendations",
    response=responses(201, OutcomeOut, 409, 422),
    auth=requires("consultations.manage"),
)
def recommendation_create(request, outcome_id: int, payload: RecommendationIn):
    o = get_scoped(Outcome, request, outcome_id)
    s.recommendation_save(
        outcome=o, by=request.user, text=payload.text, due_date=payload.due_date,
        units=_refs(HandlingUnit, request, payload.unit_ids, "unit_ids"),
    )  # fmt: skip
    return Status(201, _outcome(o))


@router.delete(
    "/consultations/recommendations/{recommendation_id}",
    response=responses(204, None, 409),
    auth=requires("consultations.manage"),
)
def recommendation_delete(request, recommendation_id: int):
    s.recommendation_delete(recommendation=get_scoped(Recommendation, request, recommendation_id), by=request.user)
    return Status(204, None)


@router.post(
    "/consultations/outcomes/{outcome_id}/{action}",
    response=responses(200, OutcomeOut, 409, 422),
    auth=requires("consultations.manage"),
)
def outcome_action(request, outcome_id: int, action: Literal["send", "publish"]):
    o = get_scoped(Outcome, request, outcome_id)
    if action == "send":
        s.outcome_send(outcome=o, by=request.user)
    else:
        s.outcome_publish(outcome=o, by=request.user)
    o.refresh_from_db()
    return _outcome(o)


class OpenRowOut(Schema):
    id: int
    outcome: Ref
    recommendation_id: int
    number: int
    text: str
    unit: Ref
    state: str
    state_label: str
    sent_on: dt.date
    age_days: int
    due_date: dt.date
    overdue: bool
    step_count: int
    last_step: dt.date | None


class OpenPageOut(Page):
    overdue: int
    items: list[OpenRowOut]


@router.get(
    "/consultations/open-recommendations",
    response=responses(200, OpenPageOut, 422),
    auth=requires("consultations.view_all"),
)
def open_recommendations(
    request,
    unit_id: Id | None = None,
    overdue: bool = False,
    min_age: int | None = Query(None, ge=0, le=100000),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=10**9),
):
    today = timezone.localdate()
    unit = resolve_ref(HandlingUnit, request, unit_id, "unit_id")
    qs = q.open_responses(request.committee, unit=unit, overdue=overdue, min_age=min_age, today=today)
    totals = q.counts(qs, today)
    rows = q.with_details(qs, today)[offset : offset + limit]
    items = [
        {
            "id": r["id"],
            "outcome": {"id": r["recommendation__outcome_id"], "name": r["recommendation__outcome__title"]},
            "recommendation_id": r["recommendation_id"],
            "number": r["recommendation__number"],
            "text": r["recommendation__text"],
            "unit": {"id": r["unit_id"], "name": r["unit__name"]},
            "state": r["state"],
            "state_label": r["state_text"],
            "sent_on": r["sent_on"],
            "age_days": r["age_days"],
            "due_date": r["due_date"],
            "overdue": r["overdue"],
            "step_count": r["step_count"],
            "last_step": r["last_step"],
        }
        for r in q.decorate(rows, today)
    ]
    return {"count": totals["total"], "overdue": totals["overdue"], "limit": limit, "offset": offset, "items": items}


# --------------------------------------------------------------------------- a department's follow-up


def _my_unit(request):
    unit = s.unit_of(request.user, request.committee)
    if unit is None:
        raise PermissionDenied
    return unit


@router.get(
    "/consultations/unit/responses", response=responses(200, list[ResponseOut]), auth=requires("consultations.respond")
)
def unit_responses(request):
    unit = _my_unit(request)
    today = timezone.localdate()
    return [
        _response(r, today)
        for r in q.unit_responses(request.committee, unit).select_related("unit").prefetch_related("steps")
    ]


class AnswerIn(Input):
    adoption: Literal["adopted", "partly", "not_adopted"]
    answer: Text(20000, min_length=1)
    reason: Text(5000) = ""


class StepIn(Input):
    date: dt.date
    text: Text(20000, min_length=1)


class FeedbackIn(Input):
    feedback: Text(20000, min_length=1)


def _unit_rec(request, recommendation_id: int):
    return _my_unit(request), get_scoped(Recommendation, request, recommendation_id)


@router.post(
    "/consultations/recommendations/{recommendation_id}/answer",
    response=responses(200, ResponseOut, 409, 422),
    auth=requires("consultations.respond"),
)
def response_answer(request, recommendation_id: int, payload: AnswerIn):
    unit, rec = _unit_rec(request, recommendation_id)
    r = s.response_answer(
        recommendation=rec, unit=unit, by=request.user, adoption=payload.adoption, answer=payload.answer,
        reason=payload.reason,
    )  # fmt: skip
    return _response(r)


@router.post(
    "/consultations/recommendations/{recommendation_id}/steps",
    response=responses(201, ResponseOut, 409, 422),
    auth=requires("consultations.respond"),
)
def response_step(request, recommendation_id: int, payload: StepIn):
    unit, rec = _unit_rec(request, recommendation_id)
    step = s.step_add(recommendation=rec, unit=unit, by=request.user, date=payload.date, text=payload.text)
    return Status(201, _response(Response.objects.get(pk=step.response_id)))


@router.post(
    "/consultations/recommendations/{recommendation_id}/feedback",
    response=responses(200, ResponseOut, 409, 422),
    auth=requires("consultations.respond"),
)
def response_feedback(request, recommendation_id: int, payload: FeedbackIn):
    unit, rec = _unit_rec(request, recommendation_id)
    return _response(s.response_feed_back(recommendation=rec, unit=unit, by=request.user, feedback=payload.feedback))


@router.post(
    "/consultations/responses/{response_id}/reopen",
    response=responses(200, ResponseOut, 409, 422),
    auth=requires("consultations.manage"),
)
def response_reopen(request, response_id: int, payload: ActionIn):
    r = get_scoped(Response, request, response_id)
    return _response(s.response_reopen(response=r, by=request.user, reason=payload.reason))


# Kind is used by the OpenAPI literal above; keep the import meaningful for readers.
assert set(KindCode.__args__) == set(Kind.values)
