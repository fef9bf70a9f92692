"""The handling unit's pages (/proposals/unit/…: its proposals, accept or return, contact with the proposer,
co-unit opinion, the answer with the signed reply letter) and the leader's pages (/proposals/leader/…:
key proposals under supervision with progress notes, and any submitted proposal read-only)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lvzhi.core.decorators import requires
from lvzhi.core.workflow import TransitionRefused

from . import queries_unit as q
from . import services, services_unit
from .forms_unit import AnswerForm, ContactForm, OpinionForm, ProgressNoteForm, ReturnForm
from .models import Assignment, Attachment, Proposal
from .queries import visible
from .workflow import ASSIGNMENT, PROPOSAL


def _form_errors(form) -> str:
    """All of a form's errors in one line, for the page's error message."""
    errors = [str(m) for m in form.non_field_errors()]
    errors += [str(m) for name, errs in form.errors.items() if name != "__all__" for m in errs]
    return " ".join(errors)


def _messages_of(error: Exception) -> str:
    if isinstance(error, TransitionRefused):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


# --------------------------------------------------------------------------- handling unit


def _unit(request: HttpRequest):
    unit = services.unit_of(request.user, request.committee)
    if unit is None:  # a unit role without a unit: nothing to handle
        raise PermissionDenied
    return unit


def _unit_proposal(request: HttpRequest, pk: int) -> tuple[Proposal, Assignment]:
    unit = _unit(request)
    proposal = get_object_or_404(
        visible(request.user, request.committee, request.roles).select_related("lead", "lead__sector", "category"),
        pk=pk,
    )
    assignment = q.unit_assignment(proposal, unit)
    if assignment is None:
        raise Http404
    return proposal, assignment


@require_GET
@requires("proposals.handle")
def unit_home(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    groups = q.unit_groups(q.unit_assignments(request.user, request.committee, request.roles, unit))
    sections = [
        ("pending", _("待签收"), groups["pending"]),
        ("handling", _("办理中"), groups["handling"]),
        ("done", _("已答复"), groups["done"]),
    ]
    return render(
        request,
        "proposals/unit/list.html",
        {
            "unit": unit,
            "sections": sections,
            "overdue_count": sum(1 for rows in groups.values() for a in rows if a.overdue),
        },
    )


def _unit_detail(request, proposal, assignment, *, status=200, **forms) -> HttpResponse:
    today = timezone.localdate()
    is_answering = assignment.role in (Assignment.Role.LEAD, Assignment.Role.SPLIT)
    live = list(q.live_assignments(proposal))
    co_parts = [a for a in live if a.role == Assignment.Role.CO]
    can_answer = is_answering and assignment.state == "accepted" and proposal.state in ("handling", "rehandling")
    context = {
        "proposal": proposal,
        "assignment": assignment,
        "unit": assignment.unit,
        "state_label": PROPOSAL.state_label(proposal.state),
        "part_label": ASSIGNMENT.state_label(assignment.state),
        "days_left": (assignment.due_date - today).days,
        "days_overdue": (today - assignment.due_date).days,
        "overdue": assignment.state in q.OWING and assignment.due_date < today,
        "can_return": assignment.state == "assigned" and today <= assignment.return_deadline,
        "cosigners": q.confirmed_cosigners(proposal),
        "parts": live,
        "co_parts": co_parts,
        "pending_co": [a for a in co_parts if a.state in q.OWING],
        "is_answering": is_answering,
        "can_answer": can_answer,
        "can_contact": assignment.state in ("accepted", "opinion_given", "answered"),
        "contacts": proposal.contacts.select_related("unit"),
        "answers": proposal.answers.filter(unit=assignment.unit).select_related("letter"),
        "evaluations": proposal.evaluations.select_related("member") if proposal.replied_at else [],
        "categories": services.answer_categories(proposal.committee),
        "return_form": forms.get("return_form") or ReturnForm(),
        "contact_form": forms.get("contact_form") or ContactForm(),
        "opinion_form": forms.get("opinion_form") or OpinionForm(initial={"opinion": assignment.opinion}),
        "answer_form": forms.get("answer_form") or AnswerForm(committee=request.committee),
    }
    return render(request, "proposals/unit/detail.html", context, status=status)


@require_GET
@requires("proposals.handle")
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, assignment = _unit_proposal(request, pk)
    return _unit_detail(request, proposal, assignment)


@require_POST
@requires("proposals.handle")
def unit_accept(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, _assignment = _unit_proposal(request, pk)
    try:
        services.assignment_accept(proposal=proposal, by=request.user)
    except (TransitionRefused, ValidationError) as e:
        messages.error(request, _messages_of(e))
    else:
        messages.success(request, _("已签收,请在答复期限内办理。"))
    return redirect("proposals:unit_detail", pk=proposal.pk)


@require_POST
@requires("proposals.handle")
def unit_return(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, assignment = _unit_proposal(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写退回理由。"))
        return _unit_detail(request, proposal, assignment, status=400, return_form=form)
    try:
        services.assignment_return(proposal=proposal, by=request.user, reason=form.cleaned_data["reason"])
    except (TransitionRefused, ValidationError) as e:
        messages.error(request, _messages_of(e))
        return redirect("proposals:unit_detail", pk=proposal.pk)
    messages.success(request, _("已退回提案委,等待重新交办。"))
    return redirect("proposals:unit_home")


@require_POST
@requires("proposals.handle")
def unit_contact(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, assignment = _unit_proposal(request, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_record(proposal=proposal, by=request.user, **form.cleaned_data)
        except (TransitionRefused, ValidationError) as e:
            form.add_error(None, _messages_of(e))
        else:
            messages.success(request, _("沟通记录已保存。"))
            return redirect("proposals:unit_detail", pk=proposal.pk)
    messages.error(request, _("沟通记录未保存:%(why)s") % {"why": _form_errors(form)})
    return _unit_detail(request, proposal, assignment, status=400, contact_form=form)


@require_POST
@requires("proposals.handle")
def unit_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, assignment = _unit_proposal(request, pk)
    form = OpinionForm(request.POST)
    if form.is_valid():
        try:
            services.co_opinion_give(proposal=proposal, by=request.user, opinion=form.cleaned_data["opinion"])
        except (TransitionRefused, ValidationError) as e:
            form.add_error(None, _messages_of(e))
        else:
            messages.success(request, _("会办意见已送主办单位。"))
            return redirect("proposals:unit_detail", pk=proposal.pk)
    messages.error(request, _("会办意见未提交:%(why)s") % {"why": _form_errors(form)})
    return _unit_detail(request, proposal, assignment, status=400, opinion_form=form)


@require_POST
@requires("proposals.handle")
def unit_answer(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, assignment = _unit_proposal(request, pk)
    form = AnswerForm(request.POST, request.FILES, committee=request.committee)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services_unit.answer_with_letter(
                proposal=proposal, by=request.user, category=data["category"], text=data["text"], letter=data["letter"]
            )
        except TransitionRefused as e:
            form.add_error(None, e.message)
        except ValidationError as e:
            if hasattr(e, "error_dict") and set(e.error_dict) <= set(form.fields):
                for name, errors in e.error_dict.items():
                    form.add_error(name, errors)
            else:
                form.add_error(None, _messages_of(e))
        else:
            messages.success(request, _("答复已提交,等待提案委审核后送达提案人。"))
            return redirect("proposals:unit_detail", pk=proposal.pk)
    messages.error(request, _("答复未提交:%(why)s") % {"why": _form_errors(form)})
    return _unit_detail(request, proposal, assignment, status=400, answer_form=form)


@require_GET
@requires("proposals.handle")
def unit_letter(request: HttpRequest, pk: int, letter_pk: int) -> HttpResponse:
    """The unit's own reply letter of this proposal."""
    proposal, assignment = _unit_proposal(request, pk)
    answer = get_object_or_404(proposal.answers.filter(unit=assignment.unit, letter__isnull=False), letter_id=letter_pk)
    return _letter_response(answer.letter)


