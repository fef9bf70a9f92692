"""The member's activity pages (phone first): open activities and mine with the sign-up state and the
waiting-list position; one activity with sign-up / cancel, the check-in QR code and six-digit self check-in
(the meetings' check-in behind the activity), the report and photos afterwards.

A member sees published, finished or cancelled activities within their scope or that they signed up to; a
draft, another scope's or another committee's activity is 404. Writes go through the services; a refusal
becomes a plain message on the page and changes nothing."""

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core.decorators import requires
from lvzhi.core.workflow import TransitionRefused
from lvzhi.meetings import services as meetings
from lvzhi.meetings.views_member import qr_svg
from lvzhi.meetings.workflow import ATTENDANCE
from lvzhi.org.models import Member

from . import queries, services
from . import services_content as content
from .forms import CheckinCodeForm, PhotoForm, ReportForm
from .models import Activity, ActivityReport, Book, Outcome, Photo, ReportFile, SignUp
from .workflow import ACTIVITY, SIGNUP

SIGNUP_PILL = {"confirmed": "ok", "waitlisted": "warn", "cancelled": "bad"}


def _me(request) -> Member | None:
    return (
        Member.objects.for_committee(request.committee)
        .filter(user=request.user, state=Member.State.ACTIVE)
        .select_related("sector")
        .first()
    )


def _errors(exc: Exception) -> list[str]:
    if isinstance(exc, TransitionRefused):
        return [exc.message]
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc) if str(exc) else _("您没有权限执行此操作。")]


def _say(request, exc: Exception) -> None:
    for m in _errors(exc):
        messages.error(request, m)


def _get(request, pk: int) -> tuple[Activity, Member]:
    me = _me(request)
    if me is None:
        raise Http404
    activity = get_object_or_404(queries.visible_to_member(request.committee, me), pk=pk)
    return activity, me


def _decorate(activity: Activity, signup: SignUp | None) -> None:
    activity.state_label = ACTIVITY.state_label(activity.state)
    activity.my = signup if signup is not None and signup.state != "cancelled" else None
    if activity.my is not None:
        activity.my_label = SIGNUP.state_label(signup.state)
        activity.my_pill = SIGNUP_PILL.get(signup.state, "")


