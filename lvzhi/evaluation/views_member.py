"""The member's 履职 tab (phone first): my score this year by category, every line down to its source, the
other duty capabilities, my duty record over the term (履职档案), my rank in my sector (when the committee
shows ranks), the rules in plain Chinese, and my annual report (年度述职 / 常委履职报告) with its reviews.

A member sees only their own lines; a line of another member or another committee is 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from lvzhi.core.config import setting
from lvzhi.core.decorators import requires
from lvzhi.core.docx import docx_response
from lvzhi.core.workflow import TransitionRefused
from lvzhi.org.services import StaleEdit

from . import queries, services
from .drafting import report_docx
from .models import AnnualReport, LedgerLine, RuleSet
from .rules import explain, fmt
from .workflow import REPORT

# The other duty capabilities (rendered only once their URL name exists).
DUTY_LINKS = [
    ("opinions:member_home", gettext_lazy("社情民意"), "✉"),
    ("consultations:member_home", gettext_lazy("协商议政"), "☷"),
    ("activities:member_home", gettext_lazy("履职活动"), "⚑"),
    ("activities:reading_home", gettext_lazy("书香政协"), "❏"),
]


def duty_links() -> list[dict]:
    out = []
    for name, label, icon in DUTY_LINKS:
        try:
            out.append({"url": reverse(name), "label": label, "icon": icon})
        except NoReverseMatch:
            continue
    return out


def _errors(exc: Exception) -> list[str]:
    if isinstance(exc, TransitionRefused):
        return [exc.message]
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    if isinstance(exc, PermissionDenied | StaleEdit):
        return [str(exc) or _("您没有权限执行此操作。")]
    return [str(exc)]


def _me(request):
    member = queries.member_of(request)
    if member is None:
        raise Http404
    return member


@requires("evaluation.view_own")
@require_GET
def member_home(request: HttpRequest) -> HttpResponse:
    member = queries.member_of(request)
    context = {"tab": "duties", "duty_links": duty_links(), "no_profile": member is None}
    if member is not None:
        year = queries.pick_year(request, request.committee)
        rows = queries.annotate_sources(queries.lines(member, year))
        rule_set = RuleSet.objects.for_committee(request.committee).filter(year=year).first()
        context.update(
            member=member,
            year=year,
            years=queries.years(request.committee),
            rule_set=rule_set,
            total=sum((x.points for x in rows), queries.ZERO),
            groups=queries.by_category(rows),
            show_rank=setting(request.committee, "evaluation.show_rank"),
            report=AnnualReport.objects.for_committee(request.committee).filter(member=member, year=year).first(),
        )
        if context["show_rank"]:
            context["rank"], context["rank_of"] = queries.rank_in_sector(member, year)
    return render(request, "evaluation/member/home.html", context)


@requires("evaluation.view_own")
@require_GET
def member_line(request: HttpRequest, pk: int) -> HttpResponse:
    member = _me(request)
    line = get_object_or_404(
        LedgerLine.objects.for_committee(request.committee)
        .filter(member=member)
        .select_related("rule", "event", "event__actor", "reverses__event"),
        pk=pk,
    )
    line.source = queries.source(line)
    context = {"tab": "duties", "line": line, "explain": explain(line.rule), "member": member}
    return render(request, "evaluation/member/line.html", context)


@requires("evaluation.view_own")
@require_GET
def member_record(request: HttpRequest) -> HttpResponse:
    member = _me(request)
    context = {"tab": "duties", "member": member, "record": queries.record(member)}
    return render(request, "evaluation/member/record.html", context)


@requires("evaluation.view_own")
@require_GET
def member_rules(request: HttpRequest) -> HttpResponse:
    year = queries.pick_year(request, request.committee)
    return render(request, "evaluation/rules.html", {"tab": "duties", **rules_context(request.committee, year)})


def rules_context(committee, year: int) -> dict:
    rule_set = RuleSet.objects.for_committee(committee).filter(year=year).first()
    rules = []
    if rule_set:
        for rule in rule_set.rules.all():
            rule.explain = explain(rule)
            rules.append(rule)
    return {
        "rule_set": rule_set,
        "rules": rules,
        "year": year,
        "years": queries.years(committee),
        "min_score": fmt(rule_set.min_score) if rule_set and rule_set.min_score is not None else "",
    }


@requires("evaluation.view_own")
@require_http_methods(["GET", "POST"])
def member_report(request: HttpRequest, year: int) -> HttpResponse:
    member = _me(request)
    if not RuleSet.objects.for_committee(request.committee).filter(year=year).exists():
        raise Http404
    report = services.report_for(member=member, year=year, by=request.user)
    errors = []
    if request.method == "POST":
        try:
            report = services.report_save(
                report=report,
                by=request.user,
                title=request.POST.get("title", ""),
                text=request.POST.get("text", ""),
                version=int(request.POST.get("version") or 0),
            )
            if request.POST.get("action") == "submit":
                services.report_submit(report=report, by=request.user)
                messages.success(request, _("述职报告已提交。"))
            else:
                messages.success(request, _("已保存。"))
            return redirect("evaluation:member_report", year=year)
        except (TransitionRefused, ValidationError, PermissionDenied, StaleEdit) as exc:
            errors = _errors(exc)
            report.title = request.POST.get("title", report.title)
            report.text = request.POST.get("text", report.text)
    context = {
        "tab": "duties",
        "member": member,
        "report": report,
        "state_text": REPORT.state_label(report.state),
        "reviews": list(report.reviews.all()),
        "errors": errors,
        "year": year,
    }
    return render(request, "evaluation/member/report.html", context, status=422 if errors else 200)


@requires("evaluation.view_own")
@require_GET
def member_report_docx(request: HttpRequest, year: int) -> HttpResponse:
    member = _me(request)
    report = get_object_or_404(AnnualReport.objects.for_committee(request.committee), member=member, year=year)
    return docx_response(f"{report.title}.docx", report_docx(report))


@requires("evaluation.review_reports")
@require_GET
def peer_reports(request: HttpRequest) -> HttpResponse:
    """Standing members' reports this member may review (when the committee has peers review)."""
    reports = [
        r
        for r in AnnualReport.objects.for_committee(request.committee)
        .filter(standing=True, state="submitted")
        .select_related("member")
        .order_by("-year", "member__name")
        if services.can_review(request.user, r)
    ]
    return render(request, "evaluation/member/peer_reports.html", {"tab": "duties", "reports": reports})


