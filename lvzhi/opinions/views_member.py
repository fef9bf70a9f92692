"""The writer's phone pages: my reports (member_home), write / change / submit with similar earlier
reports, and one report with its status timeline, forwards, adoptions and instructions.

Members and reporters (信息员) both write here; a report that is neither mine nor authored by me is 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.config import setting
from lvzhi.core.decorators import requires
from lvzhi.core.workflow import TransitionRefused
from lvzhi.org.models import Member

from . import queries, services
from .forms import ReportForm
from .models import OpinionReport
from .similarity import similar
from .workflow import REPORT

PILL = {"published": "ok", "revising": "warn", "not_used": "bad"}


def _errors(exc: Exception) -> list[str]:
    if isinstance(exc, TransitionRefused):
        return [exc.message]
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc) or _("您没有权限执行此操作。")]


def _get(request, pk: int) -> OpinionReport:
    return get_object_or_404(queries.mine(request.committee, request.user), pk=pk)


def _sources(request) -> list[tuple[str, str]]:
    reporter = services.reporter_of(request.committee, request.user)
    me = services.member_of(request.committee, request.user)
    out = []
    if reporter and reporter.contact_point_id:
        out.append(("contact_point", reporter.contact_point.name))
    if reporter and reporter.studio_id:
        out.append(("studio", reporter.studio.name))
    if me:
        out.append(("member", _("委员本人")))
    return out


@requires("opinions.submit")
def member_home(request: HttpRequest) -> HttpResponse:
    rows = list(queries.mine(request.committee, request.user).select_related("issue"))
    for r in rows:
        r.state_text = REPORT.state_label(r.state)
        r.pill = PILL.get(r.state, "")
    groups = [
        ("draft", _("草稿和退回修改"), [r for r in rows if r.state in ("draft", "revising")]),
        ("open", _("报送中"), [r for r in rows if r.state in ("submitted", "editing", "accepted")]),
        ("done", _("已办结"), [r for r in rows if r.state in ("published", "not_used", "combined", "withdrawn")]),
    ]
    return render(request, "opinions/member/home.html", {"tab": "duties", "groups": groups})


def _form_page(request, report: OpinionReport | None):
    committee = request.committee
    types = setting(committee, "opinions.attachment_types")
    sources = _sources(request)
    initial = None
    me = services.member_of(committee, request.user)
    members = Member.objects.for_committee(committee).filter(state=Member.State.ACTIVE).order_by("name")
    if me is not None:
        members = members.exclude(pk=me.pk)
    if report is not None:
        initial = {f: getattr(report, f) for f in ReportForm.base_fields if f not in ("files", "co_author")}
        initial["co_author"] = next((m for m in services.authors(report) if m != me), None)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        topics=services.topics(committee),
        sources=sources,
        types=types,
        members=members,
    )
    matches, checked = None, False
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if form.is_valid():
            values = form.values()
            if action == "similar":
                checked = True
                matches = similar(
                    committee,
                    title=values["title"],
                    situation=values["situation"],
                    suggestion=values["suggestion"],
                    exclude_id=report.pk if report else None,
                )
            else:
                try:
                    saved = services.draft_save(
                        committee=committee,
                        by=request.user,
                        values=values,
                        report=report,
                        uploads=form.cleaned_data.get("files") or [],
                        co_authors=[form.cleaned_data["co_author"]] if form.cleaned_data.get("co_author") else [],
                    )
                    if action == "submit":
                        services.report_submit(report=saved, by=request.user)
                        messages.success(request, _("已提交,社情民意信息工作人员将进行采编。"))
                    else:
                        messages.success(request, _("草稿已保存。"))
                    return redirect("opinions:member_detail", pk=saved.pk)
                except ValidationError as exc:
                    if hasattr(exc, "error_dict"):
                        for field, errs in exc.error_dict.items():
                            for e in errs:
                                form.add_error(field if field in form.fields else None, e)
                    else:
                        for m in exc.messages:
                            form.add_error(None, m)
                except (TransitionRefused, PermissionDenied) as exc:
                    for m in _errors(exc):
                        form.add_error(None, m)
        status = 200 if (not form.errors) else 400
    context = {
        "tab": "duties",
        "form": form,
        "report": report,
        "matches": matches,
        "checked": checked,
        "max_chars": setting(committee, "opinions.max_chars"),
        "types": "、".join(t.lstrip(".").upper() for t in types),
        "max_mb": setting(committee, "opinions.attachment_max_mb"),
        "is_reporter": services.reporter_of(committee, request.user) is not None,
    }
    return render(request, "opinions/member/form.html", context, status=status)


@requires("opinions.submit")
def member_new(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@requires("opinions.submit")
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get(request, pk)
    if report.state not in services.EDITABLE_BY_AUTHOR or not services.is_owner(report, request.user):
        messages.error(request, _("只有草稿或退回修改的信息可以修改。"))
        return redirect("opinions:member_detail", pk=pk)
    return _form_page(request, report)


@requires("opinions.submit")
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get(request, pk)
    context = {
        "tab": "duties",
        "report": report,
        "state_text": REPORT.state_label(report.state),
        "pill": PILL.get(report.state, ""),
        "authors": services.authors(report),
        "owner": services.is_owner(report, request.user),
        "editable": report.state in services.EDITABLE_BY_AUTHOR,
        "withdrawable": report.state in ("draft", "revising", "submitted"),
        "private": services.can_see_private(report, request.user),
        "attachments": list(report.attachments.all()),
        **queries.chain(report),
    }
    return render(request, "opinions/member/detail.html", context)


@requires("opinions.submit")
@require_POST
def member_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get(request, pk)
    try:
        services.report_submit(report=report, by=request.user)
        messages.success(request, _("已提交,社情民意信息工作人员将进行采编。"))
    except (ValidationError, TransitionRefused, PermissionDenied) as exc:
        for m in _errors(exc):
            messages.error(request, m)
    return redirect("opinions:member_detail", pk=pk)


@requires("opinions.submit")
@require_POST
def member_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get(request, pk)
    try:
        services.report_withdraw(report=report, by=request.user, reason=request.POST.get("reason", "")[:500])
        messages.success(request, _("已撤回。"))
    except (ValidationError, TransitionRefused, PermissionDenied) as exc:
        for m in _errors(exc):
            messages.error(request, m)
    return redirect("opinions:member_detail", pk=pk)


def attachment_response(attachment) -> HttpResponse:
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type)


@requires("opinions.submit")
def member_attachment(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    report = _get(request, pk)
    return attachment_response(get_object_or_404(report.attachments.all(), pk=aid))


urlpatterns = [
    path("", member_home, name="member_home"),
    path("new/", member_new, name="member_new"),
    path("<int:pk>/", member_detail, name="member_detail"),
    path("<int:pk>/edit/", member_edit, name="member_edit"),
    path("<int:pk>/submit/", member_submit, name="member_submit"),
    path("<int:pk>/withdraw/", member_withdraw, name="member_withdraw"),
    path("<int:pk>/attachments/<int:aid>/", member_attachment, name="member_attachment"),
]
