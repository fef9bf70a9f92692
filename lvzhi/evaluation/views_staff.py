"""Staff pages (desktop): all members' scores with filters, pagination and the distribution chart, Excel
export, one member's lines, the rules editor (start a year, edit, rebuild, check thresholds, close),
manual adjustments, warnings and their decisions, and the annual reports with their reviews.

Reads need evaluation.view_all (staff and leaders); writes evaluation.manage (the office), reviews as the
committee configures (services.can_review). Another committee's rows are 404."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core.decorators import requires
from lvzhi.core.docx import docx_response
from lvzhi.core.events import label as action_label
from lvzhi.core.events import timeline
from lvzhi.core.workflow import TransitionRefused
from lvzhi.core.xlsx import xlsx_response
from lvzhi.org.models import Member

from . import queries, services, tasks
from .drafting import report_docx
from .forms import AdjustForm, DecisionForm, ScoreFilter
from .models import Adjustment, AnnualReport, Kind, RuleSet, Warning
from .rules import CATEGORIES, CATEGORY_OF
from .views_member import _errors, rules_context
from .workflow import REPORT, WARNING

PAGE_SIZE = 50


def _year(request) -> int:
    return queries.pick_year(request, request.committee)


def _can_manage(request) -> bool:
    return request.user.has_perm("evaluation.manage", request.committee)


def _filtered(request, year):
    form = ScoreFilter(request.GET or None, committee=request.committee)
    data = form.cleaned_data if form.is_valid() else {}
    qs = queries.scores(
        request.committee,
        year,
        sector=data.get("sector"),
        party=data.get("party"),
        special=data.get("special"),
        q=(data.get("q") or "").strip(),
    )
    return form, qs


def _category_totals(committee, year, member_ids) -> dict:
    from django.db.models import Sum

    from .models import LedgerLine

    out: dict = {}
    for row in (
        LedgerLine.objects.filter(committee=committee, year=year, member_id__in=member_ids)
        .values("member_id", "rule__kind")
        .annotate(t=Sum("points"))
        .order_by()
    ):
        cat = CATEGORY_OF.get(row["rule__kind"], "adjustments")
        out.setdefault(row["member_id"], {}).setdefault(cat, queries.ZERO)
        out[row["member_id"]][cat] += row["t"]
    return out


@requires("evaluation.view_all")
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    form, qs = _filtered(request, year)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    cats = _category_totals(request.committee, year, [m.pk for m in rows])
    for m in rows:
        m.cats = [cats.get(m.pk, {}).get(k, queries.ZERO) for k, _label in CATEGORIES]
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    bands = queries.distribution(request.committee, year, base=qs)
    context = {
        "year": year,
        "years": queries.years(request.committee),
        "rule_set": RuleSet.objects.for_committee(request.committee).filter(year=year).first(),
        "form": form,
        "page": page,
        "rows": rows,
        "categories": CATEGORIES,
        "query": query,
        "bands": bands,
        "chart_height": 30 * len(bands) + 6,
        "open_warnings": Warning.objects.for_committee(request.committee).filter(state="open").count(),
        "can_manage": _can_manage(request),
    }
    return render(request, "evaluation/staff/home.html", context)


@requires("evaluation.view_all")
@require_GET
def staff_export(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    _form, qs = _filtered(request, year)
    members = list(qs.prefetch_related("special_committees"))
    cats = _category_totals(request.committee, year, [m.pk for m in members])
    headers = [
        _("排名"),
        _("姓名"),
        _("界别"),
        _("党派团体"),
        _("专委会"),
        *[str(label) for _k, label in CATEGORIES],
        _("总积分"),
    ]
    rows = []
    for i, m in enumerate(members, 1):
        rows.append(
            [
                i,
                m.name,
                m.sector.name,
                m.party.name,
                "、".join(s.name for s in m.special_committees.all()),
                *[float(cats.get(m.pk, {}).get(k, 0)) for k, _label in CATEGORIES],
                float(m.score),
            ]
        )
    return xlsx_response(f"{year}年度委员履职积分.xlsx", headers, rows, sheet_title=str(year))


@requires("evaluation.view_all")
@require_GET
def staff_member(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.for_committee(request.committee).select_related("sector", "party"), pk=pk)
    year = _year(request)
    rows = queries.annotate_sources(queries.lines(member, year), staff=True)
    context = {
        "member": member,
        "year": year,
        "years": queries.years(request.committee),
        "groups": queries.by_category(rows),
        "total": sum((x.points for x in rows), queries.ZERO),
        "record": queries.record(member),
        "form": AdjustForm(committee=request.committee, initial={"member": member.pk}),
        "can_manage": _can_manage(request),
    }
    return render(request, "evaluation/staff/member.html", context)


@requires("evaluation.view_all")
@require_GET
def staff_rules_current(request: HttpRequest) -> HttpResponse:
    return redirect("evaluation:staff_rules", year=queries.default_year(request.committee))


@requires("evaluation.view_all")
@require_GET
def staff_rules(request: HttpRequest, year: int) -> HttpResponse:
    context = rules_context(request.committee, year)
    context.update(can_manage=_can_manage(request), errors=[], posted={})
    return render(request, "evaluation/staff/rules.html", context)


@requires("evaluation.manage")
@require_POST
def staff_rules_save(request: HttpRequest, year: int) -> HttpResponse:
    rule_set = get_object_or_404(RuleSet.objects.for_committee(request.committee), year=year)
    rules = {}
    for kind in Kind.values:
        if kind == Kind.ADJUSTMENT:
            continue
        row = {}
        for name in ("points", "cap", "joint_weight"):
            key = f"{kind}-{name}"
            if key in request.POST:
                row[name] = request.POST[key].strip()
        if row:
            rules[kind] = row
    try:
        changed = services.rules_update(
            rule_set=rule_set,
            by=request.user,
            rules=rules,
            absence_limit=request.POST.get("absence_limit", "").strip(),
            min_score=request.POST.get("min_score", "").strip(),
            idle_years=request.POST.get("idle_years", "").strip(),
            note=request.POST.get("note", ""),
        )
    except (TransitionRefused, ValidationError, PermissionDenied) as exc:
        context = rules_context(request.committee, year)
        context.update(can_manage=True, errors=_errors(exc), posted=request.POST)
        return render(request, "evaluation/staff/rules.html", context, status=422)
    if changed:
        messages.success(request, _("考评规则已保存,%(year)s 年度积分已按新规则重算。") % {"year": year})
    else:
        messages.info(request, _("没有改动。"))
    return redirect("evaluation:staff_rules", year=year)


def _post_action(request, fn, ok: str, back: str, **kwargs):
    try:
        fn()
        messages.success(request, ok)
    except (TransitionRefused, ValidationError, PermissionDenied) as exc:
        for message in _errors(exc):
            messages.error(request, message)
    return redirect(back, **kwargs)


@requires("evaluation.manage")
@require_POST
def staff_year_start(request: HttpRequest) -> HttpResponse:
    year = request.POST.get("year", "")
    try:
        rule_set = services.year_start(committee=request.committee, year=year, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return redirect("evaluation:staff_home")
    messages.success(request, _("%(year)s 年度已开始,规则复制自上一年度,积分已计算。") % {"year": rule_set.year})
    return redirect("evaluation:staff_rules", year=rule_set.year)


@requires("evaluation.manage")
@require_POST
def staff_rebuild(request: HttpRequest, year: int) -> HttpResponse:
    get_object_or_404(RuleSet.objects.for_committee(request.committee), year=year)

    def run():
        result = tasks.rebuild_year.delay(request.committee.pk, year).get()
        if result.get("refused"):
            raise TransitionRefused(result["refused"])

    return _post_action(
        request, run, _("已重算 %(year)s 年度积分。") % {"year": year}, "evaluation:staff_rules", year=year
    )


@requires("evaluation.manage")
@require_POST
def staff_close(request: HttpRequest, year: int) -> HttpResponse:
    rule_set = get_object_or_404(RuleSet.objects.for_committee(request.committee), year=year)
    return _post_action(
        request,
        lambda: services.year_close(rule_set=rule_set, by=request.user),
        _("%(year)s 年度已关账,规则和积分已冻结。") % {"year": year},
        "evaluation:staff_rules",
        year=year,
    )


@requires("evaluation.manage")
@require_POST
def staff_check(request: HttpRequest, year: int) -> HttpResponse:
    get_object_or_404(RuleSet.objects.for_committee(request.committee), year=year)
    found = []

    def run():
        found.extend(services.check_thresholds(committee=request.committee, year=year, by=request.user))

    response = _post_action(request, run, _("已检查预警条件。"), "evaluation:staff_warnings")
    if found:
        messages.info(request, _("新增 %(n)s 条预警。") % {"n": len(found)})
    return response


@requires("evaluation.view_all")
@require_http_methods(["GET", "POST"])
def staff_adjustments(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    form = AdjustForm(request.POST or None, committee=request.committee)
    errors = []
    if request.method == "POST":
        if not _can_manage(request):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.adjust(
                    committee=request.committee,
                    member=form.cleaned_data["member"],
                    year=year,
                    points=form.cleaned_data["points"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
                messages.success(request, _("积分已调整。"))
                return redirect(f"{request.path}?year={year}")
            except (TransitionRefused, ValidationError, PermissionDenied) as exc:
                errors = _errors(exc)
    adjustments = (
        Adjustment.objects.for_committee(request.committee).filter(year=year).select_related("member", "created_by")
    )
    context = {
        "year": year,
        "years": queries.years(request.committee),
        "form": form,
        "errors": errors,
        "adjustments": adjustments,
        "can_manage": _can_manage(request),
    }
    return render(
        request, "evaluation/staff/adjustments.html", context, status=422 if request.method == "POST" else 200
    )


@requires("evaluation.view_all")
@require_GET
def staff_warnings(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "open")
    qs = Warning.objects.for_committee(request.committee).select_related("member", "member__sector")
    if state in WARNING.states:
        qs = qs.filter(state=state)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for w in page.object_list:
        w.state_text = WARNING.state_label(w.state)
    context = {"page": page, "state": state, "states": WARNING.states.items(), "can_manage": _can_manage(request)}
    return render(request, "evaluation/staff/warnings.html", context)


@requires("evaluation.view_all")
@require_http_methods(["GET", "POST"])
def staff_warning(request: HttpRequest, pk: int) -> HttpResponse:
    warning = get_object_or_404(
        Warning.objects.for_committee(request.committee).select_related("member", "exit_review", "decided_by"), pk=pk
    )
    errors = []
    if request.method == "POST":
        if not _can_manage(request):
            raise PermissionDenied
        form = DecisionForm(request.POST)
        if form.is_valid():
            action = form.cleaned_data["action"]
            fn = services.warning_dismiss if action == "dismiss" else services.warning_open_exit
            try:
                fn(warning=warning, by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("处理决定已记录。"))
                return redirect("evaluation:warning", pk=pk)
            except (TransitionRefused, ValidationError, PermissionDenied) as exc:
                errors = _errors(exc)
        else:
            errors = [_("请选择处理方式。")]
    context = {
        "warning": warning,
        "state_text": WARNING.state_label(warning.state),
        "events": [(e, action_label(e.action)) for e in timeline(warning)],
        "errors": errors,
        "can_decide": _can_manage(request) and warning.state == "open",
    }
    return render(request, "evaluation/staff/warning.html", context, status=422 if errors else 200)


@requires("evaluation.view_all")
@require_GET
def staff_reports(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    reports = (
        AnnualReport.objects.for_committee(request.committee)
        .filter(year=year)
        .select_related("member", "member__sector")
        .order_by("-standing", "member__name")
    )
    for r in reports:
        r.state_text = REPORT.state_label(r.state)
    context = {"year": year, "years": queries.years(request.committee), "reports": reports}
    return render(request, "evaluation/staff/reports.html", context)


@requires("evaluation.view_all")
@require_http_methods(["GET", "POST"])
def staff_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(AnnualReport.objects.for_committee(request.committee).select_related("member"), pk=pk)
    errors = []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "return":
                if not _can_manage(request):
                    raise PermissionDenied(_("只有机关办公室可以退回述职报告。"))
                services.report_return(report=report, by=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("已退回委员修改。"))
            else:
                services.review_add(report=report, by=request.user, text=request.POST.get("text", ""))
                messages.success(request, _("点评已提交。"))
            return redirect("evaluation:staff_report", pk=pk)
        except (TransitionRefused, ValidationError, PermissionDenied) as exc:
            errors = _errors(exc)
    context = {
        "report": report,
        "state_text": REPORT.state_label(report.state),
        "reviews": list(report.reviews.all()),
        "can_review": services.can_review(request.user, report)
        and not report.reviews.filter(reviewer=request.user).exists(),
        "can_return": _can_manage(request) and report.state == "submitted",
        "errors": errors,
    }
    return render(request, "evaluation/staff/report.html", context, status=422 if errors else 200)


@requires("evaluation.view_all")
@require_GET
def staff_report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(AnnualReport.objects.for_committee(request.committee), pk=pk)
    return docx_response(f"{report.member.name}-{report.title}.docx", report_docx(report))


urlpatterns = [
    path("staff/", staff_home, name="staff_home"),
    path("staff/export/", staff_export, name="staff_export"),
    path("staff/members/<int:pk>/", staff_member, name="staff_member"),
    path("staff/years/start/", staff_year_start, name="staff_year_start"),
    path("staff/rules/", staff_rules_current, name="staff_rules_current"),
    path("staff/rules/<int:year>/", staff_rules, name="staff_rules"),
    path("staff/rules/<int:year>/save/", staff_rules_save, name="staff_rules_save"),
    path("staff/rules/<int:year>/rebuild/", staff_rebuild, name="staff_rebuild"),
    path("staff/rules/<int:year>/close/", staff_close, name="staff_close"),
    path("staff/rules/<int:year>/check/", staff_check, name="staff_check"),
    path("staff/adjustments/", staff_adjustments, name="staff_adjustments"),
    path("staff/warnings/", staff_warnings, name="staff_warnings"),
    path("staff/warnings/<int:pk>/", staff_warning, name="warning"),
    path("staff/reports/", staff_reports, name="staff_reports"),
    path("staff/reports/<int:pk>/", staff_report, name="staff_report"),
    path("staff/reports/<int:pk>/word/", staff_report_docx, name="staff_report_docx"),
]
