"""Reading (书香政协): the member's page (my reading, my groups, record a book) and the staff pages (books,
reading groups, participation by group and sector, Excel export of who read what)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core.decorators import requires
from lvzhi.core.xlsx import xlsx_response

from . import queries
from . import services_reading as reading
from .forms import BookForm, GroupForm, RecordForm
from .models import Book, ReadingGroup, ReadingRecord
from .views_member import _me


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@requires("activities.join")
@require_http_methods(["GET", "POST"])
def reading_home(request):
    me = _me(request)
    form = RecordForm(request.POST or None, committee=request.committee, member=me) if me else None
    if request.method == "POST" and me is not None and form.is_valid():
        try:
            reading.record_add(member=me, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已记录。"))
            return redirect("activities:reading_home")
    context = {"tab": "duties", "form": form, "no_profile": me is None}
    if me is not None:
        context["records"] = list(ReadingRecord.objects.filter(member=me).select_related("book", "group")[:100])
        context["groups"] = list(queries.my_groups(me))
        context["year_count"] = ReadingRecord.objects.filter(member=me, read_on__year=timezone.localdate().year).count()
    return render(request, "activities/member/reading.html", context, status=400 if form and form.errors else 200)


# --------------------------------------------------------------------------- staff


def _year(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


@requires("activities.view_all")
@require_GET
def staff_reading(request):
    year = _year(request)
    stats = queries.participation(request.committee, year=year)
    return render(
        request,
        "activities/staff/reading.html",
        {
            **stats,
            "year": year,
            "books": list(Book.objects.for_committee(request.committee).annotate(n=Count("records"))),
            "records": list(queries.record_rows(request.committee, year=year)[:50]),
            "book_form": BookForm(),
            "can_manage": request.user.has_perm("activities.manage", request.committee),
        },
    )


@requires("activities.view_all")
@require_GET
def staff_reading_export(request):
    year = _year(request)
    rows = (
        (
            r.member.name,
            r.member.sector.name,
            r.group.name if r.group_id else "",
            r.book.title,
            r.book.author,
            r.read_on,
            r.notes,
        )
        for r in queries.record_rows(request.committee, year=year).iterator()
    )
    headers = [_("委员"), _("界别"), _("读书小组"), _("书名"), _("作者"), _("阅读日期"), _("读书心得")]
    return xlsx_response(_("书香政协读书记录.xlsx"), headers, rows, sheet_title=_("读书记录"))


@requires("activities.manage")
@require_POST
def staff_book_add(request):
    form = BookForm(request.POST)
    if form.is_valid():
        try:
            reading.book_add(
                committee=request.committee, by=request.user, cover=request.FILES.get("cover"), **form.cleaned_data
            )
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, _("图书已添加。"))
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("activities:staff_reading")


@requires("activities.manage")
@require_http_methods(["GET", "POST"])
def staff_group(request, pk: int | None = None):
    group = get_object_or_404(ReadingGroup.objects.for_committee(request.committee), pk=pk) if pk else None
    initial = GroupForm.initial_of(group) if group else None
    form = GroupForm(request.POST or None, committee=request.committee, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reading.group_save(committee=request.committee, by=request.user, group=group, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("读书小组已保存。"))
            return redirect("activities:staff_reading")
    return render(
        request,
        "activities/staff/group_form.html",
        {"form": form, "group": group},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("reading/", reading_home, name="reading_home"),
    path("staff/reading/", staff_reading, name="staff_reading"),
    path("staff/reading/export.xlsx", staff_reading_export, name="staff_reading_export"),
    path("staff/reading/books/", staff_book_add, name="staff_book_add"),
    path("staff/reading/groups/new/", staff_group, name="staff_group_new"),
    path("staff/reading/groups/<int:pk>/", staff_group, name="staff_group"),
]
