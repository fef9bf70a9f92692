"""Staff desktop pages (/consultations/staff/…): the yearly plan with its topics, consultation events,
outcome reports with their recommendations, the open-recommendations table and democratic supervision.
Staff and leaders read (consultations.view_all); the special-committee staff and the office act
(consultations.manage). Every write calls lvzhi/consultations/services.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lvzhi.core.decorators import requires
from lvzhi.core.workflow import TransitionRefused

from . import queries as q
from . import services as s
from .forms import (
    ConsultationForm,
    FindingForm,
    HideForm,
    InspectionForm,
    InviteForm,
    MaterialForm,
    OpenFilterForm,
    OutcomeForm,
    PlanForm,
    PrepareForm,
    ReasonForm,
    RecommendationForm,
    SpeechForm,
    SupervisionForm,
    TopicForm,
)
from .models import Consultation, Outcome, Plan, Post, Recommendation, Response, Supervision, Topic
from .workflow import CONSULTATION, OUTCOME, PLAN, RESPONSE


def error_text(error: Exception) -> str:
    if isinstance(error, TransitionRefused):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def form_errors(form) -> str:
    return " ".join(str(m) for errs in form.errors.values() for m in errs)


def run(request, action, success: str) -> bool:
    """Call a service; show its refusal or the success message. True when it went through."""
    try:
        action()
    except (TransitionRefused, ValidationError) as e:
        messages.error(request, error_text(e))
        return False
    messages.success(request, success)
    return True


def _can_manage(request) -> bool:
    return request.user.has_perm("consultations.manage", request.committee)


# --------------------------------------------------------------------------- plan


@require_GET
@requires("consultations.view_all")
def staff_home(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.for_committee(request.committee).prefetch_related("topics")
    recent = Consultation.objects.for_committee(request.committee).select_related("topic")[:10]
    open_counts = q.counts(q.open_responses(request.committee))
    return render(
        request,
        "consultations/staff/home.html",
        {
            "plans": plans,
            "recent": recent,
            "open_counts": open_counts,
            "plan_form": PlanForm(initial={"year": timezone.localdate().year + 1}),
            "can_manage": _can_manage(request),
        },
    )


@require_POST
@requires("consultations.manage")
def plan_new(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("consultations:staff_home")
    try:
        plan = s.plan_create(committee=request.committee, by=request.user, **form.cleaned_data)
    except ValidationError as e:
        messages.error(request, error_text(e))
        return redirect("consultations:staff_home")
    return redirect("consultations:staff_plan", pk=plan.pk)


@require_GET
@requires("consultations.view_all")
def staff_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.for_committee(request.committee), pk=pk)
    topics = plan.topics.select_related("lead", "sub_district").prefetch_related("units", "consultations")
    editing = None
    if plan.state == "draft" and request.GET.get("edit", "").isdigit():
        editing = plan.topics.filter(pk=int(request.GET["edit"])).first()
    initial = {}
    if editing is not None:
        initial = {
            "title": editing.title, "kind": editing.kind, "lead": editing.lead_id, "month": editing.month,
            "sub_district": editing.sub_district_id, "note": editing.note, "units": list(editing.units.all()),
        }  # fmt: skip
    return render(
        request,
        "consultations/staff/plan.html",
        {
            "plan": plan,
            "topics": topics,
            "state_label": PLAN.state_label(plan.state),
            "actions": PLAN.available(plan, request.roles),
            "topic_form": TopicForm(committee=request.committee, initial=initial),
            "editing": editing,
            "reason_form": ReasonForm(),
            "can_manage": _can_manage(request),
        },
    )


@require_POST
@requires("consultations.manage")
def topic_save(request: HttpRequest, pk: int, topic_pk: int | None = None) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.for_committee(request.committee), pk=pk)
    topic = get_object_or_404(plan.topics, pk=topic_pk) if topic_pk else None
    form = TopicForm(request.POST, committee=request.committee)
    if not form.is_valid():
        messages.error(request, _("议题未保存:%(why)s") % {"why": form_errors(form)})
    else:
        run(
            request,
            lambda: s.topic_save(plan=plan, by=request.user, topic=topic, **form.cleaned_data),
            _("议题已保存。"),
        )
    return redirect("consultations:staff_plan", pk=plan.pk)


@require_POST
@requires("consultations.manage")
def topic_delete(request: HttpRequest, pk: int, topic_pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.for_committee(request.committee), pk=topic_pk, plan_id=pk)
    run(request, lambda: s.topic_delete(topic=topic, by=request.user), _("议题已删除。"))
    return redirect("consultations:staff_plan", pk=pk)


@require_POST
@requires("consultations.view_all")  # the workflow says who: staff submit, the office or a leader approves
def plan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.for_committee(request.committee), pk=pk)
    done = {
        "submit": _("协商计划已提交审批。"),
        "approve": _("协商计划已批准。"),
        "send_back": _("协商计划已退回修改。"),
    }
    if action not in done:
        messages.error(request, _("未知的操作。"))
    else:
        run(
            request,
            lambda: s.plan_act(plan=plan, by=request.user, action=action, reason=request.POST.get("reason", "")),
            done[action],
        )
    return redirect("consultations:staff_plan", pk=plan.pk)


# --------------------------------------------------------------------------- consultation events


@require_GET
@requires("consultations.view_all")
def staff_events(request: HttpRequest) -> HttpResponse:
    events = (
        Consultation.objects.for_committee(request.committee)
        .select_related("topic", "lead", "outcome")
        .order_by("-held_on", "-id")
    )
    page = Paginator(events, 30).get_page(request.GET.get("page"))
    initial = {}
    if request.GET.get("topic", "").isdigit():
        initial["topic"] = int(request.GET["topic"])
    return render(
        request,
        "consultations/staff/events.html",
        {
            "page": page,
            "form": ConsultationForm(committee=request.committee, initial=initial),
            "can_manage": _can_manage(request),
        },
    )


@require_POST
@requires("consultations.manage")
def event_new(request: HttpRequest) -> HttpResponse:
    form = ConsultationForm(request.POST, committee=request.committee)
    if not form.is_valid():
        messages.error(request, _("协商活动未创建:%(why)s") % {"why": form_errors(form)})
        return redirect("consultations:staff_events")
    data = dict(form.cleaned_data)
    try:
        c = s.consultation_create(committee=request.committee, by=request.user, **data)
    except (TransitionRefused, ValidationError) as e:
        messages.error(request, _("协商活动未创建:%(why)s") % {"why": error_text(e)})
        return redirect("consultations:staff_events")
    messages.success(request, _("协商活动已创建,请邀请委员、上传材料。"))
    return redirect("consultations:staff_event", pk=c.pk)


def _event(request, pk) -> Consultation:
    return get_object_or_404(
        Consultation.objects.for_committee(request.committee).select_related("topic", "lead", "sub_district"), pk=pk
    )


@require_GET
@requires("consultations.view_all")
def staff_event(request: HttpRequest, pk: int) -> HttpResponse:
    c = _event(request, pk)
    outcome = Outcome.objects.filter(consultation=c).first()
    return render(
        request,
        "consultations/staff/event.html",
        {
            "c": c,
            "state_label": CONSULTATION.state_label(c.state),
            "actions": CONSULTATION.available(c, request.roles),
            "participants": c.participants.select_related("member", "member__sector"),
            "units": c.units.all(),
            "materials": c.materials.all(),
            "speeches": c.speeches.select_related("member"),
            "posts": q.visible_posts(c, staff=True),
            "discussion": s.discussion_state(c),
            "outcome": outcome,
            "can_manage": _can_manage(request),
            "invite_form": InviteForm(committee=request.committee),
            "material_form": MaterialForm(),
            "prepare_form": PrepareForm(
                initial={"place": c.place, "experts": c.experts, "residents": c.residents, "research": c.research}
            ),
            "speech_form": SpeechForm(committee=request.committee),
            "hide_form": HideForm(),
            "outcome_form": OutcomeForm(committee=request.committee, initial={"title": c.title}),
            "reason_form": ReasonForm(),
        },
    )


@require_POST
@requires("consultations.manage")
def event_post(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """The writes of the event page: invite, material, prepare, speech, hold, cancel."""
    c = _event(request, pk)
    by = request.user
    if what == "invite":
        form = InviteForm(request.POST, committee=request.committee)
        if form.is_valid():
            run(request, lambda: s.invite(consultation=c, by=by, members=form.chosen()), _("已邀请委员。"))
        else:
            messages.error(request, form_errors(form))
    elif what == "material":
        form = MaterialForm(request.POST, request.FILES)
        if form.is_valid():
            run(
                request,
                lambda: s.material_add(
                    consultation=c, by=by, upload=form.cleaned_data["file"], purpose=form.cleaned_data["purpose"]
                ),
                _("材料已上传。"),
            )
        else:
            messages.error(request, form_errors(form))
    elif what == "prepare":
        form = PrepareForm(request.POST)
        if form.is_valid():
            run(request, lambda: s.consultation_update(consultation=c, by=by, **form.cleaned_data), _("已保存。"))
        else:
            messages.error(request, form_errors(form))
    elif what == "speech":
        form = SpeechForm(request.POST, committee=request.committee)
        if form.is_valid():
            run(request, lambda: s.speech_record(consultation=c, by=by, **form.cleaned_data), _("发言已记录。"))
        else:
            messages.error(request, form_errors(form))
    elif what in ("hold", "cancel"):
        run(
            request,
            lambda: s.consultation_act(consultation=c, by=by, action=what, reason=request.POST.get("reason", "")),
            _("协商活动已举行。") if what == "hold" else _("协商活动已取消。"),
        )
    elif what == "outcome":
        form = OutcomeForm(request.POST, committee=request.committee)
        if form.is_valid():
            try:
                o = s.outcome_create(committee=request.committee, by=by, consultation=c, **form.cleaned_data)
            except (TransitionRefused, ValidationError) as e:
                messages.error(request, error_text(e))
            else:
                messages.success(request, _("成果报告已创建,请逐条填写建议。"))
                return redirect("consultations:staff_outcome", pk=o.pk)
        else:
            messages.error(request, form_errors(form))
    else:
        messages.error(request, _("未知的操作。"))
    return redirect("consultations:staff_event", pk=c.pk)


@require_POST
@requires("consultations.manage")
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.for_committee(request.committee), pk=pk)
    form = HideForm(request.POST)
    if form.is_valid():
        run(
            request,
            lambda: s.post_hide(post=post, by=request.user, reason=form.cleaned_data["reason"]),
            _("发言已隐藏。"),
        )
    else:
        messages.error(request, _("请填写隐藏理由。"))
    return redirect("consultations:staff_event", pk=post.consultation_id)


# --------------------------------------------------------------------------- outcome editor


def _outcome(request, pk) -> Outcome:
    return get_object_or_404(
        Outcome.objects.for_committee(request.committee).select_related("consultation", "supervision"), pk=pk
    )


@require_GET
@requires("consultations.view_all")
def staff_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    o = _outcome(request, pk)
    recs = o.recommendations.prefetch_related("units")
    responses = (
        Response.objects.filter(recommendation__outcome=o)
        .select_related("unit", "recommendation")
        .prefetch_related("steps")
        .order_by("recommendation__number", "unit__order", "id")
    )
    by_rec: dict = {}
    for r in responses:
        by_rec.setdefault(r.recommendation_id, []).append(r)
    today = timezone.localdate()
    rows = [(rec, by_rec.get(rec.pk, [])) for rec in recs]
    return render(
        request,
        "consultations/staff/outcome.html",
        {
            "o": o,
            "rows": rows,
            "today": today,
            "state_label": OUTCOME.state_label(o.state),
            "actions": OUTCOME.available(o, request.roles),
            "response_labels": RESPONSE.states,
            "can_manage": _can_manage(request),
            "outcome_form": OutcomeForm(
                committee=request.committee,
                initial={"title": o.title, "summary": o.summary, "drafters": list(o.drafters.all())},
            ),
            "rec_form": RecommendationForm(committee=request.committee),
            "reason_form": ReasonForm(),
        },
    )


@require_POST
@requires("consultations.manage")
def outcome_post(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    o = _outcome(request, pk)
    by = request.user
    if what == "edit":
        form = OutcomeForm(request.POST, committee=request.committee)
        if form.is_valid():
            run(request, lambda: s.outcome_update(outcome=o, by=by, **form.cleaned_data), _("成果报告已保存。"))
        else:
            messages.error(request, form_errors(form))
    elif what == "recommendation":
        form = RecommendationForm(request.POST, committee=request.committee)
        if form.is_valid():
            run(request, lambda: s.recommendation_save(outcome=o, by=by, **form.cleaned_data), _("建议已添加。"))
        else:
            messages.error(request, _("建议未保存:%(why)s") % {"why": form_errors(form)})
    elif what == "send":
        run(request, lambda: s.outcome_send(outcome=o, by=by), _("建议已送达各责任部门。"))
    elif what == "publish":
        run(request, lambda: s.outcome_publish(outcome=o, by=by), _("协商成果已向社会公开。"))
    else:
        messages.error(request, _("未知的操作。"))
    return redirect("consultations:staff_outcome", pk=o.pk)


@require_POST
@requires("consultations.manage")
def recommendation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_object_or_404(Recommendation.objects.for_committee(request.committee), pk=pk)
    run(request, lambda: s.recommendation_delete(recommendation=rec, by=request.user), _("建议已删除。"))
    return redirect("consultations:staff_outcome", pk=rec.outcome_id)


@require_GET
@requires("consultations.view_all")
def staff_response(request: HttpRequest, pk: int) -> HttpResponse:
    """One department's follow-up of one recommendation, with its history."""
    response = get_object_or_404(
        Response.objects.for_committee(request.committee).select_related("unit", "recommendation__outcome"), pk=pk
    )
    return render(
        request,
        "consultations/staff/response.html",
        {
            "r": response,
            "rec": response.recommendation,
            "steps": response.steps.all(),
            "state_label": RESPONSE.state_label(response.state),
            "overdue": response.state != "closed" and response.due_date < timezone.localdate(),
            "can_manage": _can_manage(request),
        },
    )


