"""The member's own phone pages: my profile (我的) and the member directory (委员名录).

The directory shows of other members only what every member may see (name, sector, party, studio);
their mobile numbers, birth dates and the like never reach the page."""

from django import forms
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from lvzhi.core.caching import render_shared
from lvzhi.core.decorators import requires
from lvzhi.core.roles import STAFF_ROLES, Role

from . import caching, queries
from .models import Member, Membership, Sector

DIRECTORY_PAGE_SIZE = 30


@requires("core.use")
def me(request: HttpRequest) -> HttpResponse:
    """我的: one's own profile in the current committee (one's own private data is fine), roles and settings."""
    committee = request.committee
    member = (
        Member.objects.for_committee(committee)
        .select_related("term", "sector", "party", "studio", "sub_district")
        .prefetch_related("special_committees")
        .filter(user=request.user)
        .first()
    )
    units = [
        m.handling_unit
        for m in Membership.objects.filter(user=request.user, committee=committee, role=Role.UNIT).select_related(
            "handling_unit"
        )
        if m.handling_unit
    ]
    context = {
        "tab": "me",
        "member": member,
        "units": units,
        "role_names": [Role(r).label for r in Role.values if r in request.roles],
        "is_staff": bool(request.roles & STAFF_ROLES),
    }
    return render(request, "org/me.html", context)


class DirectoryFilter(forms.Form):
    q = forms.CharField(label=_("姓名"), max_length=50, required=False)
    sector = forms.ModelChoiceField(
        label=_("界别"),
        queryset=Sector.objects.none(),
        required=False,
        empty_label=_("全部界别"),
        error_messages={"invalid_choice": _("没有这个界别,请重新选择。")},
    )
    page = forms.IntegerField(min_value=1, required=False)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.for_committee(committee)
        self.fields["q"].widget.attrs.update(placeholder=_("输入姓名查找"), autocomplete="off", type="search")


@requires("org.view_directory")
def directory(request: HttpRequest) -> HttpResponse:
    """委员名录: the committee's active members, by name and sector; public fields only.

    Every member of the committee reads the same pages until the roster changes, so a page is rendered
    once per roster, query and frame and then read from the cache (core.caching.render_shared;
    org.caching retires it when a member, sector, party or studio of the committee changes)."""
    token = caching.roster_token(request.committee.pk)
    return render_shared(request, "org/directory.html", lambda: _directory_context(request), scope=(token,))


def _directory_context(request: HttpRequest) -> dict:
    form = DirectoryFilter(request.GET or None, committee=request.committee)
    form.is_valid()  # a bad field is shown with its message and ignored; the valid ones still filter
    cleaned = getattr(form, "cleaned_data", {})
    q = (cleaned.get("q") or "").strip()
    sector = cleaned.get("sector")
    number = cleaned.get("page") or 1
    # The directory never selects what it must not show (mobile, birth date...): plain values of the
    # four names it shows, no model instances.
    members = queries.members(request.committee, q=q, sector=sector)
    rows = members.values(
        "id", "name", sector_name=F("sector__name"), party_name=F("party__name"), studio_name=F("studio__name")
    )
    paginator = Paginator(rows, DIRECTORY_PAGE_SIZE)
    paginator.count = members.count()  # counted without the joins of the names (cached_property, set here)
    page = paginator.get_page(number)
    params = request.GET.copy()
    params.pop("page", None)
    chosen = form["sector"].value()
    return {
        "tab": "home",
        "form": form,
        "page": page,
        "q": q,
        "q_value": form["q"].value() or "",
        "sector": sector,
        # the <select> is written out in the template (the form widget's templates cost more than the list)
        "sectors": [
            (pk, name, str(pk) == str(chosen)) for pk, name in form.fields["sector"].queryset.values_list("pk", "name")
        ],
        "query_string": params.urlencode(),
    }


urlpatterns: list = [
    path("me/", me, name="me"),
    path("directory/", directory, name="directory"),
]