@requires("evaluation.review_reports")
@require_http_methods(["GET", "POST"])
def peer_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        AnnualReport.objects.for_committee(request.committee).select_related("member"), pk=pk, standing=True
    )
    if not services.can_review(request.user, report) and not report.reviews.filter(reviewer=request.user).exists():
        raise Http404
    errors = []
    if request.method == "POST":
        try:
            services.review_add(report=report, by=request.user, text=request.POST.get("text", ""))
            messages.success(request, _("点评已提交。"))
            return redirect("evaluation:peer_review", pk=pk)
        except (TransitionRefused, ValidationError, PermissionDenied) as exc:
            errors = _errors(exc)
    context = {
        "tab": "duties",
        "report": report,
        "reviews": list(report.reviews.all()),
        "can_review": services.can_review(request.user, report)
        and not report.reviews.filter(reviewer=request.user).exists(),
        "errors": errors,
    }
    return render(request, "evaluation/member/peer_review.html", context, status=422 if errors else 200)


urlpatterns = [
    path("", member_home, name="member_home"),
    path("lines/<int:pk>/", member_line, name="member_line"),
    path("record/", member_record, name="member_record"),
    path("rules/", member_rules, name="member_rules"),
    path("report/<int:year>/", member_report, name="member_report"),
    path("report/<int:year>/word/", member_report_docx, name="member_report_docx"),
    path("reviews/", peer_reports, name="peer_reports"),
    path("reviews/<int:pk>/", peer_review, name="peer_review"),
]
