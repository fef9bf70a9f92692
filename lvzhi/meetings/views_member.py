"""The member's meeting pages (phone first): my meetings, one meeting with its agenda, documents, my group,
room and seat (documents download through views_staff.document, which checks the invitation);
registration (报到), my check-in QR code, self check-in with the hall's code, leave and
speech applications.

Every page starts from queries.my_meetings for the member's own profile in the current committee: a
meeting the member is not invited to, a draft, or another committee's meeting is 404. Every write goes
through lvzhi.meetings.services; its refusals become plain messages on the page."""

import datetime as dt

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core.decorators import requires
from lvzhi.core.workflow import TransitionRefused
from lvzhi.org.models import Member

from . import services
from .forms_member import CheckinCodeForm, LeaveForm, RegistrationForm, SpeechForm
from .models import Invitation, Meeting
from .queries import my_meetings
from .workflow import ATTENDANCE, LEAVE, SPEECH

OPEN_STATES = ("invited", "registered")  # attendance states in which the member can still act
STATE_PILL = {"registered": "ok", "present": "ok", "on_leave": "warn", "absent": "bad"}


# --------------------------------------------------------------------------- helpers


def _me(request) -> Member | None:
    return Member.objects.for_committee(request.committee).filter(user=request.user).first()


def _get(request, pk: int) -> tuple[Meeting, Invitation]:
    """The meeting (one of mine, in this committee) and my invitation to it; otherwise 404."""
    me = _me(request)
    if me is None:
        raise Http404
    meeting = get_object_or_404(my_meetings(request.committee, me), pk=pk)
    invitation = get_object_or_404(
        Invitation.objects.select_related("member__sector", "member__party", "group__convener", "meeting"),
        meeting=meeting,
        member=me,
    )
    return meeting, invitation


def _errors(exc: Exception) -> list[str]:
    if isinstance(exc, TransitionRefused):
        return [exc.message]
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [_("您没有权限执行此操作。")]


def _refusal_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _actions(meeting: Meeting, invitation: Invitation) -> dict:
    """Which actions the page offers now (the services check the same again)."""
    now = timezone.now()
    live = meeting.state == "published" and now <= meeting.ends_at
    open_ = live and invitation.state in OPEN_STATES
    pending_leave = invitation.leave_requests.filter(state="pending").exists()
    return {
        "live": live,
        "can_register": open_ and meeting.registration_required and invitation.state == "invited",
        "can_check_in": open_ and meeting.self_checkin,
        "doors_open": now >= meeting.doors_open_at,
        "can_leave": open_ and not pending_leave,
        "pending_leave": pending_leave,
        "can_speak": live and invitation.state != "absent",
        "show_qr": live and invitation.state != "on_leave",
    }


def _state_text(invitation: Invitation) -> str:
    return ATTENDANCE.state_label(invitation.state)


# --------------------------------------------------------------------------- pages


