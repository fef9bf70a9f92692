"""The member's phone pages for proposals (我的提案): the list, the form, the draft and co-signers, the
proposal as the member sees it with the answer and the evaluation buttons.

Every page starts from queries.visible (another member's draft, another committee's proposal: 404); every
write goes through the services, whose refusals (TransitionRefused, ValidationError, PermissionDenied)
become plain messages on the page."""

import datetime as dt
import logging
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lvzhi.core.config import setting
from lvzhi.core.decorators import requires
from lvzhi.core.roles import MEMBER_ROLES
from lvzhi.core.workflow import TransitionRefused
from lvzhi.org.models import Member

from . import services, services_member
from .forms_member import CosignerSearchForm, EvaluationForm, ProposalForm, SimilarForm
from .models import Answer, Attachment, CoSigner, Evaluation, Proposal
from .queries import visible
from .workflow import COSIGNER, FINISHED_STATES, PROPOSAL

log = logging.getLogger(__name__)

DRAFT_STATES = ("draft", "revising")
SIMILAR_MIN_CHARS = 10
SEARCH_LIMIT = 20


# --------------------------------------------------------------------------- helpers


def _visible(request):
    return visible(request.user, request.committee, request.roles)


def _get(request, pk: int) -> Proposal:
    return get_object_or_404(_visible(request).select_related("lead", "category", "session", "term"), pk=pk)


def _errors(exc: Exception) -> list[str]:
    if isinstance(exc, TransitionRefused):
        return [exc.message]
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [_("您没有权限执行此操作。")]


def _attempt(request, action: Callable, success: str = "") -> bool:
    """Run a service; its refusal becomes an error message. True when it went through."""
    try:
        action()
    except (TransitionRefused, ValidationError, PermissionDenied) as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return False
    if success:
        messages.success(request, success)
    return True


def _is_lead(proposal: Proposal, user) -> bool:
    return proposal.lead_id is not None and proposal.lead.user_id == user.pk


def similar_matches(committee, text: str, *, exclude_id=None) -> list | None:
    """Up to five proposals already filed in this committee that resemble `text`, with their similar
    passages; None when the similarity service is not available."""
    try:
        from .similarity import similar
    except ImportError:
        return None
    if len(text.strip()) < SIMILAR_MIN_CHARS:
        return []
    try:
        matches = similar(committee, text, exclude_id=exclude_id, k=5)
    except Exception:  # the page must not fail because the index does
        log.exception("similar proposals failed")
        return None
    # only what every member may know: filed proposals of this committee (no one's draft)
    return [m for m in matches if m.proposal.committee_id == committee.pk and m.proposal.number][:5]


def _form(request, committee, data=None, files=None, initial=None) -> ProposalForm:
    return ProposalForm(
        data,
        files,
        initial=initial,
        committee=committee,
        body_max=setting(committee, "proposals.body_max_chars"),
        types=setting(committee, "proposals.attachment_types"),
    )


# --------------------------------------------------------------------------- 我的提案


@requires("proposals.write")
@require_GET
def member_home(request: HttpRequest) -> HttpResponse:
    """My proposals (as lead and as confirmed co-signer) by 草稿 / 办理中 / 已办结; invitations first."""
    user = request.user
    mine = (
        _visible(request)
        .filter(Q(lead__user=user) | Q(cosigners__member__user=user, cosigners__state=CoSigner.State.CONFIRMED))
        .select_related("lead")
        .order_by("-created_at", "-id")
    )
    evaluated = set(
        Evaluation.objects.for_committee(request.committee)
        .filter(member__user=user, proposal__state="replied")
        .values_list("proposal_id", "round")
    )
    groups = {"draft": [], "open": [], "done": []}
    for p in mine:
        p.state_text = PROPOSAL.state_label(p.state)
        p.is_mine = p.lead is not None and p.lead.user_id == user.pk
        p.to_evaluate = p.state == "replied" and (p.pk, p.round) not in evaluated
        key = "draft" if p.state in DRAFT_STATES else "done" if p.state in FINISHED_STATES else "open"
        groups[key].append(p)
    invitations = (
        CoSigner.objects.for_committee(request.committee)
        .filter(member__user=user, state=CoSigner.State.INVITED, proposal__state__in=DRAFT_STATES)
        .select_related("proposal", "proposal__lead")
    )
    context = {
        "tab": "proposals",
        "invitations": invitations,
        "groups": [
            ("draft", _("草稿"), groups["draft"]),
            ("open", _("办理中"), groups["open"]),
            ("done", _("已办结"), groups["done"]),
        ],
        "total": sum(len(g) for g in groups.values()),
    }
    return render(request, "proposals/member/home.html", context)


