"""Staff pages of the member roster (委员名册): list with filters, create, edit (optimistic lock), detail,
end and reinstate a membership, Excel export of the filtered list, Excel import with a template."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.decorators import requires
from lvzhi.core.workflow import TransitionRefused
from lvzhi.core.xlsx import xlsx_response

from . import importer, queries, services
from .forms import EndForm, ImportForm, MemberForm, RosterFilterForm
from .models import Member

PAGE_SIZE = 50


def _member(request: HttpRequest, pk: int) -> Member:
    """A member of the current committee, or 404 (another committee's member does not exist here)."""
    qs = Member.objects.for_committee(request.committee).select_related(
        "sector", "party", "term", "studio", "sub_district", "user"
    )
    return get_object_or_404(qs, pk=pk)


def _filtered(request: HttpRequest):
    form = RosterFilterForm(request.GET, committee=request.committee)
    return form, queries.members(request.committee, private=True, **form.query_args())


@requires("org.view_member_private")
def member_list(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "org/members/list.html",
        {
            "form": form,
            "page": page,
            "query": params.urlencode(),
            "can_manage": request.user.has_perm("org.manage_members", request.committee),
            "can_export": request.user.has_perm("org.export_members", request.committee),
        },
    )


@requires("org.export_members")
def member_export(request: HttpRequest) -> HttpResponse:
    _form, qs = _filtered(request)
    qs = qs.prefetch_related("special_committees")
    filename = _("委员名册-%(date)s.xlsx") % {"date": timezone.localdate().strftime("%Y%m%d")}
    return xlsx_response(filename, importer.export_headers(), importer.export_rows(qs), sheet_title=_("委员名册"))


def _save_errors(form: MemberForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@requires("org.manage_members")
def member_new(request: HttpRequest) -> HttpResponse:
    form = MemberForm(
        request.POST if request.method == "POST" else None,
        committee=request.committee,
        instance=Member(committee=request.committee),
        initial={"term": queries.current_term(request.committee)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(committee=request.committee, by=request.user, **form.service_values())
        except ValidationError as e:
            _save_errors(form, e)
        else:
            messages.success(request, _("已新增委员 %(name)s。") % {"name": member.name})
            return redirect("org:member", pk=member.pk)
    return render(request, "org/members/form.html", {"form": form, "member": None})


@requires("org.manage_members")
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    form = MemberForm(request.POST if request.method == "POST" else None, committee=request.committee, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(
                member=member,
                by=request.user,
                version=form.cleaned_data["version"],
                **form.service_values(),
            )
        except services.StaleEdit as e:
            messages.error(request, str(e))
            return redirect("org:member_edit", pk=member.pk)
        except ValidationError as e:
            _save_errors(form, e)
        else:
            messages.success(request, _("已保存 %(name)s 的信息。") % {"name": member.name})
            return redirect("org:member", pk=member.pk)
    return render(request, "org/members/form.html", {"form": form, "member": member})


@requires("org.view_member_private")
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    return render(
        request,
        "org/members/detail.html",
        {
            "member": member,
            "specials": list(member.special_committees.all()),
            "roles": queries.member_roles(member),
            "can_manage": request.user.has_perm("org.manage_members", request.committee),
            "end_form": EndForm(),
        },
    )


def _transition(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    member = _member(request, pk)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect("org:member", pk=member.pk)
    try:
        service(member=member, by=request.user, reason=form.cleaned_data["reason"])
    except TransitionRefused as e:
        messages.error(request, e.message)
    else:
        messages.success(request, done % {"name": member.name})
    return redirect("org:member", pk=member.pk)


@require_POST
@requires("org.manage_members")
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.member_end, _("已终止 %(name)s 的委员资格。"))


@require_POST
@requires("org.manage_members")
def member_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.member_reinstate, _("已恢复 %(name)s 的委员资格。"))


@requires("org.manage_members")
def member_import(request: HttpRequest) -> HttpResponse:
    bound = request.method == "POST"
    form = ImportForm(request.POST if bound else None, request.FILES if bound else None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = importer.import_members(
                committee=request.committee, by=request.user, upload=form.cleaned_data["file"]
            )
            if result.ok:
                messages.success(request, _("已导入 %(n)s 名委员。") % {"n": result.created})
                return redirect(reverse("org:members") + "?state=active")
        status = 400
    return render(
        request,
        "org/members/import.html",
        {"form": form, "result": result, "max_rows": importer.MAX_ROWS, "headers": importer.headers()},
        status=status,
    )


@requires("org.manage_members")
def member_import_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(
        _("委员导入模板.xlsx"),
        importer.headers(),
        importer.template_rows(request.committee),
        sheet_title=_("委员名册"),
    )


urlpatterns = [
    path("members/", member_list, name="members"),
    path("members/export.xlsx", member_export, name="members_export"),
    path("members/new/", member_new, name="member_new"),
    path("members/import/", member_import, name="members_import"),
    path("members/import/template.xlsx", member_import_template, name="members_import_template"),
    path("members/<int:pk>/", member_detail, name="member"),
    path("members/<int:pk>/edit/", member_edit, name="member_edit"),
    path("members/<int:pk>/end/", member_end, name="member_end"),
    path("members/<int:pk>/reinstate/", member_reinstate, name="member_reinstate"),
]
