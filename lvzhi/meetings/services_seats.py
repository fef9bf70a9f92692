"""The seat plan (座位图) of a meeting: staff arrange the hall (rows × seats per row, reserved rows such as the
front row for the leaders), assign the seats automatically (by sector then name, or by discussion group) or
by hand (move a member, swap two members), and clear the plan.

Every write is atomic under the meeting's row lock (one seat-plan write per meeting at a time) and records an
event; a seat holds one member per meeting, which the database enforces too (invitation_seat_unique): of two
staff assigning the same seat at once, the second is refused with a message naming who has it. Row 1 is the
front row; seats are numbered 1..n from the left as seen from the rostrum's audience. The member sees the
label ("3排12座") on the meeting page, the QR page and at the door (Invitation.seat)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import events
from lvzhi.core.workflow import TransitionRefused

from .models import Invitation, Meeting, SeatPlan

events.ACTION_LABELS.update(
    {
        "meeting.seat_plan_arranged": gettext_lazy("设置座位图"),
        "meeting.seats_assigned": gettext_lazy("自动排座"),
        "meeting.seats_cleared": gettext_lazy("清空座位图"),
        "invitation.seat_changed": gettext_lazy("调整座位"),
    }
)

MAX_ROWS = 100
MAX_SEATS_PER_ROW = 100
ORDER_SECTOR, ORDER_GROUP = "sector", "group"
NOT_SEATED_STATES = ("on_leave", "absent")  # the automatic assignment leaves these members out


def seat_label(row: int | None, number: int | None) -> str:
    if not row or not number:
        return ""
    return _("%(row)s排%(number)s座") % {"row": row, "number": number}


def _lock(meeting: Meeting) -> Meeting:
    """The meeting under its row lock, refused when it is over: every seat write of a meeting is serialized."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.state in ("closed", "cancelled"):
        raise TransitionRefused(_("会议已结束或已取消,不能修改座位图。"))
    return locked


def _plan(meeting: Meeting) -> SeatPlan:
    plan = SeatPlan.objects.filter(meeting=meeting).first()
    if plan is None:
        raise TransitionRefused(_("请先设置会场的排数和每排座位数。"))
    return plan


def _seat_taken_message(holder: Invitation) -> str:
    return _("%(seat)s 已安排给 %(name)s,请选择其他座位,或选择“与其交换座位”。") % {
        "seat": seat_label(holder.seat_row, holder.seat_number),
        "name": holder.member.name,
    }


@transaction.atomic
def plan_arrange(
    *, meeting: Meeting, by, rows: int, seats_per_row: int, reserved_rows=(), reserved_label: str = ""
) -> SeatPlan:
    """Create or change the hall. A smaller hall that would leave seated members outside it is refused."""
    meeting = _lock(meeting)
    if not 1 <= rows <= MAX_ROWS:
        raise ValidationError({"rows": _("排数须在 1 到 %(max)s 之间。") % {"max": MAX_ROWS}})
    if not 1 <= seats_per_row <= MAX_SEATS_PER_ROW:
        raise ValidationError({"seats_per_row": _("每排座位数须在 1 到 %(max)s 之间。") % {"max": MAX_SEATS_PER_ROW}})
    reserved = sorted(set(int(r) for r in reserved_rows))
    outside = [r for r in reserved if not 1 <= r <= rows]
    if outside:
        raise ValidationError({"reserved_rows": _("预留排须在第 1 到第 %(rows)s 排之间。") % {"rows": rows}})
    if len(reserved) >= rows:
        raise ValidationError({"reserved_rows": _("不能把所有排都设为预留排。")})
    beyond = meeting.invitations.filter(seat_row__isnull=False).exclude(
        seat_row__lte=rows, seat_number__lte=seats_per_row
    )
    n = beyond.count()
    if n:
        raise ValidationError(_("有 %(n)s 位委员的座位在新的会场范围之外,请先调整他们的座位或清空座位图。") % {"n": n})
    plan = SeatPlan.objects.filter(meeting=meeting).first() or SeatPlan(committee=meeting.committee, meeting=meeting)
    plan.rows, plan.seats_per_row = rows, seats_per_row
    plan.reserved_rows, plan.reserved_label = reserved, (reserved_label or "").strip()[:30]
    plan.save()
    events.record(
        subject=meeting,
        action="meeting.seat_plan_arranged",
        actor=by,
        data={"rows": rows, "seats_per_row": seats_per_row, "reserved_rows": reserved},
    )
    return plan


def _order_key(order: str):
    if order == ORDER_GROUP:
        return lambda i: (
            i.group is None,
            i.group.order if i.group else 0,
            i.group_id or 0,
            i.member.sector.order,
            i.member.sector_id,
            i.member.name,
            i.pk,
        )
    return lambda i: (i.member.sector.order, i.member.sector_id, i.member.name, i.pk)