@require_POST
@requires("consultations.manage")
def response_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(Response.objects.for_committee(request.committee).select_related("unit"), pk=pk)
    run(
        request,
        lambda: s.response_reopen(response=response, by=request.user, reason=request.POST.get("reason", "")),
        _("已退回部门继续落实。"),
    )
    return redirect("consultations:staff_outcome", pk=response.recommendation.outcome_id)


# --------------------------------------------------------------------------- open recommendations


def _open_filtered(request):
    form = OpenFilterForm(request.GET or None, committee=request.committee)
    args = {}
    if form.is_bound and form.is_valid():
        args = {
            "unit": form.cleaned_data["unit"],
            "overdue": form.cleaned_data["overdue"],
            "min_age": form.cleaned_data["min_age"],
        }
    return form, q.open_responses(request.committee, **args)


@require_GET
@requires("consultations.view_all")
def staff_open(request: HttpRequest) -> HttpResponse:
    form, qs = _open_filtered(request)
    today = timezone.localdate()
    totals = q.counts(qs, today)
    paginator = Paginator(q.with_details(qs, today), q.PAGE_SIZE)
    paginator.count = totals["total"]  # counted above with the overdue figure: no second COUNT
    page = paginator.get_page(request.GET.get("page"))
    rows = q.decorate(page.object_list, today)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "consultations/staff/open.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "totals": totals,
            "query": params.urlencode(),
        },
    )


