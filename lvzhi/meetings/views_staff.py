"""The meeting staff's desktop set-up pages (会务): the list of meetings, creating and editing a meeting with
its invited members, the meeting page (publish / close / cancel, check-in code, live counts, links to the
desk, door, live and leave pages), the agenda with documents, discussion groups, the speeches, and the
attendance list exports. meetings.view_all reads, meetings.manage writes; another committee's meeting is 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lvzhi.core import docx as core_docx
from lvzhi.core.decorators import requires
from lvzhi.core.workflow import TransitionRefused
from lvzhi.core.xlsx import XLSX_CONTENT_TYPE

from . import exports, queries, services
from . import forms_staff as f
from . import services_setup as setup
from .models import Document, Invitation, Meeting, SeatPlan, Speech
from .workflow import MEETING, SPEECH

PAST_LIMIT = 100


# --------------------------------------------------------------------------- helpers


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    """A meeting of the current committee, or 404 (another committee's meeting does not exist here)."""
    meeting = get_object_or_404(Meeting.objects.for_committee(request.committee).select_related("session"), pk=pk)
    meeting.state_label = MEETING.state_label(meeting.state)
    return meeting


def _can_manage(request: HttpRequest) -> bool:
    return request.user.has_perm("meetings.manage", request.committee)


def _messages_of(exc: Exception) -> list[str]:
    if isinstance(exc, TransitionRefused):
        return [exc.message]
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [_("您没有执行此操作的权限。")]


def _attempt(request: HttpRequest, action, success: str | None = None) -> bool:
    """Run a service call; its refusal becomes an error message and changes nothing."""
    try:
        result = action()
    except (TransitionRefused, ValidationError, PermissionDenied) as exc:
        for m in _messages_of(exc):
            messages.error(request, m)
        return False
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return True


def _form_errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --------------------------------------------------------------------------- list, create, edit


@requires("meetings.view_all")
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Upcoming and running meetings first (soonest first), then past ones (latest first), with counts."""
    now = timezone.now()
    qs = (
        queries.meetings(request.committee)
        .exclude(kind=Meeting.Kind.ACTIVITY)  # a duty activity's check-in: listed under activities
        .select_related("session")
        .annotate(
            n_invited=Count("invitations"),
            n_present=Count("invitations", filter=Q(invitations__state="present")),
            n_leave=Count("invitations", filter=Q(invitations__state="on_leave")),
            n_absent=Count("invitations", filter=Q(invitations__state="absent")),
        )
    )
    upcoming = list(qs.filter(ends_at__gte=now).exclude(state__in=["closed", "cancelled"]).order_by("starts_at", "id"))
    past = list(
        qs.filter(Q(ends_at__lt=now) | Q(state__in=["closed", "cancelled"])).order_by("-starts_at", "-id")[:PAST_LIMIT]
    )
    for m in upcoming + past:
        m.state_label = MEETING.state_label(m.state)
        m.running = m.state == "published" and m.doors_open_at <= now <= m.ends_at
    return render(
        request,
        "meetings/staff/list.html",
        {"upcoming": upcoming, "past": past, "past_limit": PAST_LIMIT, "can_manage": _can_manage(request)},
    )


@requires("meetings.manage")
def meeting_new(request: HttpRequest) -> HttpResponse:
    form = f.MeetingForm(request.POST or None, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = setup.meeting_create_invited(
                committee=request.committee, by=request.user, values=form.values(), **form.invite_args()
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except TransitionRefused as exc:
            form.add_error(None, exc.message)
        else:
            n = meeting.invitations.count()
            messages.success(request, _("已创建会议,邀请委员 %(n)s 人。发布后委员会收到会议通知。") % {"n": n})
            return redirect("meetings:staff_detail", pk=meeting.pk)
    return render(request, "meetings/staff/form.html", {"form": form, "meeting": None})


@requires("meetings.manage")
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = f.MeetingForm(request.POST or None, committee=request.committee, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, by=request.user, **form.values())
        except ValidationError as exc:
            _apply_errors(form, exc)
        except TransitionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("meetings:staff_detail", pk=meeting.pk)
    return render(request, "meetings/staff/form.html", {"form": form, "meeting": meeting})


# --------------------------------------------------------------------------- the meeting page


@requires("meetings.view_all")
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    can_manage = _can_manage(request)
    actions = [t for t in MEETING.available(meeting, request.roles)] if can_manage else []
    editable = can_manage and meeting.state in ("draft", "published")
    return render(
        request,
        "meetings/staff/detail.html",
        {
            "m": meeting,
            "counts": queries.attendance(meeting),
            "by_group": queries.attendance_by(meeting, "group__name") if meeting.groups.exists() else [],
            "agenda": list(meeting.agenda.prefetch_related("documents")),
            "loose_documents": list(meeting.documents.filter(agenda_item__isnull=True)),
            "can_manage": can_manage,
            "editable": editable,
            "actions": actions,
            "invite_form": f.InviteForm(committee=request.committee) if editable else None,
            "reason_form": f.ReasonForm(),
            "speech_counts": dict(meeting.speeches.values_list("state").annotate(n=Count("id"))),
            "seat_plan": SeatPlan.objects.filter(meeting=meeting).first(),
        },
    )


@requires("meetings.manage")
@require_POST
def meeting_action(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    if action == "publish":
        _attempt(
            request,
            lambda: services.meeting_publish(meeting=meeting, by=request.user),
            _("会议已发布,已通知 %(n)s 位受邀委员。") % {"n": meeting.invitations.count()},
        )
    elif action == "close":
        _attempt(
            request,
            lambda: services.meeting_close(meeting=meeting, by=request.user),
            lambda _e: (
                _("会议已结束,未签到且未请假的 %(n)s 位委员记为缺席。")
                % {"n": meeting.invitations.filter(state="absent").count()}
            ),
        )
    elif action == "cancel":
        _attempt(
            request, lambda: setup.meeting_cancel(meeting=meeting, by=request.user, reason=reason), _("会议已取消。")
        )
    else:
        messages.error(request, _("未知的操作。"))
    return redirect("meetings:staff_detail", pk=meeting.pk)


@requires("meetings.manage")
@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = f.InviteForm(request.POST, committee=request.committee)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        _attempt(
            request,
            lambda: setup.meeting_invite_scope(meeting=meeting, by=request.user, **form.invite_args()),
            lambda n: _("新邀请 %(n)s 位委员(已在名单中的不重复邀请)。") % {"n": n},
        )
    return redirect("meetings:staff_detail", pk=meeting.pk)


# --------------------------------------------------------------------------- agenda and documents


@requires("meetings.view_all")
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    can_manage = _can_manage(request)
    form = f.AgendaForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                setup.agenda_add(meeting=meeting, by=request.user, title=data["title"], starts_at=data["starts_at"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            except TransitionRefused as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已添加议程。"))
                return redirect("meetings:staff_agenda", pk=meeting.pk)
    return render(
        request,
        "meetings/staff/agenda.html",
        {
            "m": meeting,
            "items": list(meeting.agenda.prefetch_related("documents")),
            "loose_documents": list(meeting.documents.filter(agenda_item__isnull=True)),
            "form": form,
            "doc_form": f.DocumentForm(meeting=meeting),
            "can_manage": can_manage,
            "editable": can_manage and meeting.state in ("draft", "published"),
            "max_mb": setup.DOCUMENT_MAX_MB,
        },
    )


@requires("meetings.manage")
@require_POST
def agenda_move(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    obj = get_object_or_404(meeting.agenda.all(), pk=item)
    _attempt(request, lambda: setup.agenda_move(item=obj, by=request.user, up=request.POST.get("dir") == "up"))
    return redirect("meetings:staff_agenda", pk=meeting.pk)


@requires("meetings.manage")
@require_POST
def agenda_delete(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    obj = get_object_or_404(meeting.agenda.all(), pk=item)
    _attempt(request, lambda: setup.agenda_delete(item=obj, by=request.user), _("已删除议程。"))
    return redirect("meetings:staff_agenda", pk=meeting.pk)


@requires("meetings.manage")
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = f.DocumentForm(request.POST, request.FILES, meeting=meeting)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        data = form.cleaned_data
        _attempt(
            request,
            lambda: setup.document_add(
                meeting=meeting,
                by=request.user,
                upload=data["file"],
                name=data["name"],
                agenda_item=data["agenda_item"],
            ),
            lambda d: _("已上传「%(name)s」。") % {"name": d.name},
        )
    return redirect("meetings:staff_agenda", pk=meeting.pk)


@requires("meetings.manage")
@require_POST
def document_delete(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    document = get_object_or_404(meeting.documents.all(), pk=doc)
    _attempt(request, lambda: setup.document_delete(document=document, by=request.user), _("已删除文件。"))
    return redirect("meetings:staff_agenda", pk=meeting.pk)


@requires("core.use")
@require_GET
def document(request: HttpRequest, doc: int) -> HttpResponse:
    """Download a meeting document: staff who see all meetings, or a member invited to a published (or
    finished) meeting. Anyone else, and another committee's document, gets 404 (never a raw media URL)."""
    document = get_object_or_404(Document.objects.for_committee(request.committee).select_related("meeting"), pk=doc)
    meeting = document.meeting
    if not request.user.has_perm("meetings.view_all", request.committee):
        invited = Invitation.objects.filter(meeting=meeting, member__user=request.user).exists()
        if not invited or meeting.state not in ("published", "closed"):
            raise Http404
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    ext = document.file.name.rsplit(".", 1)[-1]
    name = document.name if document.name.lower().endswith(f".{ext}") else f"{document.name}.{ext}"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=setup.content_type(document))


