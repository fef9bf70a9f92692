"""The meeting-day staff pages (perm meetings.manage): the registration desk (报到), the door check-in
(签到, phone camera or typed entry), the live attendance count and the leave requests (请假).

Every page works on one meeting of the current committee (another committee's meeting is 404). Reads go
through queries / queries_desk, writes through services / services_desk."""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.decorators import requires
from lvzhi.core.workflow import TransitionRefused
from lvzhi.org.models import Sector

from . import forms_desk as f
from . import queries, queries_desk, services, services_desk
from .models import Invitation, LeaveRequest, Meeting
from .workflow import ATTENDANCE, LEAVE


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.for_committee(request.committee).select_related("session"), pk=pk)


def _errors(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _label(invitation: Invitation) -> None:
    invitation.state_label = ATTENDANCE.state_label(invitation.state)


# --------------------------------------------------------------------------- registration desk


@requires("meetings.manage")
def desk(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = f.DeskSearchForm(request.GET or None)
    results = queries_desk.desk_search(meeting, form.cleaned_data["q"]) if form.is_valid() else []
    for invitation in results:
        _label(invitation)
    return render(
        request,
        "meetings/staff/desk.html",
        {
            "meeting": meeting,
            "form": form,
            "results": results,
            "searched": form.is_bound and form.is_valid() and bool(form.cleaned_data["q"].strip()),
            "limit": queries_desk.SEARCH_LIMIT,
            "counts": queries.attendance(meeting),
            "section": "desk",
        },
    )


@requires("meetings.manage")
def desk_member(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    invitation = get_object_or_404(queries_desk.desk_invitation_qs(meeting), pk=invitation_pk)
    form = f.DeskRegisterForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_desk.desk_register(
                invitation=invitation,
                by=request.user,
                materials=data.get("materials", []),
                details_checked=data["details_checked"],
                commitment_signed=data.get("commitment_signed", False),
            )
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                for field, errors in e.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, e.messages)
        except TransitionRefused as e:
            messages.error(request, str(e))
            return redirect("meetings:staff_desk_member", meeting.pk, invitation.pk)
        else:
            messages.success(request, _("%(name)s 报到完成。") % {"name": invitation.member.name})
            return redirect("meetings:staff_desk_member", meeting.pk, invitation.pk)
    _label(invitation)
    qr = segno.make(services.qr_token(invitation), error="m")
    return render(
        request,
        "meetings/staff/desk_member.html",
        {
            "meeting": meeting,
            "invitation": invitation,
            "member": invitation.member,
            "form": form,
            "can_register": invitation.state == "invited" and meeting.state == "published",
            "qr_svg": mark_safe(qr.svg_inline(scale=6, border=2, title=invitation.member.name)),
            "search": f.DeskSearchForm(),
            "section": "desk",
        },
        status=400 if request.method == "POST" else 200,
    )


# --------------------------------------------------------------------------- door check-in


@requires("meetings.manage")
def door(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return render(
        request,
        "meetings/staff/door.html",
        {"meeting": meeting, "form": f.DoorForm(), "counts": queries.attendance(meeting)},
    )


@require_POST
@requires("meetings.manage")
def door_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check one member in; answers the result fragment (htmx) or the door page with the result."""
    meeting = _meeting(request, pk)
    form = f.DoorForm(request.POST)
    result = {"status": "refused"}
    if not form.is_valid():
        result["message"] = " ".join(e for errors in form.errors.values() for e in errors)
    else:
        try:
            checkin = services_desk.door_check_in(meeting=meeting, entry=form.cleaned_data["entry"], by=request.user)
        except (TransitionRefused, ValidationError) as e:
            result["message"] = _errors(e)
        else:
            invitation = checkin.invitation
            result = {
                "status": "ok" if checkin.first else "again",
                "invitation": invitation,
                "member": invitation.member,
                "group": invitation.group,
                "message": checkin.message,
            }
    counts = queries.attendance(meeting)
    context = {"meeting": meeting, "result": result, "counts": counts}
    if _is_htmx(request):
        return render(request, "meetings/staff/door_result.html", context)
    context["form"] = f.DoorForm()
    return render(request, "meetings/staff/door.html", context)


# --------------------------------------------------------------------------- live attendance


def _live_context(meeting: Meeting) -> dict:
    counts = queries.attendance(meeting)
    by_group = queries.attendance_by(meeting, "group__name")
    by_sector = queries.attendance_by(meeting, "member__sector__name")
    for rows, key in ((by_group, "group__name"), (by_sector, "member__sector__name")):
        for row in rows:
            row["name"] = row[key]
            row["not_arrived"] = row["invited"] - row["on_leave"] - row["present"] - row["absent"]
    # in the committee's own order (第1组…第10组; sectors as on the roster), the ungrouped last
    group_order = {name: i for i, name in enumerate(meeting.groups.values_list("name", flat=True))}
    by_group.sort(key=lambda row: group_order.get(row["name"], len(group_order)))
    sector_order = dict(Sector.objects.for_committee(meeting.committee).values_list("name", "order"))
    by_sector.sort(key=lambda row: (sector_order.get(row["name"], 10**6), row["name"] or ""))
    return {"meeting": meeting, "counts": counts, "by_group": by_group, "by_sector": by_sector}


@requires("meetings.manage")
def live(request: HttpRequest, pk: int) -> HttpResponse:
    context = _live_context(_meeting(request, pk))
    context["section"] = "live"
    return render(request, "meetings/staff/live.html", context)


@requires("meetings.manage")
def live_counts(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "meetings/staff/live_counts.html", _live_context(_meeting(request, pk)))


# --------------------------------------------------------------------------- leave requests


@requires("meetings.manage")
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    pending, decided = queries_desk.leave_requests(meeting)
    for r in decided:
        r.state_label = LEAVE.state_label(r.state)
    return render(
        request,
        "meetings/staff/leave.html",
        {"meeting": meeting, "pending": pending, "decided": decided, "section": "leave"},
    )


@require_POST
@requires("meetings.manage")
def leave_decide(request: HttpRequest, pk: int, leave_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    leave_request = get_object_or_404(
        LeaveRequest.objects.for_committee(request.committee)
        .filter(invitation__meeting=meeting)
        .select_related("invitation__member", "invitation__meeting"),
        pk=leave_pk,
    )
    form = f.LeaveDecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择批准或不准假。"))
        return redirect("meetings:staff_leave", meeting.pk)
    approve = form.cleaned_data["decision"] == "approve"
    reason = form.cleaned_data["reason"].strip()  # refusing without a reason is refused by the workflow
    try:
        services.leave_decide(leave=leave_request, by=request.user, approve=approve, reason=reason)
    except (TransitionRefused, ValidationError) as e:
        messages.error(request, _errors(e))
    else:
        name = leave_request.invitation.member.name
        if approve:
            messages.success(request, _("已批准 %(name)s 请假。") % {"name": name})
        else:
            messages.success(request, _("已不准 %(name)s 请假,理由已通知委员。") % {"name": name})
    return redirect("meetings:staff_leave", meeting.pk)


urlpatterns = [
    path("staff/<int:pk>/desk/", desk, name="staff_desk"),
    path("staff/<int:pk>/desk/<int:invitation_pk>/", desk_member, name="staff_desk_member"),
    path("staff/<int:pk>/door/", door, name="staff_door"),
    path("staff/<int:pk>/door/check/", door_check, name="staff_door_check"),
    path("staff/<int:pk>/live/", live, name="staff_live"),
    path("staff/<int:pk>/live/counts/", live_counts, name="staff_live_counts"),
    path("staff/<int:pk>/leave/", leave, name="staff_leave"),
    path("staff/<int:pk>/leave/<int:leave_pk>/decide/", leave_decide, name="staff_leave_decide"),
]