@requires("activities.join")
@require_GET
def member_home(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    context = {"tab": "duties", "no_profile": me is None}
    if me is not None:
        mine = queries.my_signups(me)
        open_ = list(queries.with_counts(queries.open_for(request.committee, me)).order_by("starts_at", "id"))
        joined_ids = [pk for pk, s in mine.items() if s.state != "cancelled"]
        joined = list(
            queries.with_counts(queries.activities(request.committee).filter(pk__in=joined_ids)).order_by(
                "-starts_at", "-id"
            )
        )
        for a in open_ + joined:
            _decorate(a, mine.get(a.pk))
        now = timezone.now()
        context.update(
            {
                "open": [a for a in open_ if a.my is None],
                "upcoming": [a for a in joined if a.ends_at >= now and a.state == "published"],
                "past": [a for a in joined if not (a.ends_at >= now and a.state == "published")],
            }
        )
    return render(request, "activities/member/home.html", context)


def _detail_context(request, activity: Activity, me: Member) -> dict:
    mine = SignUp.objects.filter(activity=activity, member=me).order_by("-id").first()
    _decorate(activity, mine)
    if activity.my is not None and activity.my.state == "waitlisted":
        activity.my.position = services.waitlist_position(activity.my)
    now = timezone.now()
    confirmed = activity.my is not None and activity.my.state == "confirmed"
    invitation = services.invitation_of(activity, me) if confirmed else None
    live = activity.state == "published" and activity.meeting_id is not None and now <= activity.ends_at
    token = ""
    if invitation is not None and live and invitation.state in ("invited", "registered"):
        token = meetings.qr_token(invitation)
    started = now >= activity.starts_at and activity.state in ("published", "closed")
    counts = SignUp.objects.filter(activity=activity, state="confirmed").count()
    reports = list(activity.reports.filter(authors=me).select_related("lead").prefetch_related("authors", "files"))
    return {
        "tab": "duties",
        "activity": activity,
        "me": me,
        "signup_refusal": services.refusal(activity, me) if activity.my is None else None,
        "can_cancel": activity.my is not None
        and activity.state == "published"
        and (activity.my.state == "waitlisted" or now < activity.starts_at)
        and not (invitation is not None and invitation.state == "present"),
        "n_confirmed": counts,
        "seats_left": None if activity.capacity is None else max(0, activity.capacity - counts),
        "invitation": invitation,
        "attendance_label": ATTENDANCE.state_label(invitation.state) if invitation else "",
        "token": token,
        "svg": mark_safe(qr_svg(token)) if token else "",  # noqa: S308 (segno output, no user input in markup)
        "can_self_checkin": bool(token) and activity.self_checkin and now >= activity.meeting.doors_open_at,
        "checkin_opens": activity.meeting.doors_open_at if activity.meeting_id else None,
        "code_form": CheckinCodeForm(),
        "can_contribute": started and confirmed,
        "reports": reports,
        "has_report": ActivityReport.objects.filter(activity=activity, lead=me).exists(),
        "photos": list(activity.photos.select_related("member")),
        "outcomes": list(activity.outcomes.all()) if activity.state == "closed" else [],
        "photo_form": PhotoForm(),
    }


@requires("activities.join")
@require_GET
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity, me = _get(request, pk)
    return render(request, "activities/member/detail.html", _detail_context(request, activity, me))


@requires("activities.join")
@require_POST
def member_signup(request: HttpRequest, pk: int) -> HttpResponse:
    activity, me = _get(request, pk)
    try:
        signup = services.sign_up(activity=activity, member=me, by=request.user)
    except (TransitionRefused, ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    else:
        if signup.state == "confirmed":
            messages.success(request, _("报名成功。"))
        else:
            messages.warning(
                request,
                _("名额已满,您已进入候补名单(第 %(n)s 位)。有人取消时将按顺序递补并通知您。")
                % {"n": services.waitlist_position(signup)},
            )
    return redirect("activities:member_detail", pk=pk)


@requires("activities.join")
@require_POST
def member_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity, me = _get(request, pk)
    signup = SignUp.objects.filter(activity=activity, member=me, state__in=services.LIVE).first()
    if signup is None:
        messages.error(request, _("您没有报名本活动。"))
        return redirect("activities:member_detail", pk=pk)
    try:
        services.sign_up_cancel(signup=signup, by=request.user)
    except (TransitionRefused, ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    else:
        messages.success(request, _("已取消报名。"))
    return redirect("activities:member_detail", pk=pk)


@requires("activities.join")
@require_POST
def member_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    activity, me = _get(request, pk)
    form = CheckinCodeForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("code", []):
            messages.error(request, message)
        return redirect("activities:member_detail", pk=pk)
    try:
        result = services.self_check_in(activity=activity, member=me, code=form.cleaned_data["code"], by=request.user)
    except (TransitionRefused, ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    else:
        (messages.success if result.first else messages.info)(request, result.message)
    return redirect("activities:member_detail", pk=pk)


@requires("activities.join")
@require_http_methods(["GET", "POST"])
def member_report(request: HttpRequest, pk: int) -> HttpResponse:
    activity, me = _get(request, pk)
    participants = (
        Member.objects.filter(activity_signups__activity=activity, activity_signups__state="confirmed")
        .exclude(pk=me.pk)
        .distinct()
    )
    form = ReportForm(request.POST or None, participants=participants)
    if request.method == "POST" and form.is_valid():
        try:
            content.report_submit(
                activity=activity,
                member=me,
                by=request.user,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                coauthors=list(form.cleaned_data["coauthors"]),
                files=request.FILES.getlist("files"),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        except (TransitionRefused, PermissionDenied) as exc:
            _say(request, exc)
            return redirect("activities:member_detail", pk=pk)
        else:
            messages.success(request, _("活动报告已提交。"))
            return redirect("activities:member_detail", pk=pk)
    context = {"tab": "duties", "activity": activity, "form": form}
    return render(request, "activities/member/report.html", context, status=400 if form.errors else 200)


@requires("activities.join")
@require_POST
def member_photo(request: HttpRequest, pk: int) -> HttpResponse:
    activity, me = _get(request, pk)
    form = PhotoForm(request.POST)
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("请选择要上传的照片。"))
    elif form.is_valid():
        try:
            content.photo_add(
                activity=activity, by=request.user, upload=upload, caption=form.cleaned_data["caption"], member=me
            )
        except (TransitionRefused, ValidationError, PermissionDenied) as exc:
            _say(request, exc)
        else:
            messages.success(request, _("照片已上传。"))
    return redirect("activities:member_detail", pk=pk)


# --------------------------------------------------------------------------- files (photos, attachments)


def _can_see(request, activity: Activity) -> bool:
    if request.user.has_perm("activities.view_all", request.committee):
        return True
    me = _me(request)
    return me is not None and queries.visible_to_member(request.committee, me).filter(pk=activity.pk).exists()


@requires("core.use")
@require_GET
def file(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A photo, a report attachment or an outcome file, for whoever may see the activity."""
    model = {"photo": Photo, "report": ReportFile, "outcome": Outcome, "cover": Book}.get(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(model.objects.for_committee(request.committee), pk=pk)
    stored = obj.cover if kind == "cover" else obj.file
    if kind != "cover":
        activity = obj.report.activity if kind == "report" else obj.activity
        if not _can_see(request, activity):
            raise Http404
    if not stored:
        raise Http404
    image = kind in ("photo", "cover")
    name = getattr(obj, "name", "") or f"{kind}-{obj.pk}"
    ext = os.path.splitext(stored.name)[1].lower()
    response = FileResponse(stored.open("rb"), content_type=content.content_type(stored.name), as_attachment=not image)
    if not image:
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name + ext)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


urlpatterns = [
    path("", member_home, name="member_home"),
    path("<int:pk>/", member_detail, name="member_detail"),
    path("<int:pk>/signup/", member_signup, name="member_signup"),
    path("<int:pk>/cancel/", member_cancel, name="member_cancel"),
    path("<int:pk>/checkin/", member_checkin, name="member_checkin"),
    path("<int:pk>/report/", member_report, name="member_report"),
    path("<int:pk>/photos/", member_photo, name="member_photo"),
    path("files/<str:kind>/<int:pk>/", file, name="file"),
]