@transaction.atomic
def seats_auto_assign(*, meeting: Meeting, by, order: str = ORDER_SECTOR) -> int:
    """Seat every invited member not on leave or absent, row by row from the front (reserved rows left out),
    in sector order then name, or by discussion group (then sector and name). Members placed by hand in a
    reserved row keep their seat; everyone else is re-seated. Not enough seats: refused, nothing changes.
    Returns how many members were seated."""
    if order not in (ORDER_SECTOR, ORDER_GROUP):
        raise ValidationError({"order": _("请选择排座方式。")})
    meeting = _lock(meeting)
    plan = _plan(meeting)
    reserved = set(plan.reserved_rows or [])
    invitations = list(meeting.invitations.select_related("member__sector", "group"))
    kept = [i for i in invitations if i.seat_row in reserved and i.seat_number]
    kept_ids = {i.pk for i in kept}
    to_seat = sorted(
        (i for i in invitations if i.pk not in kept_ids and i.state not in NOT_SEATED_STATES), key=_order_key(order)
    )
    free = [
        (row, number)
        for row in range(1, plan.rows + 1)
        if row not in reserved
        for number in range(1, plan.seats_per_row + 1)
    ]
    if len(to_seat) > len(free):
        raise ValidationError(
            _("座位不足:需要 %(need)s 个座位,会场(不含预留排)只有 %(have)s 个。请增加排数或每排座位数。")
            % {"need": len(to_seat), "have": len(free)}
        )
    # Free every seat outside the kept ones first, so the new seats never collide with old ones mid-update.
    meeting.invitations.exclude(pk__in=kept_ids).update(seat_row=None, seat_number=None, seat="")
    for inv, (row, number) in zip(to_seat, free, strict=False):
        inv.seat_row, inv.seat_number, inv.seat = row, number, seat_label(row, number)
    Invitation.objects.bulk_update(to_seat, ["seat_row", "seat_number", "seat"], batch_size=500)
    events.record(
        subject=meeting,
        action="meeting.seats_assigned",
        actor=by,
        data={"order": order, "seated": len(to_seat), "kept": len(kept)},
    )
    return len(to_seat)


@transaction.atomic
def seat_assign(*, invitation: Invitation, by, row: int | None, number: int | None, swap: bool = False) -> Invitation:
    """Put one member in a seat (row and number), or take their seat away (row None). A seat held by another
    member is refused, unless `swap`: then the two members exchange their seats."""
    meeting = _lock(invitation.meeting)
    plan = _plan(meeting)
    locked = Invitation.objects.select_related("member").get(pk=invitation.pk, meeting=meeting)
    before = (locked.seat_row, locked.seat_number)
    if row is None or number is None:
        if before[0] is None:
            return locked
        target = (None, None)
    else:
        if not 1 <= row <= plan.rows:
            raise ValidationError({"row": _("排号须在 1 到 %(n)s 之间。") % {"n": plan.rows}})
        if not 1 <= number <= plan.seats_per_row:
            raise ValidationError({"number": _("座号须在 1 到 %(n)s 之间。") % {"n": plan.seats_per_row}})
        target = (row, number)
    if target == before:
        return locked
    holder = None
    if target[0] is not None:
        holder = (
            meeting.invitations.select_related("member")
            .filter(seat_row=target[0], seat_number=target[1])
            .exclude(pk=locked.pk)
            .first()
        )
        if holder is not None and not swap:
            raise TransitionRefused(_seat_taken_message(holder))
    try:
        with transaction.atomic():
            if holder is not None:
                _set_seat(holder, None, None)
            _set_seat(locked, *target)
            if holder is not None:
                _set_seat(holder, *before)
    except IntegrityError:
        # another desk took the seat between our read and our write (the lock makes this rare; the constraint
        # makes it impossible to end with two members in one seat)
        raise TransitionRefused(_("%(seat)s 刚被安排给其他委员,请刷新后重试。") % {"seat": seat_label(*target)})
    events.record(
        subject=locked,
        action="invitation.seat_changed",
        actor=by,
        data={
            "meeting": meeting.pk,
            "member": locked.member_id,
            "from": seat_label(*before),
            "to": seat_label(*target),
            "swapped_with": holder.member_id if holder else None,
        },
    )
    if holder is not None:
        events.record(
            subject=holder,
            action="invitation.seat_changed",
            actor=by,
            data={
                "meeting": meeting.pk,
                "member": holder.member_id,
                "from": seat_label(*target),
                "to": seat_label(*before),
                "swapped_with": locked.member_id,
            },
        )
    return locked


def _set_seat(invitation: Invitation, row, number) -> None:
    invitation.seat_row, invitation.seat_number, invitation.seat = row, number, seat_label(row, number)
    invitation.save(update_fields=["seat_row", "seat_number", "seat"])


@transaction.atomic
def seats_clear(*, meeting: Meeting, by, remove_plan: bool = False) -> int:
    """Take every member's seat away; with `remove_plan` the hall itself too. Returns how many were cleared."""
    meeting = _lock(meeting)
    n = meeting.invitations.filter(seat_row__isnull=False).update(seat_row=None, seat_number=None, seat="")
    meeting.invitations.exclude(seat="").update(seat="")
    removed = False
    if remove_plan:
        removed = bool(SeatPlan.objects.filter(meeting=meeting).delete()[0])
    events.record(
        subject=meeting, action="meeting.seats_cleared", actor=by, data={"cleared": n, "plan_removed": removed}
    )
    return n


# --------------------------------------------------------------------------- reads


def grid(meeting: Meeting, plan: SeatPlan | None = None):
    """The hall as rows of cells, front row first: [(row, reserved, [(number, invitation or None)])]."""
    plan = plan or SeatPlan.objects.filter(meeting=meeting).first()
    if plan is None:
        return []
    seated = {
        (i.seat_row, i.seat_number): i
        for i in meeting.invitations.filter(seat_row__isnull=False).select_related("member__sector", "group")
    }
    reserved = set(plan.reserved_rows or [])
    return [
        (row, row in reserved, [(n, seated.get((row, n))) for n in range(1, plan.seats_per_row + 1)])
        for row in range(1, plan.rows + 1)
    ]


def seat_list(meeting: Meeting):
    """Every invited member with their seat, seated ones first in seat order, then those without a seat."""
    qs = meeting.invitations.select_related("member__sector", "member__party", "group")
    return sorted(
        qs,
        key=lambda i: (
            i.seat_row is None,
            i.seat_row or 0,
            i.seat_number or 0,
            i.member.sector.order,
            i.member.name,
        ),
    )
