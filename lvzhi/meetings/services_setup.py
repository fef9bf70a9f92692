"""The meeting staff's set-up writes that the backbone (services.py) does not cover: creating a meeting
together with its invited members, cancelling, the agenda and its documents, discussion groups by hand
(convener, room, moving a member, minutes with who spoke) and the order of the plenary speakers.

Every write is atomic and records an event; state changes go through the workflow engine. A document is
checked before anything is stored: PDF or Word only, by extension AND by its first bytes, and its size."""

import os
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import events, uploads
from lvzhi.core.workflow import TransitionRefused, apply
from lvzhi.org.models import Member

from . import services
from .models import AgendaItem, Document, Group, Invitation, Meeting, Speech
from .workflow import MEETING

events.ACTION_LABELS.update(
    {
        "meeting.agenda_added": gettext_lazy("添加议程"),
        "meeting.agenda_moved": gettext_lazy("调整议程顺序"),
        "meeting.agenda_deleted": gettext_lazy("删除议程"),
        "meeting.document_added": gettext_lazy("上传会议文件"),
        "meeting.document_deleted": gettext_lazy("删除会议文件"),
        "meeting.group_updated": gettext_lazy("修改讨论组"),
        "meeting.group_added": gettext_lazy("新增讨论组"),
        "meeting.group_member_moved": gettext_lazy("调整分组"),
        "meeting.group_minutes": gettext_lazy("记录讨论纪要"),
        "meeting.speech_reordered": gettext_lazy("调整发言顺序"),
    }
)

# --------------------------------------------------------------------------- invited set

SCOPE_ALL, SCOPE_STANDING, SCOPE_SECTOR, SCOPE_LIST = "all", "standing", "sector", "list"


def invitees(committee, *, scope: str, sector=None, members=None):
    """The active members a scope names: the whole committee, the standing committee, a sector or a list."""
    qs = Member.objects.for_committee(committee).filter(state=Member.State.ACTIVE)
    if scope == SCOPE_ALL:
        return qs
    if scope == SCOPE_STANDING:
        return qs.filter(is_standing=True)
    if scope == SCOPE_SECTOR:
        if sector is None or sector.committee_id != committee.pk:
            raise ValidationError({"sector": _("请选择界别。")})
        return qs.filter(sector=sector)
    if scope == SCOPE_LIST:
        ids = [m.pk for m in (members or [])]
        if not ids:
            raise ValidationError({"members": _("请选择要邀请的委员。")})
        return qs.filter(pk__in=ids)
    raise ValidationError({"scope": _("请选择邀请范围。")})


@transaction.atomic
def meeting_create_invited(*, committee, by, values: dict, scope: str, sector=None, members=None) -> Meeting:
    """Create the meeting and invite the members of `scope` in one step: a refusal creates nothing."""
    chosen = list(invitees(committee, scope=scope, sector=sector, members=members).select_related("user"))
    meeting = services.meeting_create(committee=committee, by=by, **values)
    services.meeting_invite(meeting=meeting, by=by, members=chosen)
    return meeting


def meeting_cancel(*, meeting: Meeting, by, reason: str):
    return apply(MEETING, meeting, "cancel", by=by, reason=reason)