# --------------------------------------------------------------------------- democratic supervision


@require_GET
@requires("consultations.view_all")
def staff_supervisions(request: HttpRequest) -> HttpResponse:
    topics = (
        Supervision.objects.for_committee(request.committee).select_related("lead", "outcome").prefetch_related("units")
    )
    return render(
        request,
        "consultations/staff/supervisions.html",
        {
            "topics": topics,
            "form": SupervisionForm(committee=request.committee, initial={"year": timezone.localdate().year}),
            "can_manage": _can_manage(request),
        },
    )


@require_POST
@requires("consultations.manage")
def supervision_new(request: HttpRequest) -> HttpResponse:
    form = SupervisionForm(request.POST, committee=request.committee)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("consultations:staff_supervisions")
    sup = s.supervision_create(committee=request.committee, by=request.user, **form.cleaned_data)
    return redirect("consultations:staff_supervision", pk=sup.pk)


def _supervision(request, pk) -> Supervision:
    return get_object_or_404(Supervision.objects.for_committee(request.committee).select_related("lead"), pk=pk)


@require_GET
@requires("consultations.view_all")
def staff_supervision(request: HttpRequest, pk: int) -> HttpResponse:
    sup = _supervision(request, pk)
    return render(
        request,
        "consultations/staff/supervision.html",
        {
            "sup": sup,
            "units": sup.units.all(),
            "inspections": sup.inspections.prefetch_related("members"),
            "findings": sup.findings.select_related("unit"),
            "outcome": Outcome.objects.filter(supervision=sup).first(),
            "can_manage": _can_manage(request),
            "inspection_form": InspectionForm(committee=request.committee),
            "finding_form": FindingForm(committee=request.committee),
            "outcome_form": OutcomeForm(committee=request.committee, initial={"title": sup.title}),
        },
    )


