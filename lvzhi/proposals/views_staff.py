"""The proposal office's desktop pages (提案委): the review queue with filters and batch filing/assignment,
a proposal's review page with every action the workflow allows, collective proposals written on a body's
behalf, and the statistics. Reads go through queries (starting from `visible`), writes through services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.decorators import requires
from lvzhi.core.workflow import TransitionRefused

from . import forms_staff as f
from . import queries, services, services_staff
from .models import Proposal
from .workflow import ASSIGNMENT, PROPOSAL

PAGE_SIZE = 50
ROLE_ORDER = {"lead": 0, "split": 1, "co": 2}


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    """A proposal the user may see in the current committee, or 404 (another committee's does not exist)."""
    qs = queries.visible(request.user, request.committee, request.roles).select_related(
        "lead__sector", "lead__party", "category", "session", "term", "merged_into", "supervisor", "created_by"
    )
    return get_object_or_404(qs, pk=pk)


def _errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


# --------------------------------------------------------------------------- review queue


@requires("proposals.view_all")
def queue(request: HttpRequest) -> HttpResponse:
    form = f.QueueFilterForm(request.GET, committee=request.committee)
    qs = queries.review_queue(request.user, request.committee, request.roles, **form.query_args())
    page = queries.paginate(qs, request.GET.get("page"), PAGE_SIZE)
    params = request.GET.copy()
    params.pop("page", None)
    can_review = request.user.has_perm("proposals.review", request.committee)
    today = timezone.localdate()
    for p in page.object_list:
        p.state_label = PROPOSAL.state_label(p.state)
        p.is_overdue = p.state in queries.AWAITING_ANSWER and p.due_date is not None and p.due_date < today
        p.awaits_evaluation = p.state in queries.AWAITING_EVALUATION
        p.units = sorted(p.live_assignments, key=lambda a: ROLE_ORDER.get(a.role, 9))
    return render(
        request,
        "proposals/staff/queue.html",
        {
            "form": form,
            "page": page,
            "query": params.urlencode(),
            "can_review": can_review,
            "batch": f.BatchForm(committee=request.committee, proposals=Proposal.objects.none())
            if can_review
            else None,
        },
    )


@require_POST
@requires("proposals.review")
def batch(request: HttpRequest) -> HttpResponse:
    back = reverse("proposals:staff_queue") + (f"?{request.POST['query']}" if request.POST.get("query") else "")
    visible = queries.visible(request.user, request.committee, request.roles)
    form = f.BatchForm(request.POST, committee=request.committee, proposals=visible)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(back)
    data = form.cleaned_data
    proposals = list(data["ids"])
    if data["action"] == "file":
        result = services_staff.proposals_file_many(proposals=proposals, by=request.user)
        if result.done:
            numbers = "、".join(p.number for p in result.done)
            messages.success(request, _("已立案 %(n)s 件:%(numbers)s。") % {"n": len(result.done), "numbers": numbers})
    else:
        result = services_staff.proposals_assign_many(
            proposals=proposals,
            by=request.user,
            lead_unit=data["lead_unit"],
            co_units=list(data["co_units"]),
            due_date=data["due_date"],
        )
        if result.done:
            messages.success(
                request,
                _("已交办 %(n)s 件给 %(unit)s。") % {"n": len(result.done), "unit": data["lead_unit"].name},
            )
    for proposal, reason in result.refused:
        messages.error(request, _("「%(title)s」未处理:%(reason)s") % {"title": proposal, "reason": reason})
    return redirect(back)


# --------------------------------------------------------------------------- one proposal


def _similar(proposal: Proposal) -> list | None:
    """Similar proposals (并案参考) from lvzhi.proposals.similarity, if that module is installed."""
    try:
        from .similarity import similar
    except ImportError:
        return None
    text = f"{proposal.title}\n{proposal.body}"
    return similar(proposal.committee, text, exclude_id=proposal.pk, k=5)


def _suggestion(proposal: Proposal) -> dict | None:
    """The suggested category and unit (with confidence) from lvzhi.proposals.suggest, if installed."""
    try:
        from .suggest import suggest
    except ImportError:
        return None
    result = suggest(proposal.committee, f"{proposal.title}\n{proposal.body}") or {}
    out = {}
    for key in ("category", "unit"):
        value = result.get(key)
        out[key] = {"object": value[0], "percent": round(100 * value[1])} if value else None
    return out


def _extra_actions(proposal: Proposal, can_review: bool) -> set[str]:
    """The non-workflow actions whose forms the page offers (the services still decide)."""
    if not can_review:
        return set()
    extra = set()
    if proposal.number and proposal.state != "merged":
        extra |= {"key", "excellent"}
    if proposal.is_key:
        extra.add("progress")
    if proposal.published_at:
        extra.add("unpublish")
    elif proposal.agree_publish and proposal.state in ("replied", "closed", "rehandling"):
        extra.add("publish")
    return extra


@requires("proposals.view_all")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    committee = request.committee
    can_review = request.user.has_perm("proposals.review", committee)
    actions = {t.action for t in PROPOSAL.available(proposal, request.roles)} if can_review else set()
    actions |= _extra_actions(proposal, can_review)
    merge_q = request.GET.get("merge_q", "").strip()[:60]
    candidates = (
        queries.merge_candidates(request.user, committee, request.roles, proposal=proposal, q=merge_q)
        if "merge" in actions
        else None
    )
    assignments = sorted(
        proposal.assignments.select_related("unit"),
        key=lambda a: (a.state == "cancelled", ROLE_ORDER.get(a.role, 9), a.pk),
    )
    for a in assignments:
        a.state_label = ASSIGNMENT.state_label(a.state)
    lead_assignment = next((a for a in assignments if a.role == "lead" and a.state != "cancelled"), None)
    context = {
        "p": proposal,
        "state_label": PROPOSAL.state_label(proposal.state),
        "cosigners": list(proposal.cosigners.select_related("member__sector")),
        "attachments": list(proposal.attachments.all()),
        "assignments": assignments,
        "contacts": list(proposal.contacts.select_related("unit")),
        "answers": list(proposal.answers.select_related("unit", "letter")),
        "evaluations": list(proposal.evaluations.select_related("member")),
        "notes": list(proposal.progress_notes.select_related("author")),
        "merged": list(proposal.merged.all()),
        "answer_categories": services.answer_categories(committee),
        "can_review": can_review,
        "actions": actions,
        "similar": _similar(proposal),
        "suggestion": _suggestion(proposal),
        "merge_q": merge_q,
        "forms": {
            "file": f.FileForm(committee=committee, proposal=proposal),
            "reject": f.RejectForm(committee=committee),
            "reason": f.ReasonForm(),
            "merge": f.MergeForm(candidates=candidates) if candidates is not None else None,
            "assign": f.AssignForm(
                committee=committee,
                initial={"lead_unit": lead_assignment.unit_id} if lead_assignment else None,
            ),
            "approve": f.ApproveAnswerForm(committee=committee, current=proposal.answer_category),
            "key": f.KeyForm(committee=committee, proposal=proposal),
            "progress": f.ProgressForm(),
            "excellent": f.ExcellentForm(),
        },
    }
    return render(request, "proposals/staff/detail.html", context)


def _act_file(request, p):
    form = f.FileForm(request.POST, committee=request.committee)
    if not form.is_valid():
        return form
    services.proposal_file(proposal=p, by=request.user, category=form.cleaned_data["category"])
    p.refresh_from_db()
    return _("已立案,提案号 %(number)s。") % {"number": p.number}


def _act_reject(request, p):
    form = f.RejectForm(request.POST, committee=request.committee)
    if not form.is_valid():
        return form
    services.proposal_reject(proposal=p, by=request.user, reason=form.cleaned_data["text"])
    return _("已决定不予立案。")


def _reasoned(service, done, **extra):
    def act(request, p):
        form = f.ReasonForm(request.POST)
        if not form.is_valid():
            return form
        service(proposal=p, by=request.user, reason=form.cleaned_data["reason"], **extra)
        return done

    return act


def _act_merge(request, p):
    candidates = queries.merge_candidates(request.user, request.committee, request.roles, proposal=p, limit=None)
    form = f.MergeForm(request.POST, candidates=candidates)
    if not form.is_valid():
        return form
    others = list(form.cleaned_data["others"])
    services.proposal_merge(lead=p, others=others, by=request.user)
    return _("已将 %(n)s 件提案并入本案。") % {"n": len(others)}


def _act_assign(request, p):
    form = f.AssignForm(request.POST, committee=request.committee)
    if not form.is_valid():
        return form
    services.proposal_assign(proposal=p, by=request.user, **form.service_args())
    return _("已交办。")


def _act_approve(request, p):
    form = f.ApproveAnswerForm(request.POST, committee=request.committee)
    if not form.is_valid():
        return form
    services.answer_approve(proposal=p, by=request.user, category=form.cleaned_data["category"] or None)
    return _("答复已审核,送达提案人。")


def _act_submit(request, p):
    services.proposal_submit(proposal=p, by=request.user)
    return _("集体提案已提交。")


def _act_key(request, p):
    form = f.KeyForm(request.POST, committee=request.committee)
    if not form.is_valid():
        return form
    key = form.cleaned_data["key"]
    services.proposal_mark_key(proposal=p, by=request.user, supervisor=form.cleaned_data["supervisor"], key=key)
    return _("已列为重点提案。") if key else _("已取消重点提案。")


def _act_progress(request, p):
    form = f.ProgressForm(request.POST)
    if not form.is_valid():
        return form
    services.progress_note_add(proposal=p, by=request.user, text=form.cleaned_data["text"])
    return _("已记录督办进展。")


def _act_excellent(request, p):
    form = f.ExcellentForm(request.POST)
    if not form.is_valid():
        return form
    services.proposal_mark_excellent(proposal=p, by=request.user, year=form.cleaned_data["year"])
    return _("已评为 %(year)s 年度优秀提案。") % {"year": form.cleaned_data["year"]}


def _act_publish(request, p):
    services.proposal_publish(proposal=p, by=request.user, publish=True)
    return _("已公开。")


def _act_unpublish(request, p):
    services.proposal_publish(proposal=p, by=request.user, publish=False)
    return _("已取消公开。")


ACTIONS = {
    "file": _act_file,
    "reject": _act_reject,
    "send_back": _reasoned(services.proposal_send_back, _("已退回提案人修改。")),
    "convert_opinion": _reasoned(services.proposal_convert, _("已转为意见建议。"), to="opinion"),
    "convert_report": _reasoned(services.proposal_convert, _("已转为社情民意信息。"), to="report"),
    "merge": _act_merge,
    "assign": _act_assign,
    "approve_answer": _act_approve,
    "send_back_answer": _reasoned(services.answer_send_back, _("答复已退回承办单位修改。")),
    "submit": _act_submit,
    "key": _act_key,
    "progress": _act_progress,
    "excellent": _act_excellent,
    "publish": _act_publish,
    "unpublish": _act_unpublish,
}


@require_POST
@requires("proposals.review")
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    proposal = _proposal(request, pk)
    handler = ACTIONS.get(action)
    if handler is None:
        raise PermissionDenied
    try:
        outcome = handler(request, proposal)
    except TransitionRefused as e:
        messages.error(request, e.message)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    except PermissionDenied:
        messages.error(request, _("您没有执行此操作的权限。"))
    else:
        if isinstance(outcome, str):
            messages.success(request, outcome)
        else:
            messages.error(request, _errors(outcome))
    return redirect("proposals:staff_detail", pk=proposal.pk)


# --------------------------------------------------------------------------- collective proposals


@requires("proposals.review")
def new(request: HttpRequest) -> HttpResponse:
    form = f.CollectiveForm(request.POST if request.method == "POST" else None, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            proposal = services.proposal_create(committee=request.committee, by=request.user, **form.service_values())
        except ValidationError as e:
            form.add_error(None, e.messages)
        else:
            if submit:
                try:
                    services.proposal_submit(proposal=proposal, by=request.user)
                except (TransitionRefused, PermissionDenied) as e:
                    messages.error(request, getattr(e, "message", _("您没有执行此操作的权限。")))
                else:
                    messages.success(request, _("集体提案已提交,进入审查。"))
                    return redirect("proposals:staff_detail", pk=proposal.pk)
            messages.success(request, _("已保存为草稿。"))
            return redirect("proposals:staff_detail", pk=proposal.pk)
    return render(request, "proposals/staff/new.html", {"form": form})


# --------------------------------------------------------------------------- statistics


@requires("proposals.view_all")
def stats(request: HttpRequest) -> HttpResponse:
    form = f.StatsFilterForm(request.GET, committee=request.committee)
    session = form.chosen_session()
    data = queries.statistics(request.user, request.committee, request.roles, session=session)
    return render(request, "proposals/staff/stats.html", {"form": form, "s": data, "session": session})


urlpatterns = [
    path("staff/", queue, name="staff_queue"),
    path("staff/batch/", batch, name="staff_batch"),
    path("staff/new/", new, name="staff_new"),
    path("staff/stats/", stats, name="staff_stats"),
    path("staff/<int:pk>/", detail, name="staff_detail"),
    path("staff/<int:pk>/<slug:action>/", act, name="staff_act"),
]
