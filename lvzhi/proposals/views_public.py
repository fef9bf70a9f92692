"""Public pages (no log-in): the proposals that the office published and the proposer agreed to publish,
with the answers that reached the proposers. Nothing private: proposers by name and sector only."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from lvzhi.org.models import Committee

from . import queries_public as public
from .forms_public import PublicFilterForm

PAGE_SIZE = 20


def _committee(request: HttpRequest):
    """The committee asked for (?committee=<id>), else the visitor's own, else the first that published."""
    wanted = request.GET.get("committee", "")
    if wanted.isdigit():
        committee = Committee.objects.filter(pk=int(wanted)).first()
        if committee is not None:
            return committee
    if getattr(request, "committee", None) is not None:
        return request.committee
    return public.public_committees().first() or Committee.objects.order_by("level", "name").first()


def proposal_list(request: HttpRequest) -> HttpResponse:
    committee = _committee(request)
    data = request.GET.copy()
    data["committee"] = committee.pk if committee else ""
    form = PublicFilterForm(data, committee=committee)
    proposals = public.published(committee, **form.query_args()) if committee else []
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    if committee is not None:
        params["committee"] = committee.pk
    return render(
        request,
        "proposals/public/list.html",
        {"public_committee": committee, "form": form, "page": page, "query": params.urlencode()},
    )


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = public.with_details(public.published_anywhere()).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    answers = public.approved_answers(proposal)
    return render(
        request,
        "proposals/public/detail.html",
        {
            "public_committee": proposal.committee,
            "proposal": proposal,
            "people": public.proposer_rows(proposal),
            "answers": [(a, public.category_label(proposal.committee, a.final_category)) for a in answers],
            "assignments": proposal.live_assignments,
            "state_word": public.state_word(proposal),
        },
    )


urlpatterns = [
    path("proposals/", proposal_list, name="proposals"),
    path("proposals/<int:pk>/", proposal_detail, name="proposal"),
]