# --------------------------------------------------------------------------- the form


def _save(request, form: ProposalForm, proposal: Proposal | None) -> HttpResponse | None:
    """Save the draft (and submit it when asked). None when the form is to be shown again."""
    action = request.POST.get("action", "save")
    saved = {}

    def do_save():
        saved["p"] = services_member.draft_save(
            committee=request.committee,
            by=request.user,
            proposal=proposal,
            values=form.values(),
            uploads=form.cleaned_data["files"],
        )

    try:
        do_save()
    except (TransitionRefused, ValidationError, PermissionDenied) as exc:
        if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            for message in _errors(exc):
                form.add_error(None, message)
        return None
    p = saved["p"]
    if action == "submit":
        done = _attempt(
            request,
            lambda: services.proposal_submit(proposal=p, by=request.user),
            _("提案已提交,请等待提案委审查。"),
        )
        if not done:
            messages.info(request, _("草稿已保存。"))
        return redirect("proposals:member_detail", pk=p.pk)
    messages.success(request, _("草稿已保存。"))
    if action == "similar":
        return redirect(reverse("proposals:member_detail", args=[p.pk]) + "#similar")
    return redirect("proposals:member_detail", pk=p.pk)


def _form_page(request, form, proposal=None) -> HttpResponse:
    committee = request.committee
    context = {
        "tab": "proposals",
        "form": form,
        "proposal": proposal,
        "body_max": setting(committee, "proposals.body_max_chars"),
        "max_mb": setting(committee, "proposals.attachment_max_mb"),
        "types": "、".join(t.lstrip(".").upper() for t in setting(committee, "proposals.attachment_types")),
        "attachments": list(proposal.attachments.filter(purpose=Attachment.Purpose.MATERIAL)) if proposal else [],
        "can_delete_attachments": proposal is not None,
    }
    return render(request, "proposals/member/form.html", context, status=400 if form.errors else 200)


@requires("proposals.write")
def member_new(request: HttpRequest) -> HttpResponse:
    form = _form(request, request.committee, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, None)
        if response:
            return response
    return _form_page(request, form)


@requires("proposals.write")
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _get(request, pk)
    if not _is_lead(proposal, request.user):
        messages.error(request, _("只有第一提案人可以修改提案。"))
        return redirect("proposals:member_detail", pk=pk)
    if proposal.state not in DRAFT_STATES:
        messages.error(request, _("提案已提交,不能再修改。"))
        return redirect("proposals:member_detail", pk=pk)
    initial = {f: getattr(proposal, f) for f in services.DRAFT_FIELDS}
    form = _form(request, request.committee, request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, proposal)
        if response:
            return response
    return _form_page(request, form, proposal)


@requires("proposals.write")
@require_POST
def member_similar(request: HttpRequest) -> HttpResponse:
    """The "查看相似提案" button: the text of the form in, a fragment with up to five similar proposals out."""
    form = SimilarForm(request.POST)
    form.is_valid()
    text = form.text() if not form.errors else ""
    exclude = form.cleaned_data.get("pk") if not form.errors else None
    if exclude is not None and not _visible(request).filter(pk=exclude).exists():
        exclude = None
    context = {
        "matches": similar_matches(request.committee, text, exclude_id=exclude),
        "too_short": len(text) < SIMILAR_MIN_CHARS,
        "checked": True,
    }
    return render(request, "proposals/member/_similar.html", context)


# --------------------------------------------------------------------------- the proposal


def _delivered_answers(proposal: Proposal) -> list[Answer]:
    """Answers the proposer may read: earlier rounds, and the current one once the office sent it."""
    delivered_now = proposal.state in ("replied", "closed")
    return [
        a
        for a in proposal.answers.select_related("unit", "letter")
        if a.round < proposal.round or (a.round == proposal.round and delivered_now)
    ]