def _editable(meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.state in ("closed", "cancelled"):
        raise TransitionRefused(_("会议已结束或已取消,不能修改。"))
    return locked


# --------------------------------------------------------------------------- agenda


@transaction.atomic
def agenda_add(*, meeting: Meeting, by, title: str, starts_at=None) -> AgendaItem:
    meeting = _editable(meeting)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写议程。")})
    if starts_at is not None and not (meeting.doors_open_at <= starts_at <= meeting.ends_at):
        raise ValidationError({"starts_at": _("议程时间须在会议时间之内。")})
    last = meeting.agenda.aggregate(m=Max("order"))["m"] or 0
    item = AgendaItem.objects.create(
        committee=meeting.committee, meeting=meeting, order=last + 1, title=title, starts_at=starts_at
    )
    events.record(subject=meeting, action="meeting.agenda_added", actor=by, data={"item": item.pk, "title": title})
    return item


@transaction.atomic
def agenda_move(*, item: AgendaItem, by, up: bool) -> None:
    """Swap the item with its neighbour above (up) or below; the order is renumbered 1..n."""
    meeting = _editable(item.meeting)
    items = list(meeting.agenda.select_for_update().order_by("order", "id"))
    index = next((i for i, x in enumerate(items) if x.pk == item.pk), None)
    if index is None:
        return
    other = index - 1 if up else index + 1
    if other < 0 or other >= len(items):
        return
    items[index], items[other] = items[other], items[index]
    for n, x in enumerate(items, start=1):
        x.order = n
    AgendaItem.objects.bulk_update(items, ["order"])
    events.record(subject=meeting, action="meeting.agenda_moved", actor=by, data={"order": [x.pk for x in items]})


@transaction.atomic
def agenda_delete(*, item: AgendaItem, by) -> None:
    meeting = _editable(item.meeting)
    title = item.title
    item.documents.update(agenda_item=None)  # the documents stay with the meeting
    item.delete()
    events.record(subject=meeting, action="meeting.agenda_deleted", actor=by, data={"title": title})


# --------------------------------------------------------------------------- documents

DOCUMENT_MAX_MB = 20
DOCUMENT_TYPES = (".pdf", ".doc", ".docx")


def document_check(upload) -> str:
    """Refuse anything but a real PDF or Word file within the size limit; return its extension."""
    _name, ext = uploads.check(upload, allowed=DOCUMENT_TYPES, max_mb=DOCUMENT_MAX_MB)
    return ext


def content_type(document: Document) -> str:
    return uploads.content_type(document.file.name)


def document_add(*, meeting: Meeting, by, upload, name: str = "", agenda_item: AgendaItem | None = None) -> Document:
    ext = document_check(upload)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("所选议程不属于本次会议。")})
    label = (name or "").strip() or os.path.splitext(uploads.clean_name(upload.name))[0]
    document = Document(
        committee=meeting.committee, meeting=meeting, agenda_item=agenda_item, name=label[:200], size=upload.size
    )
    try:
        with transaction.atomic():
            _editable(meeting)
            # the stored name is random: an uploaded file's name never decides a path on the server
            document.file.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)
            document.save()
            events.record(
                subject=meeting,
                action="meeting.document_added",
                actor=by,
                data={"document": document.pk, "name": label},
            )
    except Exception:
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def document_delete(*, document: Document, by) -> None:
    meeting = _editable(document.meeting)
    storage, path, name = document.file.storage, document.file.name, document.name
    document.delete()
    events.record(subject=meeting, action="meeting.document_deleted", actor=by, data={"name": name})
    transaction.on_commit(lambda: storage.delete(path))


# --------------------------------------------------------------------------- groups


def _member_of_group(group: Group, member: Member | None) -> None:
    if member is not None and not group.invitations.filter(member=member).exists():
        raise ValidationError({"convener": _("召集人须是本组的委员。")})


@transaction.atomic
def group_add(*, meeting: Meeting, by, name: str, room: str = "") -> Group:
    meeting = _editable(meeting)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写组名。")})
    last = meeting.groups.aggregate(m=Max("order"))["m"] or 0
    group = Group.objects.create(
        committee=meeting.committee, meeting=meeting, name=name, room=room.strip(), order=last + 1
    )
    events.record(subject=meeting, action="meeting.group_added", actor=by, data={"group": group.pk, "name": name})
    return group


@transaction.atomic
def group_update(*, group: Group, by, name: str, room: str, convener: Member | None) -> Group:
    _editable(group.meeting)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写组名。")})
    _member_of_group(group, convener)
    group.name, group.room, group.convener = name, (room or "").strip(), convener
    group.save(update_fields=["name", "room", "convener"])
    events.record(
        subject=group.meeting,
        action="meeting.group_updated",
        actor=by,
        data={"group": group.pk, "name": name, "room": group.room, "convener": convener.pk if convener else None},
    )
    return group


