"""The member's phone pages (/consultations/ and /consultations/m/<id>/): the consultations I am invited to,
the online discussion (网络议政) inside its window, and my written opinions (书面意见)."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lvzhi.core.decorators import requires

from . import queries as q
from . import services as s
from .forms import OpinionForm, PostForm
from .models import Consultation, Material, Outcome, Speech
from .views_staff import form_errors, run


def _mine(request, pk: int) -> Consultation:
    member = s.member_of(request.user, request.committee)
    if member is None:
        raise Http404
    return get_object_or_404(q.member_consultations(request.committee, member), pk=pk)


@require_GET
@requires("consultations.take_part")
def member_home(request: HttpRequest) -> HttpResponse:
    member = s.member_of(request.user, request.committee)
    rows = list(q.member_consultations(request.committee, member)) if member else []
    for c in rows:
        c.discussion = s.discussion_state(c)
    return render(
        request,
        "consultations/member/home.html",
        {
            "tab": "duties",
            "no_profile": member is None,
            "upcoming": [c for c in rows if c.state == "planned"],
            "held": [c for c in rows if c.state == "held"],
        },
    )


@require_GET
@requires("consultations.take_part")
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = _mine(request, pk)
    member = s.member_of(request.user, request.committee)
    return render(
        request,
        "consultations/member/detail.html",
        {
            "tab": "duties",
            "c": c,
            "discussion": s.discussion_state(c),
            "posts": q.visible_posts(c, staff=False),
            "materials": c.materials.all(),
            "units": c.units.all(),
            "mine": Speech.objects.filter(consultation=c, member=member).order_by("-created_at"),
            "outcome": Outcome.objects.filter(consultation=c, state="published").first(),
            "post_form": PostForm(),
            "opinion_form": OpinionForm(),
        },
    )


@require_POST
@requires("consultations.take_part")
def member_post(request: HttpRequest, pk: int) -> HttpResponse:
    c = _mine(request, pk)
    form = PostForm(request.POST)
    if form.is_valid():
        run(
            request,
            lambda: s.post_create(consultation=c, by=request.user, text=form.cleaned_data["text"]),
            _("发言已发布。"),
        )
    else:
        messages.error(request, form_errors(form))
    return redirect("consultations:member_detail", pk=c.pk)


@require_POST
@requires("consultations.take_part")
def member_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    c = _mine(request, pk)
    form = OpinionForm(request.POST)
    if form.is_valid():
        run(
            request,
            lambda: s.opinion_submit(consultation=c, by=request.user, **form.cleaned_data),
            _("书面意见已提交。"),
        )
    else:
        messages.error(request, form_errors(form))
    return redirect("consultations:member_detail", pk=c.pk)


@require_GET
@requires("core.use")
def material_download(request: HttpRequest, pk: int):
    """A material of a consultation: for staff and leaders, and for the members invited to it."""
    material = get_object_or_404(Material.objects.for_committee(request.committee), pk=pk)
    if not request.user.has_perm("consultations.view_all", request.committee):
        member = s.member_of(request.user, request.committee)
        if member is None or not material.consultation.participants.filter(member=member).exists():
            raise Http404
    return FileResponse(material.file.open("rb"), as_attachment=True, filename=material.name)


urlpatterns = [
    path("materials/<int:pk>/", material_download, name="material"),
    path("", member_home, name="member_home"),
    path("m/<int:pk>/", member_detail, name="member_detail"),
    path("m/<int:pk>/post/", member_post, name="member_post"),
    path("m/<int:pk>/opinion/", member_opinion, name="member_opinion"),
]
