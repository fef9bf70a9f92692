"""The seat plan page of a meeting (座位图, desktop): the hall grid with names, arranging the hall, automatic
and hand assignment, clearing; a print view of the grid and the seat list as Excel. meetings.view_all reads,
meetings.manage writes (a POST without it is 403); another committee's meeting is 404. Every write goes
through services_seats; a refusal becomes an error message and changes nothing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lvzhi.core.decorators import requires
from lvzhi.core.xlsx import XLSX_CONTENT_TYPE

from . import exports
from . import forms_seats as f
from . import services_seats as seats
from .models import SeatPlan
from .views_staff import _attempt, _can_manage, _form_errors, _meeting


def _context(request: HttpRequest, meeting) -> dict:
    plan = SeatPlan.objects.filter(meeting=meeting).first()
    rows = seats.grid(meeting, plan)
    invitations = list(meeting.invitations.select_related("member__sector"))
    seated = sum(1 for i in invitations if i.seat_row)
    unseated = [i for i in invitations if not i.seat_row and i.state not in seats.NOT_SEATED_STATES]
    can_manage = _can_manage(request)
    initial = (
        {
            "rows": plan.rows,
            "seats_per_row": plan.seats_per_row,
            "reserved_rows": ",".join(str(r) for r in plan.reserved_rows),
            "reserved_label": plan.reserved_label,
        }
        if plan
        else {"rows": 10, "seats_per_row": 20, "reserved_rows": "1", "reserved_label": _("领导席")}
    )
    return {
        "m": meeting,
        "plan": plan,
        "grid": rows,
        "seated": seated,
        "unseated": unseated,
        "invited": len(invitations),
        "capacity": plan.rows * plan.seats_per_row if plan else 0,
        "can_manage": can_manage,
        "editable": can_manage and meeting.state in ("draft", "published"),
        "plan_form": f.PlanForm(initial=initial),
        "auto_form": f.AutoForm(),
        "assign_form": f.AssignForm(meeting=meeting) if can_manage else None,
    }


@requires("meetings.view_all")
def seat_plan(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if request.method == "POST":
        if not _can_manage(request):
            raise PermissionDenied
        _post(request, meeting)
        return redirect("meetings:staff_seats", pk=meeting.pk)
    return render(request, "meetings/staff/seats.html", _context(request, meeting))


def _post(request: HttpRequest, meeting) -> None:
    op, by = request.POST.get("op", ""), request.user
    if op == "arrange":
        form = f.PlanForm(request.POST)
        if not form.is_valid():
            return _form_errors(request, form)
        data = form.cleaned_data
        _attempt(
            request,
            lambda: seats.plan_arrange(
                meeting=meeting,
                by=by,
                rows=data["rows"],
                seats_per_row=data["seats_per_row"],
                reserved_rows=data["reserved_rows"],
                reserved_label=data["reserved_label"],
            ),
            _("已保存会场:%(rows)s 排,每排 %(n)s 座。") % {"rows": data["rows"], "n": data["seats_per_row"]},
        )
    elif op == "auto":
        form = f.AutoForm(request.POST)
        if not form.is_valid():
            return _form_errors(request, form)
        _attempt(
            request,
            lambda: seats.seats_auto_assign(meeting=meeting, by=by, order=form.cleaned_data["order"]),
            lambda n: _("已为 %(n)s 位委员自动排座。") % {"n": n},
        )
    elif op == "assign":
        form = f.AssignForm(request.POST, meeting=meeting)
        if not form.is_valid():
            return _form_errors(request, form)
        data = form.cleaned_data
        inv = data["invitation"]
        _attempt(
            request,
            lambda: seats.seat_assign(invitation=inv, by=by, row=data["row"], number=data["number"], swap=data["swap"]),
            lambda x: (
                _("已将 %(name)s 安排在 %(seat)s。") % {"name": inv.member.name, "seat": x.seat}
                if x.seat
                else _("已取消 %(name)s 的座位。") % {"name": inv.member.name}
            ),
        )
    elif op in ("clear", "remove"):
        _attempt(
            request,
            lambda: seats.seats_clear(meeting=meeting, by=by, remove_plan=op == "remove"),
            _("已删除座位图。") if op == "remove" else _("已清空全部座位。"),
        )
    else:
        messages.error(request, _("未知的操作。"))
    return None


@requires("meetings.view_all")
@require_GET
def seat_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The hall grid alone, for printing or showing on a screen at the entrance."""
    meeting = _meeting(request, pk)
    return render(request, "meetings/staff/seats_print.html", _context(request, meeting))


@requires("meetings.view_all")
@require_GET
def seat_export(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    response = HttpResponse(exports.seats_xlsx(meeting), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, exports.seats_filename(meeting))
    return response


urlpatterns = [
    path("staff/<int:pk>/seats/", seat_plan, name="staff_seats"),
    path("staff/<int:pk>/seats/print/", seat_print, name="staff_seats_print"),
    path("staff/<int:pk>/seats/seats.xlsx", seat_export, name="staff_seats_xlsx"),
]
