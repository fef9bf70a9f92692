"""A department's pages (/consultations/unit/…): the recommendations sent to my unit, and for each the
adoption answer (采纳 / 部分采纳 / 不采纳 with reason), implementation steps and the final feedback."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lvzhi.core.decorators import requires

from . import queries as q
from . import services as s
from .forms import AnswerForm, FeedbackForm, StepForm
from .models import Recommendation, Response
from .views_staff import form_errors, run
from .workflow import RESPONSE


def _unit(request):
    unit = s.unit_of(request.user, request.committee)
    if unit is None:
        raise PermissionDenied
    return unit


@require_GET
@requires("consultations.respond")
def unit_home(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    today = timezone.localdate()
    rows = list(q.unit_responses(request.committee, unit))
    for r in rows:
        r.overdue = r.state != "closed" and r.due_date < today
    sections = [
        ("sent", _("待答复"), [r for r in rows if r.state == "sent"]),
        ("working", _("落实中"), [r for r in rows if r.state in ("answered", "implementing")]),
        ("closed", _("已反馈"), [r for r in rows if r.state == "closed"]),
    ]
    return render(
        request,
        "consultations/unit/home.html",
        {"unit": unit, "sections": sections, "labels": RESPONSE.states, "overdue": sum(r.overdue for r in rows)},
    )


@require_GET
@requires("consultations.respond")
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request)
    rec = get_object_or_404(Recommendation.objects.for_committee(request.committee).select_related("outcome"), pk=pk)
    response = Response.objects.filter(recommendation=rec, unit=unit).first()
    if response is None:
        raise Http404
    return render(
        request,
        "consultations/unit/detail.html",
        {
            "unit": unit,
            "rec": rec,
            "r": response,
            "state_label": RESPONSE.state_label(response.state),
            "steps": response.steps.all(),
            "today": timezone.localdate(),
            "answer_form": AnswerForm(),
            "step_form": StepForm(initial={"date": timezone.localdate()}),
            "feedback_form": FeedbackForm(),
        },
    )


@require_POST
@requires("consultations.respond")
def unit_post(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    unit = s.unit_of(request.user, request.committee)
    rec = get_object_or_404(Recommendation.objects.for_committee(request.committee), pk=pk)
    forms_by = {"answer": AnswerForm, "step": StepForm, "feedback": FeedbackForm}
    if what not in forms_by:
        raise Http404
    form = forms_by[what](request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    elif what == "answer":
        run(
            request,
            lambda: s.response_answer(recommendation=rec, unit=unit, by=request.user, **form.cleaned_data),
            _("采纳情况已答复。"),
        )
    elif what == "step":
        run(
            request,
            lambda: s.step_add(recommendation=rec, unit=unit, by=request.user, **form.cleaned_data),
            _("落实情况已记录。"),
        )
    else:
        run(
            request,
            lambda: s.response_feed_back(recommendation=rec, unit=unit, by=request.user, **form.cleaned_data),
            _("落实结果已反馈。"),
        )
    if unit is not None and Response.objects.filter(recommendation=rec, unit=unit).exists():
        return redirect("consultations:unit_detail", pk=rec.pk)
    return redirect("consultations:unit_home")


urlpatterns = [
    path("unit/", unit_home, name="unit_home"),
    path("unit/<int:pk>/", unit_detail, name="unit_detail"),
    path("unit/<int:pk>/<str:what>/", unit_post, name="unit_post"),
]