def _letter_response(letter: Attachment) -> FileResponse:
    try:
        handle = letter.file.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    return FileResponse(handle, as_attachment=False, filename=letter.name, content_type="application/pdf")


# --------------------------------------------------------------------------- leader


@require_GET
@requires("proposals.supervise")
def leader_home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    key = list(q.supervised(request.user, request.committee, request.roles))
    for p in key:
        p.days_left = (p.due_date - today).days if p.due_date else None
        p.overdue = p.state in ("assigned", "handling", "rehandling") and p.days_left is not None and p.days_left < 0
    recent = (
        q.recent_submitted(request.user, request.committee, request.roles)
        if request.user.has_perm("proposals.view_all", request.committee)
        else []
    )
    return render(
        request,
        "proposals/leader/list.html",
        {"key": key, "recent": recent, "states": PROPOSAL.states, "tab": "proposals"},
    )


def _leader_proposal(request, pk: int) -> Proposal:
    proposal = get_object_or_404(
        visible(request.user, request.committee, request.roles)
        .exclude(state__in=["draft", "withdrawn"])
        .select_related("lead", "lead__sector", "category", "supervisor"),
        pk=pk,
    )
    return proposal


def _leader_detail(request, proposal, *, form=None, status=200) -> HttpResponse:
    may_note = proposal.is_key and proposal.supervisor_id == request.user.pk
    return render(
        request,
        "proposals/leader/detail.html",
        {
            "proposal": proposal,
            "state_label": PROPOSAL.state_label(proposal.state),
            "cosigners": q.confirmed_cosigners(proposal),
            "parts": q.live_assignments(proposal),
            "part_states": ASSIGNMENT.states,
            "answers": proposal.answers.select_related("unit"),
            "evaluations": proposal.evaluations.select_related("member"),
            "notes": proposal.progress_notes.select_related("author"),
            "may_note": may_note,
            "form": form or ProgressNoteForm(),
            "categories": services.answer_categories(proposal.committee),
            "tab": "proposals",
        },
        status=status,
    )


