"""Reads of the meeting-day staff pages: the registration desk's search, the door's look-up of a typed
entry, the leave list. Always within one meeting (which the view fetched in the current committee)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from lvzhi.core.models import Event
from lvzhi.core.workflow import TransitionRefused
from lvzhi.org.models import Member

from .models import Invitation, LeaveRequest, Meeting

SEARCH_LIMIT = 40


def desk_search(meeting: Meeting, q: str) -> list[Invitation]:
    """Invited members whose name, mobile or sector contains `q` (at most SEARCH_LIMIT rows)."""
    q = (q or "").strip()
    if not q:
        return []
    condition = Q(member__name__icontains=q) | Q(member__sector__name__icontains=q)
    if any(ch.isdigit() for ch in q):
        condition |= Q(member__mobile__contains=q)
    return list(
        Invitation.objects.filter(meeting=meeting)
        .filter(condition)
        .select_related("member__sector", "member__party", "group")
        .order_by("member__sector__order", "member__name", "id")[:SEARCH_LIMIT]
    )


def desk_invitation_qs(meeting: Meeting):
    return Invitation.objects.filter(meeting=meeting).select_related(
        "member__sector", "member__party", "group", "meeting"
    )


def invitation_for_entry(meeting: Meeting, entry: str) -> Invitation:
    """The invitation of the member a door clerk typed: a mobile number or a full name. Refuses with a
    clear message when nobody, several people, or a member who is not invited matches."""
    entry = entry.strip()
    members = Member.objects.for_committee(meeting.committee).filter(state=Member.State.ACTIVE)
    compact = entry.replace(" ", "").replace("-", "")
    if compact.isdigit():
        members = members.filter(mobile=compact)
        missing = _("没有手机号为 %(entry)s 的委员。") % {"entry": compact}
    else:
        members = members.filter(name=entry)
        missing = _("没有名为「%(entry)s」的委员,请核对姓名或输入手机号。") % {"entry": entry}
    found = list(members[:5])
    if not found:
        raise TransitionRefused(missing)
    invitations = list(desk_invitation_qs(meeting).filter(member__in=found))
    if not invitations:
        raise TransitionRefused(_("%(name)s 不在本次会议的邀请名单中。") % {"name": found[0].name})
    if len(invitations) > 1:
        raise TransitionRefused(_("有多位委员名为「%(entry)s」,请输入手机号。") % {"entry": entry})
    return invitations[0]


def leave_requests(meeting: Meeting):
    """(pending, decided) leave requests of the meeting; decided ones carry `.refusal` (the reason given)."""
    rows = list(
        LeaveRequest.objects.for_committee(meeting.committee)
        .filter(invitation__meeting=meeting)
        .select_related("invitation__member__sector")
        .order_by("created_at", "id")
    )
    pending = [r for r in rows if r.state == "pending"]
    decided = [r for r in rows if r.state != "pending"]
    if decided:
        reasons = dict(
            Event.objects.filter(
                subject_type=ContentType.objects.get_for_model(LeaveRequest),
                subject_id__in=[r.pk for r in decided],
                action__in=["leave.refuse", "leave.approve"],
            ).values_list("subject_id", "reason")
        )
        for r in decided:
            r.decision_reason = reasons.get(r.pk, "")
        decided.sort(key=lambda r: (r.decided_at is None, r.decided_at), reverse=True)
    return pending, decided