@transaction.atomic
def group_move_member(*, invitation: Invitation, group: Group | None, by) -> None:
    """Move one invited member to another group (or out of every group)."""
    _editable(invitation.meeting)
    if group is not None and group.meeting_id != invitation.meeting_id:
        raise ValidationError({"group": _("所选讨论组不属于本次会议。")})
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    before = locked.group_id
    if before == (group.pk if group else None):
        return
    locked.group = group
    locked.save(update_fields=["group"])
    if before:
        Group.objects.filter(pk=before, convener=locked.member).update(convener=None)
    events.record(
        subject=invitation.meeting,
        action="meeting.group_member_moved",
        actor=by,
        data={
            "member": locked.member_id,
            "name": locked.member.name,
            "from": before,
            "to": group.pk if group else None,
        },
    )


@transaction.atomic
def group_minutes_save(*, group: Group, by, minutes: str, speakers) -> Group:
    """The group's discussion minutes and who spoke (members of the group), recorded as an event whose data
    lists the speakers; `queries_setup.group_speakers` reads the latest."""
    speakers = list(speakers)
    ids = set(group.invitations.values_list("member_id", flat=True))
    strangers = [m.name for m in speakers if m.pk not in ids]
    if strangers:
        raise ValidationError({"speakers": _("不是本组委员:%(names)s") % {"names": "、".join(strangers)}})
    group = Group.objects.select_for_update().get(pk=group.pk)
    group.minutes = (minutes or "").strip()
    group.save(update_fields=["minutes"])
    events.record(
        subject=group,
        action="meeting.group_minutes",
        actor=by,
        data={"speakers": [m.pk for m in speakers], "names": [m.name for m in speakers]},
    )
    return group


def group_speakers(group: Group) -> tuple[list[int], list[str]]:
    """The member ids and names of who spoke, from the latest minutes event of the group."""
    latest = events.timeline(group).filter(action="meeting.group_minutes").order_by("-created_at", "-id").first()
    if latest is None:
        return [], []
    return list(latest.data.get("speakers", [])), list(latest.data.get("names", []))


# --------------------------------------------------------------------------- speeches


def speech_select(*, speech: Speech, by):
    """Put a speech on the plenary list, last in the order."""
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=speech.meeting_id)  # one order number at a time
        last = Speech.objects.filter(meeting_id=speech.meeting_id, state="selected").aggregate(m=Max("order"))["m"]
        return services.speech_decide(speech=speech, by=by, action="select", order=(last or 0) + 1)


@transaction.atomic
def speech_move(*, speech: Speech, by, up: bool) -> None:
    """Swap a selected speaker with the one before (up) or after; the order is renumbered 1..n."""
    Meeting.objects.select_for_update().get(pk=speech.meeting_id)
    items = list(Speech.objects.filter(meeting_id=speech.meeting_id, state="selected").order_by("order", "id"))
    index = next((i for i, x in enumerate(items) if x.pk == speech.pk), None)
    if index is None:
        raise TransitionRefused(_("只有已安排的大会发言可以调整顺序。"))
    other = index - 1 if up else index + 1
    if other < 0 or other >= len(items):
        return
    items[index], items[other] = items[other], items[index]
    for n, x in enumerate(items, start=1):
        x.order = n
    Speech.objects.bulk_update(items, ["order"])
    events.record(
        subject=speech.meeting, action="meeting.speech_reordered", actor=by, data={"order": [x.pk for x in items]}
    )


def meeting_invite_scope(*, meeting: Meeting, by, scope: str, sector=None, members=None) -> int:
    """Invite more members (a scope as on creation); those invited already stay as they are."""
    chosen = list(invitees(meeting.committee, scope=scope, sector=sector, members=members).select_related("user"))
    return services.meeting_invite(meeting=meeting, by=by, members=chosen)