@require_POST
@requires("consultations.manage")
def supervision_post(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    sup = _supervision(request, pk)
    by = request.user
    forms_by = {"inspection": InspectionForm, "finding": FindingForm, "outcome": OutcomeForm}
    if what not in forms_by:
        messages.error(request, _("未知的操作。"))
        return redirect("consultations:staff_supervision", pk=sup.pk)
    form = forms_by[what](request.POST, committee=request.committee)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    elif what == "inspection":
        run(request, lambda: s.inspection_add(supervision=sup, by=by, **form.cleaned_data), _("视察已记录。"))
    elif what == "finding":
        run(request, lambda: s.finding_add(supervision=sup, by=by, **form.cleaned_data), _("发现的问题已记录。"))
    else:
        try:
            o = s.outcome_create(committee=request.committee, by=by, supervision=sup, **form.cleaned_data)
        except (TransitionRefused, ValidationError) as e:
            messages.error(request, error_text(e))
        else:
            return redirect("consultations:staff_outcome", pk=o.pk)
    return redirect("consultations:staff_supervision", pk=sup.pk)


urlpatterns = [
    path("staff/", staff_home, name="staff_home"),
    path("staff/plans/new/", plan_new, name="plan_new"),
    path("staff/plans/<int:pk>/", staff_plan, name="staff_plan"),
    path("staff/plans/<int:pk>/topics/", topic_save, name="topic_add"),
    path("staff/plans/<int:pk>/topics/<int:topic_pk>/", topic_save, name="topic_save"),
    path("staff/plans/<int:pk>/topics/<int:topic_pk>/delete/", topic_delete, name="topic_delete"),
    path("staff/plans/<int:pk>/<str:action>/", plan_action, name="plan_action"),
    path("staff/events/", staff_events, name="staff_events"),
    path("staff/events/new/", event_new, name="event_new"),
    path("staff/events/<int:pk>/", staff_event, name="staff_event"),
    path("staff/events/<int:pk>/<str:what>/", event_post, name="event_post"),
    path("staff/posts/<int:pk>/hide/", post_hide, name="post_hide"),
    path("staff/outcomes/<int:pk>/", staff_outcome, name="staff_outcome"),
    path("staff/outcomes/<int:pk>/<str:what>/", outcome_post, name="outcome_post"),
    path("staff/recommendations/<int:pk>/delete/", recommendation_delete, name="recommendation_delete"),
    path("staff/responses/<int:pk>/", staff_response, name="staff_response"),
    path("staff/responses/<int:pk>/reopen/", response_reopen, name="response_reopen"),
    path("staff/open/", staff_open, name="staff_open"),
    path("staff/supervision/", staff_supervisions, name="staff_supervisions"),
    path("staff/supervision/new/", supervision_new, name="supervision_new"),
    path("staff/supervision/<int:pk>/", staff_supervision, name="staff_supervision"),
    path("staff/supervision/<int:pk>/<str:what>/", supervision_post, name="supervision_post"),
]
