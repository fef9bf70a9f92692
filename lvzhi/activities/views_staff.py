"""The activities staff's desktop pages: the list, create / edit, the activity page (publish / close /
cancel, the sign-ups with the waiting list, the check-in links and counts of the meeting behind it, the
reports, photos and outcomes). activities.view_all reads, activities.manage writes; another committee's
activity is 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core.decorators import requires
from lvzhi.core.workflow import TransitionRefused
from lvzhi.meetings import queries as meeting_queries

from . import queries, services
from . import services_content as content
from .forms import ActivityForm, CancelForm, OutcomeForm, PhotoForm
from .models import Activity, Outcome, Photo, SignUp
from .workflow import ACTIVITY

PAST_LIMIT = 100


def _activity(request: HttpRequest, pk: int) -> Activity:
    activity = get_object_or_404(queries.activities(request.committee).select_related("meeting"), pk=pk)
    activity.state_label = ACTIVITY.state_label(activity.state)
    return activity


def _can_manage(request) -> bool:
    return request.user.has_perm("activities.manage", request.committee)


def _attempt(request, action, success: str) -> bool:
    try:
        action()
    except (TransitionRefused, ValidationError, PermissionDenied) as exc:
        if isinstance(exc, TransitionRefused):
            messages.error(request, exc.message)
        elif isinstance(exc, ValidationError):
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.error(request, str(exc) or _("您没有执行此操作的权限。"))
        return False
    messages.success(request, success)
    return True


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@requires("activities.view_all")
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    qs = queries.with_counts(queries.activities(request.committee))
    kind = request.GET.get("kind", "")
    if kind in Activity.Kind.values:
        qs = qs.filter(kind=kind)
    current = list(qs.filter(ends_at__gte=now, state__in=["draft", "published"]).order_by("starts_at", "id"))
    past = list(qs.exclude(pk__in=[a.pk for a in current]).order_by("-starts_at", "-id")[:PAST_LIMIT])
    for a in current + past:
        a.state_label = ACTIVITY.state_label(a.state)
    return render(
        request,
        "activities/staff/list.html",
        {
            "current": current,
            "past": past,
            "past_limit": PAST_LIMIT,
            "can_manage": _can_manage(request),
            "kinds": Activity.Kind.choices,
            "kind": kind,
        },
    )


@requires("activities.manage")
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(committee=request.committee, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("活动已创建(草稿),核对后请发布。"))
            return redirect("activities:staff_detail", pk=activity.pk)
    return render(request, "activities/staff/form.html", {"form": form}, status=400 if form.errors else 200)


@requires("activities.manage")
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    form = ActivityForm(request.POST or None, committee=request.committee, initial=ActivityForm.initial_of(activity))
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except TransitionRefused as exc:
            messages.error(request, exc.message)
            return redirect("activities:staff_detail", pk=pk)
        else:
            messages.success(request, _("已保存。"))
            return redirect("activities:staff_detail", pk=pk)
    return render(
        request,
        "activities/staff/form.html",
        {"form": form, "activity": activity},
        status=400 if form.errors else 200,
    )


@requires("activities.view_all")
@require_GET
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    confirmed, waiting, cancelled = queries.signups(activity)
    attendance = {}
    if activity.meeting_id:
        states = dict(activity.meeting.invitations.values_list("member_id", "state"))
        for s in confirmed:
            s.attendance = states.get(s.member_id, "")
        attendance = meeting_queries.attendance(activity.meeting)
    return render(
        request,
        "activities/staff/detail.html",
        {
            "activity": activity,
            "confirmed": confirmed,
            "waiting": waiting,
            "cancelled": cancelled,
            "attendance": attendance,
            "can_manage": _can_manage(request),
            "can_door": request.user.has_perm("meetings.manage", request.committee),
            "actions": ACTIVITY.available(activity, request.roles) if _can_manage(request) else [],
            "reports": list(activity.reports.select_related("lead").prefetch_related("authors", "files")),
            "photos": list(activity.photos.select_related("member")),
            "outcomes": list(activity.outcomes.all()),
            "outcome_form": OutcomeForm(),
            "photo_form": PhotoForm(),
            "cancel_form": CancelForm(),
            "seats_left": None if activity.capacity is None else max(0, activity.capacity - len(confirmed)),
        },
    )


@requires("activities.manage")
@require_POST
def staff_action(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    action = request.POST.get("action", "")
    if action == "publish":
        _attempt(
            request,
            lambda: services.activity_publish(activity=activity, by=request.user),
            _("活动已发布,委员可以报名。"),
        )
    elif action == "close":
        _attempt(
            request,
            lambda: services.activity_close(activity=activity, by=request.user),
            _("活动已结束,未签到者记为缺席。"),
        )
    elif action == "cancel":
        reason = request.POST.get("reason", "").strip()
        _attempt(
            request,
            lambda: services.activity_cancel(activity=activity, by=request.user, reason=reason),
            _("活动已取消,已报名的委员已收到通知。"),
        )
    else:
        messages.error(request, _("未知的操作。"))
    return redirect("activities:staff_detail", pk=pk)


@requires("activities.manage")
@require_POST
def staff_signup_cancel(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    activity = _activity(request, pk)
    signup = get_object_or_404(SignUp.objects.filter(activity=activity), pk=sid)
    _attempt(request, lambda: services.sign_up_cancel(signup=signup, by=request.user), _("已取消该委员的报名。"))
    return redirect("activities:staff_detail", pk=pk)


@requires("activities.manage")
@require_POST
def staff_outcome_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    else:
        _attempt(
            request,
            lambda: content.outcome_add(
                activity=activity, by=request.user, upload=request.FILES.get("file"), **form.cleaned_data
            ),
            _("成果已添加。"),
        )
    return redirect("activities:staff_detail", pk=pk)


@requires("activities.manage")
@require_POST
def staff_outcome_delete(request: HttpRequest, pk: int, oid: int) -> HttpResponse:
    activity = _activity(request, pk)
    outcome = get_object_or_404(Outcome.objects.filter(activity=activity), pk=oid)
    _attempt(request, lambda: content.outcome_delete(outcome=outcome, by=request.user), _("成果已删除。"))
    return redirect("activities:staff_detail", pk=pk)


@requires("activities.manage")
@require_POST
def staff_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("请选择要上传的照片。"))
    else:
        caption = request.POST.get("caption", "")
        _attempt(
            request,
            lambda: content.photo_add(activity=activity, by=request.user, upload=upload, caption=caption),
            _("照片已上传。"),
        )
    return redirect("activities:staff_detail", pk=pk)


@requires("activities.manage")
@require_POST
def staff_photo_delete(request: HttpRequest, pk: int, photo: int) -> HttpResponse:
    activity = _activity(request, pk)
    obj = get_object_or_404(Photo.objects.filter(activity=activity), pk=photo)
    _attempt(request, lambda: content.photo_delete(photo=obj, by=request.user), _("照片已删除。"))
    return redirect("activities:staff_detail", pk=pk)


urlpatterns = [
    path("staff/", staff_list, name="staff_list"),
    path("staff/new/", staff_new, name="staff_new"),
    path("staff/<int:pk>/", staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", staff_edit, name="staff_edit"),
    path("staff/<int:pk>/action/", staff_action, name="staff_action"),
    path("staff/<int:pk>/signups/<int:sid>/cancel/", staff_signup_cancel, name="staff_signup_cancel"),
    path("staff/<int:pk>/outcomes/", staff_outcome_add, name="staff_outcome_add"),
    path("staff/<int:pk>/outcomes/<int:oid>/delete/", staff_outcome_delete, name="staff_outcome_delete"),
    path("staff/<int:pk>/photos/", staff_photo_add, name="staff_photo_add"),
    path("staff/<int:pk>/photos/<int:photo>/delete/", staff_photo_delete, name="staff_photo_delete"),
]