@require_GET
@requires("proposals.view_all")
def leader_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _leader_detail(request, _leader_proposal(request, pk))


@require_POST
@requires("proposals.supervise")
def leader_note(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _leader_proposal(request, pk)
    if proposal.supervisor_id != request.user.pk:
        raise PermissionDenied
    form = ProgressNoteForm(request.POST)
    if form.is_valid():
        try:
            services.progress_note_add(proposal=proposal, by=request.user, text=form.cleaned_data["text"])
        except (TransitionRefused, ValidationError) as e:
            form.add_error(None, _messages_of(e))
        else:
            messages.success(request, _("督办进展已记录。"))
            return redirect("proposals:leader_detail", pk=proposal.pk)
    return _leader_detail(request, proposal, form=form, status=400)


urlpatterns = [
    path("unit/", unit_home, name="unit_home"),
    path("unit/<int:pk>/", unit_detail, name="unit_detail"),
    path("unit/<int:pk>/accept/", unit_accept, name="unit_accept"),
    path("unit/<int:pk>/return/", unit_return, name="unit_return"),
    path("unit/<int:pk>/contact/", unit_contact, name="unit_contact"),
    path("unit/<int:pk>/opinion/", unit_opinion, name="unit_opinion"),
    path("unit/<int:pk>/answer/", unit_answer, name="unit_answer"),
    path("unit/<int:pk>/letter/<int:letter_pk>/", unit_letter, name="unit_letter"),
    path("leader/", leader_home, name="leader_home"),
    path("leader/<int:pk>/", leader_detail, name="leader_detail"),
    path("leader/<int:pk>/note/", leader_note, name="leader_note"),
]