@requires("meetings.attend")
@require_GET
def member_home(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    upcoming, past = [], []
    if me is not None:
        # a duty activity's check-in is on the activity's own page (lvzhi/activities)
        meetings = list(my_meetings(request.committee, me).exclude(kind=Meeting.Kind.ACTIVITY))
        invitations = {
            i.meeting_id: i
            for i in Invitation.objects.filter(member=me, meeting__in=[m.pk for m in meetings]).select_related("group")
        }
        now = timezone.now()
        for m in meetings:
            inv = invitations.get(m.pk)
            if inv is None:
                continue
            m.my = inv
            m.my_state = _state_text(inv)
            m.my_pill = STATE_PILL.get(inv.state, "")
            (upcoming if m.state == "published" and m.ends_at >= now else past).append(m)
        past.reverse()  # the most recent first
    context = {"tab": "meetings", "upcoming": upcoming, "past": past, "no_profile": me is None}
    return render(request, "meetings/member/home.html", context)


@requires("meetings.attend")
@require_GET
def member_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, invitation = _get(request, pk)
    agenda = list(meeting.agenda.prefetch_related("documents"))
    loose_documents = list(meeting.documents.filter(agenda_item__isnull=True))
    leaves = list(invitation.leave_requests.all())
    for leave in leaves:
        leave.state_text = LEAVE.state_label(leave.state)
    speeches = list(meeting.speeches.filter(member=invitation.member))
    for speech in speeches:
        speech.state_text = SPEECH.state_label(speech.state)
    context = {
        "tab": "meetings",
        "meeting": meeting,
        "inv": invitation,
        "state_text": _state_text(invitation),
        "state_pill": STATE_PILL.get(invitation.state, ""),
        "agenda": agenda,
        "loose_documents": loose_documents,
        "leaves": leaves,
        "speeches": speeches,
        "code_form": CheckinCodeForm(),
        **_actions(meeting, invitation),
    }
    return render(request, "meetings/member/meeting.html", context)


@requires("meetings.attend")
@require_http_methods(["GET", "POST"])
def member_register(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, invitation = _get(request, pk)
    actions = _actions(meeting, invitation)
    form = RegistrationForm(request.POST or None, meeting=meeting)
    if request.method == "POST":
        if not actions["can_register"]:
            messages.error(request, _("当前不能报到。"))
            return redirect("meetings:member_meeting", pk=pk)
        if form.is_valid():
            try:
                services.registration_complete(
                    invitation=invitation,
                    by=request.user,
                    materials=form.cleaned_data["materials"],
                    signed_name=form.cleaned_data.get("signed_name", ""),
                )
            except ValidationError as exc:
                _refusal_to_form(form, exc)
            except (TransitionRefused, PermissionDenied) as exc:
                for message in _errors(exc):
                    messages.error(request, message)
                return redirect("meetings:member_meeting", pk=pk)
            else:
                messages.success(request, _("报到成功。请在会议当天出示签到码签到。"))
                return redirect("meetings:member_meeting", pk=pk)
    context = {
        "tab": "meetings",
        "meeting": meeting,
        "inv": invitation,
        "member": invitation.member,
        "form": form,
        **actions,
    }
    return render(request, "meetings/member/register.html", context, status=400 if form.errors else 200)


def qr_svg(token: str) -> str:
    """The QR code of a check-in token as inline SVG (black on white, sized by CSS)."""
    return segno.make(token, error="m").svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr-svg"
    )


@requires("meetings.attend")
@require_GET
def member_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """My check-in code: the QR code is drawn in the page itself, so once loaded it shows without network."""
    meeting, invitation = _get(request, pk)
    actions = _actions(meeting, invitation)
    token = services.qr_token(invitation) if actions["show_qr"] else ""
    context = {
        "tab": "meetings",
        "meeting": meeting,
        "inv": invitation,
        "state_text": _state_text(invitation),
        "token": token,
        "svg": mark_safe(qr_svg(token)) if token else "",  # noqa: S308 (segno output, no user input in markup)
        **actions,
    }
    response = render(request, "meetings/member/qr.html", context)
    if token:
        # Let the phone keep the page (and its code) until the meeting ends, for halls without network.
        seconds = int((meeting.ends_at - timezone.now()).total_seconds())
        patch_cache_control(
            response, private=True, max_age=max(0, min(seconds, int(dt.timedelta(days=3).total_seconds())))
        )
    return response


@requires("meetings.attend")
@require_POST
def member_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, invitation = _get(request, pk)
    form = CheckinCodeForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("code", []):
            messages.error(request, message)
        return redirect("meetings:member_meeting", pk=pk)
    try:
        result = services.check_in_by_code(
            meeting=meeting, member=invitation.member, code=form.cleaned_data["code"].strip(), by=request.user
        )
    except (TransitionRefused, ValidationError, PermissionDenied) as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        (messages.success if result.first else messages.info)(request, result.message)
    return redirect("meetings:member_meeting", pk=pk)


@requires("meetings.attend")
@require_http_methods(["GET", "POST"])
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, invitation = _get(request, pk)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.leave_request(invitation=invitation, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _refusal_to_form(form, exc)
        except (TransitionRefused, PermissionDenied) as exc:
            for message in _errors(exc):
                messages.error(request, message)
            return redirect("meetings:member_leave", pk=pk)
        else:
            messages.success(request, _("请假已提交,请等待会务组审批。"))
            return redirect("meetings:member_meeting", pk=pk)
    leaves = list(invitation.leave_requests.all())
    for leave in leaves:
        leave.state_text = LEAVE.state_label(leave.state)
    context = {
        "tab": "meetings",
        "meeting": meeting,
        "inv": invitation,
        "state_text": _state_text(invitation),
        "form": form,
        "leaves": leaves,
        **_actions(meeting, invitation),
    }
    return render(request, "meetings/member/leave.html", context, status=400 if form.errors else 200)


@requires("meetings.attend")
@require_http_methods(["GET", "POST"])
def member_speech(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, invitation = _get(request, pk)
    actions = _actions(meeting, invitation)
    form = SpeechForm(request.POST or None)
    if request.method == "POST":
        if not actions["can_speak"]:
            messages.error(request, _("会议已结束,不能再申请发言。"))
            return redirect("meetings:member_meeting", pk=pk)
        if form.is_valid():
            try:
                services.speech_apply(
                    meeting=meeting,
                    member=invitation.member,
                    by=request.user,
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as exc:
                _refusal_to_form(form, exc)
            except (TransitionRefused, PermissionDenied) as exc:
                for message in _errors(exc):
                    messages.error(request, message)
                return redirect("meetings:member_meeting", pk=pk)
            else:
                messages.success(request, _("发言申请已提交。"))
                return redirect("meetings:member_speech", pk=pk)
    speeches = list(meeting.speeches.filter(member=invitation.member))
    for speech in speeches:
        speech.state_text = SPEECH.state_label(speech.state)
    context = {"tab": "meetings", "meeting": meeting, "inv": invitation, "form": form, "speeches": speeches, **actions}
    return render(request, "meetings/member/speech.html", context, status=400 if form.errors else 200)


@requires("meetings.attend")
@require_POST
def member_leave_withdraw(request: HttpRequest, pk: int, lid: int) -> HttpResponse:
    """Withdraw my own leave request while it waits for a decision (the page asks to confirm first)."""
    meeting, invitation = _get(request, pk)
    leave = get_object_or_404(invitation.leave_requests.all(), pk=lid)  # another member's request: 404
    leave.invitation = invitation
    try:
        services.leave_withdraw(leave=leave, by=request.user)
    except (TransitionRefused, ValidationError, PermissionDenied) as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("已撤回请假。如仍需请假,可重新提交。"))
    back = "meetings:member_leave" if request.POST.get("next") == "leave" else "meetings:member_meeting"
    return redirect(back, pk=pk)


@requires("meetings.attend")
@require_POST
def member_speech_withdraw(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    """Withdraw my own speech application while it is applied or selected (the page asks to confirm first)."""
    meeting, invitation = _get(request, pk)
    speech = get_object_or_404(meeting.speeches.filter(member=invitation.member), pk=sid)  # another's: 404
    speech.member = invitation.member
    try:
        services.speech_withdraw(speech=speech, by=request.user)
    except (TransitionRefused, ValidationError, PermissionDenied) as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("已撤回发言申请「%(title)s」。") % {"title": speech.title})
    back = "meetings:member_speech" if request.POST.get("next") == "speech" else "meetings:member_meeting"
    return redirect(back, pk=pk)


urlpatterns = [
    path("", member_home, name="member_home"),
    path("<int:pk>/", member_meeting, name="member_meeting"),
    path("<int:pk>/register/", member_register, name="member_register"),
    path("<int:pk>/qr/", member_qr, name="member_qr"),
    path("<int:pk>/checkin/", member_checkin, name="member_checkin"),
    path("<int:pk>/leave/", member_leave, name="member_leave"),
    path("<int:pk>/speech/", member_speech, name="member_speech"),
    path("<int:pk>/leave/<int:lid>/withdraw/", member_leave_withdraw, name="member_leave_withdraw"),
    path("<int:pk>/speech/<int:sid>/withdraw/", member_speech_withdraw, name="member_speech_withdraw"),
]