@requires("proposals.write")
@require_GET
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _get(request, pk)
    committee, user = request.committee, request.user
    is_lead = _is_lead(proposal, user)
    editable = proposal.state in DRAFT_STATES
    cosigners = list(
        proposal.cosigners.exclude(state=CoSigner.State.WITHDRAWN).select_related("member", "member__sector")
    )
    me_cosigner = next((c for c in cosigners if c.member.user_id == user.pk), None)
    for c in cosigners:
        c.state_text = COSIGNER.state_label(c.state)
    # proposers: the lead and the confirmed co-signers (names and sector only)
    proposer_rows = ([proposal.lead] if proposal.lead_id else []) + [
        c.member for c in cosigners if c.state == CoSigner.State.CONFIRMED
    ]
    my_member = next((m for m in proposer_rows if m.user_id == user.pk), None)
    answers = _delivered_answers(proposal)
    categories = services.answer_categories(committee)
    for a in answers:
        a.category_label = categories.get(a.final_category, a.final_category)
    can_evaluate = False
    default_rule = None
    if proposal.state == "replied" and my_member is not None:
        can_evaluate = not Evaluation.objects.filter(proposal=proposal, member=my_member, round=proposal.round).exists()
        days = setting(committee, "proposals.default_evaluation_days")
        if days and proposal.replied_at:
            rating = setting(committee, "proposals.default_evaluation_rating")
            default_rule = {
                "days": days,
                "rating": Evaluation.Rating(rating).label,
                "until": timezone.localdate(proposal.replied_at) + dt.timedelta(days=days),
            }
    evaluations = list(proposal.evaluations.select_related("member"))
    # co-signer search (lead of a draft only): names and sectors, nothing private
    search = CosignerSearchForm(request.GET or None)
    found = None
    if is_lead and editable and search.is_valid() and search.cleaned_data["q"].strip():
        taken = [c.member_id for c in cosigners if c.state != CoSigner.State.DECLINED]
        found = list(
            Member.objects.for_committee(committee)
            .filter(state=Member.State.ACTIVE, name__icontains=search.cleaned_data["q"].strip())
            .exclude(pk=proposal.lead_id)
            .exclude(pk__in=taken)
            .order_by("name")
            .values("id", "name", "sector__name")[:SEARCH_LIMIT]
        )
    similar = None
    if editable and is_lead:
        similar = similar_matches(committee, "\n".join([proposal.title, proposal.body]), exclude_id=proposal.pk)
    context = {
        "tab": "proposals",
        "proposal": proposal,
        "state_text": PROPOSAL.state_label(proposal.state),
        "is_lead": is_lead,
        "editable": editable,
        "cosigners": cosigners,
        "me_cosigner": me_cosigner if me_cosigner and me_cosigner.state == CoSigner.State.INVITED else None,
        "proposers": proposer_rows,
        "attachments": [a for a in proposal.attachments.all() if a.purpose == Attachment.Purpose.MATERIAL],
        "answers": answers,
        "evaluations": evaluations,
        "can_evaluate": can_evaluate,
        "default_rule": default_rule,
        "ratings": Evaluation.Rating.choices,
        "search": search,
        "found": found,
        "similar": similar,
        "body_max": setting(committee, "proposals.body_max_chars"),
        "body_len": len(proposal.problem) + len(proposal.analysis) + len(proposal.suggestion),
    }
    return render(request, "proposals/member/detail.html", context)


@requires("proposals.write")
@require_POST
def member_submit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _get(request, pk)
    _attempt(
        request,
        lambda: services.proposal_submit(proposal=proposal, by=request.user),
        _("提案已提交,请等待提案委审查。"),
    )
    return redirect("proposals:member_detail", pk=pk)


@requires("proposals.write")
@require_POST
def member_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _get(request, pk)
    if _attempt(request, lambda: services.proposal_withdraw(proposal=proposal, by=request.user), _("提案已撤回。")):
        return redirect("proposals:member_home")
    return redirect("proposals:member_detail", pk=pk)


# --------------------------------------------------------------------------- co-signers


