"""Staff pages of the committee's structure: the desk (工作台), terms, sessions, sectors, parties, special
committees, sub-districts with studios and contact points (one generic set of pages driven by the `KINDS`
registry), handling units with their staff accounts, the standing committee and the committee hierarchy."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.decorators import requires

from . import queries_structure as queries
from . import services_structure as services
from .forms_structure import StandingAddForm, UnitStaffForm, form_for
from .models import HandlingUnit, Member
from .services_structure import KINDS, Kind

READ = "org.view_member_private"


def _kind(slug: str) -> Kind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


def _may(request: HttpRequest, perm: str) -> bool:
    return request.user.has_perm(perm, request.committee)


def _require(request: HttpRequest, perm: str) -> None:
    if not _may(request, perm):
        raise PermissionDenied


def _errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@requires(READ)
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "org/dashboard.html",
        {"counts": queries.desk_counts(request.committee), "kinds": KINDS.values()},
    )


@requires(READ)
def setup_list(request: HttpRequest, kind: str) -> HttpResponse:
    k = _kind(kind)
    return render(
        request,
        "org/structure/list.html",
        {
            "kind": k,
            "headers": queries.headers(k),
            "rows": queries.rows(k, request.committee),
            "can_write": _may(request, k.perm),
        },
    )


@requires(READ)
def setup_create(request: HttpRequest, kind: str) -> HttpResponse:
    k = _kind(kind)
    _require(request, k.perm)
    form = form_for(k)(request.POST or None, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.structure_create(
                kind=k, committee=request.committee, values=form.cleaned_data, by=request.user
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已新增%(kind)s“%(name)s”。") % {"kind": k.label, "name": obj})
            return redirect("org:setup_list", kind=k.slug)
    return render(request, "org/structure/form.html", {"kind": k, "form": form, "obj": None})


@requires(READ)
def setup_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    k = _kind(kind)
    _require(request, k.perm)
    obj = get_object_or_404(k.model.objects.for_committee(request.committee), pk=pk)
    form = form_for(k)(request.POST or None, instance=obj, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in k.fields}
        try:
            obj = services.structure_update(kind=k, obj=obj, values=values, by=request.user)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已保存%(kind)s“%(name)s”。") % {"kind": k.label, "name": obj})
            return redirect("org:setup_list", kind=k.slug)
    return render(request, "org/structure/form.html", {"kind": k, "form": form, "obj": obj})


@require_POST
@requires(READ)
def setup_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    k = _kind(kind)
    _require(request, k.perm)
    obj = get_object_or_404(k.model.objects.for_committee(request.committee), pk=pk)
    name = str(obj)
    try:
        services.structure_delete(kind=k, obj=obj, by=request.user)
    except ValidationError as e:
        _errors_to_messages(request, e)
    else:
        messages.success(request, _("已删除%(kind)s“%(name)s”。") % {"kind": k.label, "name": name})
    return redirect("org:setup_list", kind=k.slug)


# --- handling units and their staff accounts


def _unit(request: HttpRequest, pk: int) -> HandlingUnit:
    return get_object_or_404(HandlingUnit.objects.for_committee(request.committee), pk=pk)


def _unit_page(request: HttpRequest, unit: HandlingUnit, form: UnitStaffForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "org/structure/unit.html",
        {
            "unit": unit,
            "kind": KINDS["units"],
            "staff": services.unit_staff(unit),
            "form": form,
            "can_write": _may(request, "org.manage_units"),
        },
        status=status,
    )


@requires(READ)
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_page(request, _unit(request, pk), UnitStaffForm())


@require_POST
@requires("org.manage_units")
def unit_staff_add(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    form = UnitStaffForm(request.POST)
    if form.is_valid():
        try:
            user = services.unit_staff_add(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if user.has_usable_password():
                text = _("已为“%(name)s”创建账户(用户名 %(username)s),可用初始密码或短信验证码登录。")
            else:
                text = _("已为“%(name)s”创建账户(用户名 %(username)s),本人可用手机短信验证码登录。")
            messages.success(request, text % {"name": user, "username": user.username})
            return redirect("org:unit_detail", pk=unit.pk)
    return _unit_page(request, unit, form, status=400)


@require_POST
@requires("org.manage_units")
def unit_staff_remove(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    unit = _unit(request, pk)
    user = get_object_or_404(services.unit_staff(unit), pk=user_id)
    services.unit_staff_remove(unit=unit, user=user, by=request.user)
    messages.success(request, _("已移除“%(name)s”在本单位的工作人员身份。") % {"name": user})
    return redirect("org:unit_detail", pk=unit.pk)


# --- standing committee (常委会)


def _standing_page(request: HttpRequest, form: StandingAddForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "org/structure/standing.html",
        {
            "members": queries.standing_members(request.committee),
            "form": form,
            "can_write": _may(request, "org.manage_org"),
        },
        status=status,
    )


@requires(READ)
def standing(request: HttpRequest) -> HttpResponse:
    return _standing_page(request, StandingAddForm(committee=request.committee))


@require_POST
@requires("org.manage_org")
def standing_add(request: HttpRequest) -> HttpResponse:
    form = StandingAddForm(request.POST, committee=request.committee)
    if form.is_valid():
        member = form.cleaned_data["member"]
        try:
            services.standing_set(member=member, standing=True, by=request.user)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已将“%(name)s”增补为常委。") % {"name": member})
            return redirect("org:standing")
    return _standing_page(request, form, status=400)


@require_POST
@requires("org.manage_org")
def standing_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.for_committee(request.committee), pk=pk)
    try:
        services.standing_set(member=member, standing=False, by=request.user)
    except ValidationError as e:
        _errors_to_messages(request, e)
    else:
        messages.success(request, _("已将“%(name)s”移出常委会。") % {"name": member})
    return redirect("org:standing")


# --- committee hierarchy


@requires(READ)
def hierarchy(request: HttpRequest) -> HttpResponse:
    return render(request, "org/structure/hierarchy.html", queries.hierarchy(request.committee))


urlpatterns: list = [
    path("", dashboard, name="dashboard"),
    path("setup/<slug:kind>/", setup_list, name="setup_list"),
    path("setup/<slug:kind>/new/", setup_create, name="setup_create"),
    path("setup/<slug:kind>/<int:pk>/edit/", setup_edit, name="setup_edit"),
    path("setup/<slug:kind>/<int:pk>/delete/", setup_delete, name="setup_delete"),
    path("units/<int:pk>/", unit_detail, name="unit_detail"),
    path("units/<int:pk>/staff/", unit_staff_add, name="unit_staff_add"),
    path("units/<int:pk>/staff/<int:user_id>/remove/", unit_staff_remove, name="unit_staff_remove"),
    path("standing/", standing, name="standing"),
    path("standing/add/", standing_add, name="standing_add"),
    path("standing/<int:pk>/remove/", standing_remove, name="standing_remove"),
    path("hierarchy/", hierarchy, name="hierarchy"),
]
