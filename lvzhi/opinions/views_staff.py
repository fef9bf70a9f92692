"""Staff desktop pages: the queue with filters, one report (edit 采编, send back, not used, accept,
publish in an issue, forward to the parent committee, adoption and instruction), combining reports,
bulletin issues with their Word export, and the statistics with an Excel export.

Reading needs opinions.view_all (staff and leaders); every write needs opinions.edit or
opinions.record_adoption and goes through services. Residents' private data: services.can_see_private."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.decorators import requires
from lvzhi.core.workflow import TransitionRefused

from . import exports, queries, services
from .forms import AdoptionForm, EditForm, InstructionForm, IssueForm, QueueFilter, ReasonForm, ReporterForm
from .models import BulletinIssue, OpinionReport, Reporter
from .views_member import _errors, attachment_response
from .workflow import REPORT


def _reports(request):
    return OpinionReport.objects.for_committee(request.committee)


def _attempt(request, fn, ok: str) -> bool:
    try:
        fn()
    except (ValidationError, TransitionRefused, PermissionDenied) as exc:
        for m in _errors(exc):
            messages.error(request, m)
        return False
    messages.success(request, ok)
    return True


def _to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.error_dict.items():
            for e in errs:
                form.add_error(field if field in form.fields else None, e)
    else:
        for m in exc.messages:
            form.add_error(None, m)


def _can(request, perm):
    return request.user.has_perm(perm, request.committee)


@requires("opinions.view_all")
def staff_queue(request: HttpRequest) -> HttpResponse:
    topics = services.topics(request.committee)
    states = [(k, str(v)) for k, v in REPORT.states.items() if k not in ("draft", "withdrawn")]
    form = QueueFilter(request.GET or None, topics=topics, states=states)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.queue(request.committee, **{k: v for k, v in filters.items() if v})
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for r in page.object_list:
        r.state_text = REPORT.state_label(r.state)
        r.authors_list = [a.member for a in r.author_rows.all()]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_edit": _can(request, "opinions.edit"),
    }
    return render(request, "opinions/staff/queue.html", context)


@requires("opinions.view_all")
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        _reports(request).select_related(
            "issue", "contact_point", "studio", "submitted_by", "forwarded_from__committee"
        ),
        pk=pk,
    )
    can_edit = _can(request, "opinions.edit")
    today = timezone.localdate()
    issues = list(BulletinIssue.objects.for_committee(request.committee).order_by("-year", "-number")[:12])
    parent = request.committee.parent
    context = {
        "report": report,
        "state_text": REPORT.state_label(report.state),
        "authors": services.authors(report),
        "private": services.can_see_private(report, request.user),
        "attachments": list(report.attachments.all()),
        "can_edit": can_edit,
        "can_record": _can(request, "opinions.record_adoption"),
        "actions": {t.action for t in REPORT.available(report, request.roles)} if can_edit else set(),
        "handling": report.state in ("submitted", "editing", "accepted"),
        "recordable": report.state in services.RECORDABLE,
        "issues": issues,
        "parent": parent,
        "forwarded": parent is not None
        and OpinionReport.objects.filter(forwarded_from=report, committee=parent).exists(),
        "edited_fields": [
            (label, getattr(report, "original_" + f), getattr(report, f))
            for f, label in (("title", _("标题")), ("situation", _("情况")), ("suggestion", _("建议")))
            if report.edited_at and getattr(report, "original_" + f) != getattr(report, f)
        ],
        "adoption_form": AdoptionForm(initial={"date": today}),
        "instruction_form": InstructionForm(initial={"date": today}),
        "reason_form": ReasonForm(),
        **queries.chain(report),
    }
    return render(request, "opinions/staff/detail.html", context)


@requires("opinions.edit")
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(_reports(request), pk=pk)
    topics = services.topics(request.committee)
    form = EditForm(request.POST or None, initial={f: getattr(report, f) for f in EditForm.base_fields}, topics=topics)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.report_edit(report=report, by=request.user, values=form.cleaned_data)
        except ValidationError as exc:
            _to_form(form, exc)
        except (TransitionRefused, PermissionDenied) as exc:
            for m in _errors(exc):
                messages.error(request, m)
            return redirect("opinions:staff_detail", pk=pk)
        else:
            messages.success(request, _("已保存采编修改。") if changed else _("内容没有变化。"))
            return redirect("opinions:staff_detail", pk=pk)
    from lvzhi.core.config import setting

    context = {"report": report, "form": form, "max_chars": setting(request.committee, "opinions.max_chars")}
    return render(request, "opinions/staff/edit.html", context, status=400 if form.errors else 200)


@requires("opinions.edit")
@require_POST
def staff_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = get_object_or_404(_reports(request), pk=pk)
    by, reason = request.user, request.POST.get("reason", "")[:1000]
    if action == "accept":
        _attempt(request, lambda: services.report_accept(report=report, by=by), _("已列为拟编发。"))
    elif action == "reopen":
        _attempt(request, lambda: services.report_reopen(report=report, by=by), _("已撤回拟编发,继续采编。"))
    elif action == "send_back":
        _attempt(request, lambda: services.report_send_back(report=report, by=by, reason=reason), _("已退回修改。"))
    elif action == "not_use":
        _attempt(request, lambda: services.report_not_use(report=report, by=by, reason=reason), _("已标记为不予编发。"))
    elif action == "forward":
        _attempt(
            request,
            lambda: services.report_forward(report=report, by=by, note=reason),
            _("已报送%(c)s。") % {"c": request.committee.parent},
        )
    elif action == "publish":
        issue = BulletinIssue.objects.for_committee(request.committee).filter(pk=request.POST.get("issue") or 0).first()
        if issue is None:
            messages.error(request, _("请选择期刊。"))
        else:
            _attempt(
                request,
                lambda: services.issue_publish(issue=issue, reports=[report], by=by),
                _("已刊发于%(issue)s。") % {"issue": issue},
            )
    else:
        messages.error(request, _("不认识的操作。"))
    return redirect("opinions:staff_detail", pk=pk)


def _form_errors(request, form) -> None:
    for field, errs in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errs:
            messages.error(request, f"{label}:{e}" if label else e)


@requires("opinions.record_adoption")
@require_POST
def staff_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(_reports(request), pk=pk)
    form = AdoptionForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.adoption_record(report=report, by=request.user, **form.cleaned_data),
            _("已记录采用。"),
        )
    else:
        _form_errors(request, form)
    return redirect("opinions:staff_detail", pk=pk)


@requires("opinions.record_adoption")
@require_POST
def staff_instruct(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(_reports(request), pk=pk)
    form = InstructionForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.instruction_record(report=report, by=request.user, **form.cleaned_data),
            _("已记录领导批示。"),
        )
    else:
        _form_errors(request, form)
    return redirect("opinions:staff_detail", pk=pk)


@requires("opinions.edit")
@require_POST
def staff_combine(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    target_id = request.POST.get("target", "")
    reports = {r.pk: r for r in _reports(request).filter(pk__in=ids)}
    target = reports.get(int(target_id)) if target_id.isdigit() else None
    if target is None or len(reports) < 2:
        messages.error(request, _("请勾选至少两条信息,并选择合并到哪一条。"))
        return redirect("opinions:staff_queue")
    others = [r for pk, r in reports.items() if pk != target.pk]
    if _attempt(
        request,
        lambda: services.report_combine(target=target, others=others, by=request.user),
        _("已合并 %(n)s 条信息,作者均保留署名。") % {"n": len(others)},
    ):
        return redirect("opinions:staff_detail", pk=target.pk)
    return redirect("opinions:staff_queue")


@requires("opinions.view_all")
def staff_issues(request: HttpRequest) -> HttpResponse:
    form = IssueForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST":
        if not _can(request, "opinions.edit"):
            raise PermissionDenied
        if form.is_valid():
            try:
                issue = services.issue_create(committee=request.committee, by=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                for m in _errors(exc):
                    messages.error(request, m)
            else:
                messages.success(request, _("已新建%(issue)s。") % {"issue": issue})
                return redirect("opinions:staff_issue", pk=issue.pk)
    issues = BulletinIssue.objects.for_committee(request.committee).order_by("-year", "-number")
    issues = issues.annotate(n=Count("reports"))
    context = {"issues": issues, "form": form, "can_edit": _can(request, "opinions.edit")}
    return render(request, "opinions/staff/issues.html", context, status=400 if form.errors else 200)


@requires("opinions.view_all")
def staff_issue(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(BulletinIssue.objects.for_committee(request.committee), pk=pk)
    can_edit = _can(request, "opinions.edit")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        chosen = list(_reports(request).filter(pk__in=ids).order_by("submitted_at", "id"))
        _attempt(
            request,
            lambda: services.issue_publish(issue=issue, reports=chosen, by=request.user),
            _("已刊发 %(n)s 条信息。") % {"n": len(chosen)},
        )
        return redirect("opinions:staff_issue", pk=pk)
    reports = list(issue.reports.order_by("issue_order", "id").prefetch_related("author_rows__member"))
    candidates = list(
        _reports(request).filter(state__in=("accepted", "editing", "submitted")).order_by("-state", "submitted_at")
    )
    for r in candidates:
        r.state_text = REPORT.state_label(r.state)
    context = {"issue": issue, "reports": reports, "candidates": candidates, "can_edit": can_edit}
    return render(request, "opinions/staff/issue.html", context)


@requires("opinions.view_all")
def staff_issue_docx(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(BulletinIssue.objects.for_committee(request.committee), pk=pk)
    return exports.issue_docx(issue)


@requires("opinions.view_all")
def staff_stats(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
    context = {"stats": queries.stats(request.committee, year), "year": year, "this_year": timezone.localdate().year}
    return render(request, "opinions/staff/stats.html", context)


@requires("opinions.view_all")
def staff_stats_xlsx(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
    return exports.reports_xlsx(request.committee, year, private=_can(request, "opinions.edit"))


@requires("opinions.edit")
def staff_reporters(request: HttpRequest) -> HttpResponse:
    """信息员: who reports for which contact point or studio; register one, or take the role away."""
    form = ReporterForm(request.POST or None, committee=request.committee)
    if request.method == "POST":
        if "remove" in request.POST:
            reporter = get_object_or_404(Reporter.objects.for_committee(request.committee), pk=request.POST["remove"])
            _attempt(request, lambda: services.reporter_remove(reporter=reporter, by=request.user), _("已取消信息员。"))
            return redirect("opinions:staff_reporters")
        if form.is_valid():
            try:
                services.reporter_add(committee=request.committee, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _to_form(form, exc)
            else:
                messages.success(request, _("已登记信息员。"))
                return redirect("opinions:staff_reporters")
    reporters = (
        Reporter.objects.for_committee(request.committee)
        .select_related("user", "contact_point", "studio")
        .order_by("contact_point__order", "studio__order", "id")
    )
    counts = dict(
        OpinionReport.objects.for_committee(request.committee)
        .exclude(state="draft")
        .values_list("submitted_by")
        .annotate(n=Count("id"))
    )
    rows = [(r, counts.get(r.user_id, 0)) for r in reporters]
    return render(
        request, "opinions/staff/reporters.html", {"form": form, "rows": rows}, status=400 if form.errors else 200
    )


@requires("opinions.view_all")
def staff_attachment(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    report = get_object_or_404(_reports(request), pk=pk)
    return attachment_response(get_object_or_404(report.attachments.all(), pk=aid))


urlpatterns = [
    path("staff/", staff_queue, name="staff_queue"),
    path("staff/combine/", staff_combine, name="staff_combine"),
    path("staff/issues/", staff_issues, name="staff_issues"),
    path("staff/issues/<int:pk>/", staff_issue, name="staff_issue"),
    path("staff/issues/<int:pk>/docx/", staff_issue_docx, name="staff_issue_docx"),
    path("staff/reporters/", staff_reporters, name="staff_reporters"),
    path("staff/stats/", staff_stats, name="staff_stats"),
    path("staff/stats/xlsx/", staff_stats_xlsx, name="staff_stats_xlsx"),
    path("staff/<int:pk>/", staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", staff_edit, name="staff_edit"),
    path("staff/<int:pk>/adopt/", staff_adopt, name="staff_adopt"),
    path("staff/<int:pk>/instruct/", staff_instruct, name="staff_instruct"),
    path("staff/<int:pk>/attachments/<int:aid>/", staff_attachment, name="staff_attachment"),
    path("staff/<int:pk>/<str:action>/", staff_action, name="staff_action"),
]
