"""Public pages (no log-in, /consultations/public/…): the published outcome reports of a committee with
their topic, recommendations and each department's adoption, implementation and feedback."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from lvzhi.org.models import Committee

from . import queries as q
from .models import Outcome, Response


def _committee(request: HttpRequest):
    wanted = request.GET.get("committee", "")
    if wanted.isdigit():
        committee = Committee.objects.filter(pk=int(wanted)).first()
        if committee is not None:
            return committee
    if getattr(request, "committee", None) is not None:
        return request.committee
    first = Outcome.objects.filter(state="published").select_related("committee").first()
    return first.committee if first else Committee.objects.order_by("level", "name").first()


def public_list(request: HttpRequest) -> HttpResponse:
    committee = _committee(request)
    outcomes = q.published_outcomes(committee) if committee else Outcome.objects.none()
    page = Paginator(outcomes, 20).get_page(request.GET.get("page"))
    return render(request, "consultations/public/list.html", {"public_committee": committee, "page": page})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    o = (
        Outcome.objects.filter(state="published", pk=pk)
        .select_related("committee", "consultation", "consultation__topic", "supervision")
        .first()
    )
    if o is None:
        raise Http404
    responses = (
        Response.objects.filter(recommendation__outcome=o)
        .select_related("unit")
        .prefetch_related("steps")
        .order_by("unit__order", "id")
    )
    by_rec: dict = {}
    for r in responses:
        by_rec.setdefault(r.recommendation_id, []).append(r)
    rows = [(rec, by_rec.get(rec.pk, [])) for rec in o.recommendations.all()]
    return render(
        request,
        "consultations/public/detail.html",
        {"public_committee": o.committee, "o": o, "rows": rows},
    )


urlpatterns = [
    path("public/", public_list, name="public_list"),
    path("public/<int:pk>/", public_detail, name="public_detail"),
]