# --------------------------------------------------------------------------- groups


@requires("meetings.view_all")
def groups(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    can_manage = _can_manage(request)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        _groups_post(request, meeting)
        return redirect("meetings:staff_groups", pk=meeting.pk)
    group_list = list(meeting.groups.select_related("convener"))
    members = {}
    for inv in meeting.invitations.select_related("member__sector").order_by("member__sector__order", "member__name"):
        members.setdefault(inv.group_id, []).append(inv)
    for g in group_list:
        g.members = members.get(g.pk, [])
        g.sectors = sorted({i.member.sector.name for i in g.members})
        speaker_ids, g.speakers = setup.group_speakers(g)
        if can_manage:
            g.form = f.GroupForm(group=g)
            g.minutes_form = f.MinutesForm(group=g, initial={"minutes": g.minutes, "speakers": speaker_ids})
    return render(
        request,
        "meetings/staff/groups.html",
        {
            "m": meeting,
            "groups": group_list,
            "ungrouped": members.get(None, []),
            "can_manage": can_manage,
            "editable": can_manage and meeting.state in ("draft", "published"),
            "auto_form": f.AutoGroupsForm(initial={"count": len(group_list) or 6}),
            "add_form": f.GroupAddForm(),
            "move_form": f.MoveForm(meeting=meeting) if can_manage else None,
        },
    )


def _groups_post(request: HttpRequest, meeting: Meeting) -> None:
    op = request.POST.get("op", "")
    by = request.user
    if op == "auto":
        form = f.AutoGroupsForm(request.POST)
        if not form.is_valid():
            return _form_errors(request, form)
        if meeting.state not in ("draft", "published"):
            messages.error(request, _("会议已结束或已取消,不能修改。"))
            return None
        _attempt(
            request,
            lambda: services.groups_by_sector(meeting=meeting, by=by, group_count=form.cleaned_data["count"]),
            _("已按界别分为 %(n)s 个组,同一界别的委员在同一组。") % {"n": form.cleaned_data["count"]},
        )
    elif op == "add":
        form = f.GroupAddForm(request.POST)
        if not form.is_valid():
            return _form_errors(request, form)
        _attempt(request, lambda: setup.group_add(meeting=meeting, by=by, **form.cleaned_data), _("已新增讨论组。"))
    elif op in ("update", "minutes"):
        group = get_object_or_404(meeting.groups.all(), pk=request.POST.get("group") or 0)
        if op == "update":
            form = f.GroupForm(request.POST, group=group)
            if not form.is_valid():
                return _form_errors(request, form)
            _attempt(request, lambda: setup.group_update(group=group, by=by, **form.cleaned_data), _("已保存。"))
        else:
            form = f.MinutesForm(request.POST, group=group)
            if not form.is_valid():
                return _form_errors(request, form)
            data = form.cleaned_data
            _attempt(
                request,
                lambda: setup.group_minutes_save(
                    group=group, by=by, minutes=data["minutes"], speakers=data["speakers"]
                ),
                _("已保存讨论纪要。"),
            )
    elif op == "move":
        form = f.MoveForm(request.POST, meeting=meeting)
        if not form.is_valid():
            return _form_errors(request, form)
        inv, group = form.cleaned_data["invitation"], form.cleaned_data["group"]
        _attempt(
            request,
            lambda: setup.group_move_member(invitation=inv, group=group, by=by),
            _("已将 %(name)s 调到 %(group)s。")
            % {"name": inv.member.name, "group": group.name if group else _("未分组")},
        )
    else:
        messages.error(request, _("未知的操作。"))
    return None


# --------------------------------------------------------------------------- speeches


@requires("meetings.view_all")
@require_GET
def speeches(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    items = list(meeting.speeches.select_related("member__sector", "member__party"))
    for s in items:
        s.state_label = SPEECH.state_label(s.state)
        s.actions = {t.action for t in SPEECH.available(s, request.roles)} if _can_manage(request) else set()
    return render(
        request,
        "meetings/staff/speeches.html",
        {
            "m": meeting,
            "applied": [s for s in items if s.state == "applied"],
            "selected": sorted([s for s in items if s.state == "selected"], key=lambda s: (s.order or 0, s.pk)),
            "written": [s for s in items if s.state == "written"],
            "others": [s for s in items if s.state in ("declined", "withdrawn")],
            "can_manage": _can_manage(request),
        },
    )


@requires("meetings.manage")
@require_POST
def speech_decide(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    speech = get_object_or_404(Speech.objects.filter(meeting=meeting).select_related("member"), pk=sid)
    form = f.SpeechDecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("meetings:staff_speeches", pk=meeting.pk)
    action = form.cleaned_data["action"]
    if action == "select":
        call = lambda: setup.speech_select(speech=speech, by=request.user)  # noqa: E731
    else:
        call = lambda: services.speech_decide(  # noqa: E731
            speech=speech, by=request.user, action=action, reason=form.cleaned_data["reason"]
        )
    labels = {"select": _("已安排大会发言"), "to_written": _("已列为书面发言"), "decline": _("已记为不安排发言")}
    _attempt(
        request,
        call,
        _("%(name)s「%(title)s」:%(what)s。")
        % {"name": speech.member.name, "title": speech.title, "what": labels[action]},
    )
    return redirect("meetings:staff_speeches", pk=meeting.pk)


@requires("meetings.manage")
@require_POST
def speech_move(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    speech = get_object_or_404(Speech.objects.filter(meeting=meeting), pk=sid)
    _attempt(request, lambda: setup.speech_move(speech=speech, by=request.user, up=request.POST.get("dir") == "up"))
    return redirect("meetings:staff_speeches", pk=meeting.pk)


# --------------------------------------------------------------------------- exports


def _by(request: HttpRequest) -> str:
    return exports.BY_GROUP if request.GET.get("by") == exports.BY_GROUP else exports.BY_SECTOR


@requires("meetings.view_all")
@require_GET
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    response = HttpResponse(exports.attendance_xlsx(meeting, _by(request)), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, exports.filename(meeting, "xlsx"))
    return response


@requires("meetings.view_all")
@require_GET
def export_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return core_docx.docx_response(exports.filename(meeting, "docx"), exports.attendance_docx(meeting, _by(request)))


urlpatterns = [
    path("staff/", meeting_list, name="staff_list"),
    path("staff/new/", meeting_new, name="staff_new"),
    path("staff/<int:pk>/", meeting_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", meeting_edit, name="staff_edit"),
    path("staff/<int:pk>/action/", meeting_action, name="staff_action"),
    path("staff/<int:pk>/invite/", meeting_invite, name="staff_invite"),
    path("staff/<int:pk>/agenda/", agenda, name="staff_agenda"),
    path("staff/<int:pk>/agenda/<int:item>/move/", agenda_move, name="staff_agenda_move"),
    path("staff/<int:pk>/agenda/<int:item>/delete/", agenda_delete, name="staff_agenda_delete"),
    path("staff/<int:pk>/documents/", document_add, name="staff_document_add"),
    path("staff/<int:pk>/documents/<int:doc>/delete/", document_delete, name="staff_document_delete"),
    path("documents/<int:doc>/", document, name="document"),
    path("staff/<int:pk>/groups/", groups, name="staff_groups"),
    path("staff/<int:pk>/speeches/", speeches, name="staff_speeches"),
    path("staff/<int:pk>/speeches/<int:sid>/", speech_decide, name="staff_speech_decide"),
    path("staff/<int:pk>/speeches/<int:sid>/move/", speech_move, name="staff_speech_move"),
    path("staff/<int:pk>/export/attendance.xlsx", export_xlsx, name="staff_export_xlsx"),
    path("staff/<int:pk>/export/attendance.docx", export_docx, name="staff_export_docx"),
]
