"""Staff pages of the member lifecycle: nomination (委员推荐提名), exit review (退出机制) and liaison
(谈心谈话、走访看望)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.decorators import requires
from lvzhi.core.workflow import TransitionRefused

from . import queries_lifecycle as queries
from . import services_lifecycle as services
from .forms_lifecycle import (
    ExitFilterForm,
    ExitOpenForm,
    LiaisonFilterForm,
    LiaisonForm,
    NominationFilterForm,
    NominationForm,
    TransitionForm,
)
from .models import ExitReview, Liaison, Member, Nomination
from .workflow import EXIT, NOMINATION

PAGE_SIZE = 50


def _page(request: HttpRequest, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- nomination


@requires("org.manage_nominations")
def nomination_list(request: HttpRequest) -> HttpResponse:
    filters = NominationFilterForm(request.GET or None)
    state = filters.cleaned_data["state"] if filters.is_valid() else ""
    page = _page(request, queries.nominations(request.committee, state=state))
    return render(
        request,
        "org/lifecycle/nomination_list.html",
        {
            "filters": filters,
            "state": state,
            "counts": queries.nomination_counts(request.committee),
            "page": page,
            "query": _query_without_page(request),
            "nav": "nominations",
        },
    )


@requires("org.manage_nominations")
def nomination_new(request: HttpRequest) -> HttpResponse:
    form = NominationForm(request.POST or None, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nomination_create(committee=request.committee, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已登记提名:%(name)s") % {"name": nomination.name})
            return redirect("org:nomination", pk=nomination.pk)
    return render(request, "org/lifecycle/nomination_form.html", {"form": form, "nav": "nominations"})


@requires("org.manage_nominations")
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_object_or_404(queries.nominations(request.committee), pk=pk)
    steps = queries.nomination_progress(nomination)
    return render(
        request,
        "org/lifecycle/nomination_detail.html",
        {
            "nomination": nomination,
            "state_label": NOMINATION.state_label(nomination.state),
            "steps": steps,
            "current": next((s for s in steps if s["status"] == "current"), None),
            "transitions": NOMINATION.available(nomination, request.roles),
            "form": TransitionForm(),
            "nav": "nominations",
        },
    )


@require_POST
@requires("org.manage_nominations")
def nomination_act(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_object_or_404(Nomination.objects.for_committee(request.committee), pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("提交的内容不完整或过长,请检查后重试。"))
        return redirect("org:nomination", pk=pk)
    action = form.cleaned_data["action"]
    try:
        event = services.nomination_advance(
            nomination=nomination, action=action, by=request.user, reason=form.cleaned_data["reason"]
        )
    except TransitionRefused as e:
        messages.error(request, e.message)
    else:
        transition = NOMINATION.find(event.from_state, action)
        messages.success(request, _("已完成:%(action)s") % {"action": transition.label})
        if nomination.member_id:
            messages.success(request, _("已建立委员档案:%(name)s") % {"name": nomination.member.name})
    return redirect("org:nomination", pk=pk)


# --- exit review


@requires("org.manage_exit")
def exit_list(request: HttpRequest) -> HttpResponse:
    filters = ExitFilterForm(request.GET or None)
    state = filters.cleaned_data["state"] if filters.is_valid() else ""
    page = _page(request, queries.exit_reviews(request.committee, state=state))
    return render(
        request,
        "org/lifecycle/exit_list.html",
        {
            "filters": filters,
            "state": state,
            "counts": queries.exit_counts(request.committee),
            "page": page,
            "query": _query_without_page(request),
            "nav": "exits",
        },
    )


@requires("org.manage_exit")
def exit_new(request: HttpRequest) -> HttpResponse:
    initial = {}
    wanted = request.GET.get("member", "")
    if wanted.isdigit():
        initial["member"] = get_object_or_404(Member.objects.for_committee(request.committee), pk=wanted).pk
    form = ExitOpenForm(request.POST or None, initial=initial, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.exit_review_open(
                member=form.cleaned_data["member"], grounds=form.cleaned_data["grounds"], by=request.user
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已启动对委员「%(name)s」的退出审查。") % {"name": review.member.name})
            return redirect("org:exit", pk=review.pk)
    return render(request, "org/lifecycle/exit_form.html", {"form": form, "nav": "exits"})


@requires("org.manage_exit")
def exit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(queries.exit_reviews(request.committee), pk=pk)
    return render(
        request,
        "org/lifecycle/exit_detail.html",
        {
            "review": review,
            "state_label": EXIT.state_label(review.state),
            "transitions": EXIT.available(review, request.roles),
            "form": TransitionForm(),
            "others": queries.exit_reviews(request.committee, member=review.member).exclude(pk=review.pk),
            "liaisons": queries.liaisons(request.committee, member=review.member)[:5],
            "nav": "exits",
        },
    )


@require_POST
@requires("org.manage_exit")
def exit_act(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(ExitReview.objects.for_committee(request.committee), pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("提交的内容不完整或过长,请检查后重试。"))
        return redirect("org:exit", pk=pk)
    action = form.cleaned_data["action"]
    try:
        event = services.exit_review_decide(
            review=review, action=action, by=request.user, reason=form.cleaned_data["reason"]
        )
    except TransitionRefused as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已作出决定:%(action)s") % {"action": EXIT.find(event.from_state, action).label})
    return redirect("org:exit", pk=pk)


# --- liaison


@requires("org.view_liaison")
def liaison_list(request: HttpRequest) -> HttpResponse:
    filters = LiaisonFilterForm(request.GET or None, committee=request.committee)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    qs = queries.liaisons(
        request.committee,
        member=criteria.get("member"),
        kind=criteria.get("kind", ""),
        date_from=criteria.get("date_from"),
        date_to=criteria.get("date_to"),
    )
    return render(
        request,
        "org/lifecycle/liaison_list.html",
        {
            "filters": filters,
            "page": _page(request, qs),
            "query": _query_without_page(request),
            "can_record": request.user.has_perm("org.record_liaison", request.committee),
            "nav": "liaisons",
        },
    )


@requires("org.record_liaison")
def liaison_new(request: HttpRequest) -> HttpResponse:
    initial = {"kind": Liaison.Kind.TALK, "date": timezone.localdate()}
    wanted = request.GET.get("member", "")
    if wanted.isdigit():
        initial["member"] = get_object_or_404(Member.objects.for_committee(request.committee), pk=wanted).pk
    form = LiaisonForm(request.POST or None, initial=initial, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            liaison = services.liaison_create(committee=request.committee, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已登记联系委员记录。"))
            return redirect("org:liaison", pk=liaison.pk)
    return render(request, "org/lifecycle/liaison_form.html", {"form": form, "nav": "liaisons"})


@requires("org.view_liaison")
def liaison_detail(request: HttpRequest, pk: int) -> HttpResponse:
    liaison = get_object_or_404(queries.liaisons(request.committee), pk=pk)
    return render(
        request,
        "org/lifecycle/liaison_detail.html",
        {"liaison": liaison, "can_edit": services.liaison_can_edit(request.user, liaison), "nav": "liaisons"},
    )


@requires("org.record_liaison")
def liaison_edit(request: HttpRequest, pk: int) -> HttpResponse:
    liaison = get_object_or_404(queries.liaisons(request.committee), pk=pk)
    if not services.liaison_can_edit(request.user, liaison):
        raise PermissionDenied
    form = LiaisonForm(request.POST or None, instance=liaison, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            services.liaison_update(liaison=liaison, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("org:liaison", pk=liaison.pk)
    return render(request, "org/lifecycle/liaison_form.html", {"form": form, "liaison": liaison, "nav": "liaisons"})


urlpatterns = [
    path("nominations/", nomination_list, name="nominations"),
    path("nominations/new/", nomination_new, name="nomination_new"),
    path("nominations/<int:pk>/", nomination_detail, name="nomination"),
    path("nominations/<int:pk>/act/", nomination_act, name="nomination_act"),
    path("exits/", exit_list, name="exits"),
    path("exits/new/", exit_new, name="exit_new"),
    path("exits/<int:pk>/", exit_detail, name="exit"),
    path("exits/<int:pk>/act/", exit_act, name="exit_act"),
    path("liaisons/", liaison_list, name="liaisons"),
    path("liaisons/new/", liaison_new, name="liaison_new"),
    path("liaisons/<int:pk>/", liaison_detail, name="liaison"),
    path("liaisons/<int:pk>/edit/", liaison_edit, name="liaison_edit"),
]