@requires("proposals.write")
@require_POST
def member_cosigner_invite(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _get(request, pk)
    member = get_object_or_404(Member.objects.for_committee(request.committee), pk=request.POST.get("member") or 0)

    def invite():
        if not _is_lead(proposal, request.user):
            raise PermissionDenied
        services.cosigner_invite(proposal=proposal, members=[member], by=request.user)

    _attempt(request, invite, _("已邀请 %(name)s 联名,等待对方确认。") % {"name": member.name})
    return redirect(reverse("proposals:member_detail", args=[pk]) + "#cosigners")


@requires("proposals.write")
@require_POST
def member_cosigner_withdraw(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    proposal = _get(request, pk)
    cosigner = get_object_or_404(proposal.cosigners.select_related("member", "proposal__lead"), pk=cid)
    _attempt(
        request,
        lambda: services.cosigner_withdraw(cosigner=cosigner, by=request.user),
        _("已撤回对 %(name)s 的联名邀请。") % {"name": cosigner.member.name},
    )
    return redirect(reverse("proposals:member_detail", args=[pk]) + "#cosigners")


@requires("proposals.write")
@require_POST
def member_cosign(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm or decline an invitation to co-sign (from the list or from the proposal)."""
    proposal = _get(request, pk)
    cosigner = get_object_or_404(proposal.cosigners.select_related("member", "proposal"), member__user=request.user)
    confirm = request.POST.get("answer") == "confirm"
    done = _attempt(
        request,
        lambda: services.cosigner_respond(cosigner=cosigner, by=request.user, confirm=confirm),
        _("您已确认联名。") if confirm else _("您已谢绝联名。"),
    )
    if done and not confirm:
        return redirect("proposals:member_home")  # a declined invitation is no longer one's to see
    if request.POST.get("next") == "home":
        return redirect("proposals:member_home")
    return redirect("proposals:member_detail", pk=pk)


# --------------------------------------------------------------------------- attachments


@requires("core.use")
@require_GET
def member_attachment(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """Download through a view that checks visibility (never a raw media URL). A proposer reads a reply
    letter only once the office has sent the answer."""
    proposal = get_object_or_404(_visible(request), pk=pk)
    attachment = get_object_or_404(proposal.attachments.all(), pk=aid)
    if attachment.purpose == Attachment.Purpose.REPLY_LETTER and not (request.roles - MEMBER_ROLES):
        delivered = {a.letter_id for a in _delivered_answers(proposal)}
        if attachment.pk not in delivered:
            raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type or None
    )


@requires("proposals.write")
@require_POST
def member_attachment_delete(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    proposal = _get(request, pk)
    attachment = get_object_or_404(proposal.attachments.all(), pk=aid)
    name = attachment.name
    _attempt(
        request,
        lambda: services_member.attachment_delete(attachment=attachment, by=request.user),
        _("已删除附件「%(name)s」。") % {"name": name},
    )
    if request.POST.get("next") == "edit":
        return redirect("proposals:member_edit", pk=pk)
    return redirect("proposals:member_detail", pk=pk)


# --------------------------------------------------------------------------- evaluation


@requires("proposals.write")
@require_POST
def member_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _get(request, pk)
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(reverse("proposals:member_detail", args=[pk]) + "#evaluate")
    _attempt(
        request,
        lambda: services.evaluation_submit(
            proposal=proposal, by=request.user, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
        ),
        _("感谢您的评价。"),
    )
    return redirect("proposals:member_detail", pk=pk)


urlpatterns: list = [
    path("", member_home, name="member_home"),
    path("new/", member_new, name="member_new"),
    path("similar/", member_similar, name="member_similar"),
    path("<int:pk>/", member_detail, name="member_detail"),
    path("<int:pk>/edit/", member_edit, name="member_edit"),
    path("<int:pk>/submit/", member_submit, name="member_submit"),
    path("<int:pk>/withdraw/", member_withdraw, name="member_withdraw"),
    path("<int:pk>/cosigners/invite/", member_cosigner_invite, name="member_cosigner_invite"),
    path("<int:pk>/cosigners/<int:cid>/withdraw/", member_cosigner_withdraw, name="member_cosigner_withdraw"),
    path("<int:pk>/cosign/", member_cosign, name="member_cosign"),
    path("<int:pk>/files/<int:aid>/", member_attachment, name="member_attachment"),
    path("<int:pk>/files/<int:aid>/delete/", member_attachment_delete, name="member_attachment_delete"),
    path("<int:pk>/evaluate/", member_evaluate, name="member_evaluate"),
]
