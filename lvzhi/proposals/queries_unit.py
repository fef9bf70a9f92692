"""Reads of the handling unit's pages and the leader's supervision page. Every one starts from
queries.visible, then narrows to the unit's own live assignment (a unit never sees another unit's
proposals, nor a proposal before it is assigned, nor one it has returned)."""

import datetime as dt

from django.utils import timezone

from .models import Assignment, CoSigner, Proposal
from .queries import visible

# Assignment states that no longer belong to the unit.
GONE = ("cancelled", "returned")
# The unit still owes something (签收 and answer, or the co-unit's opinion).
OWING = ("assigned", "accepted")


def unit_assignments(user, committee, roles, unit):
    """The unit's live assignments, each with its proposal, soonest due first."""
    if unit is None:
        return Assignment.objects.none()
    return (
        Assignment.objects.for_committee(committee)
        .filter(unit=unit, proposal__in=visible(user, committee, roles).values("pk"))
        .exclude(state__in=GONE)
        .select_related("proposal", "proposal__category")
        .order_by("due_date", "proposal_id", "id")
    )


def unit_groups(assignments, today: dt.date | None = None) -> dict[str, list]:
    """待签收 / 办理中 / 已答复 (co-units: 已提会办意见). Each row gets .days_left and .overdue."""
    today = today or timezone.localdate()
    groups = {"pending": [], "handling": [], "done": []}
    for a in assignments:
        a.days_left = (a.due_date - today).days
        a.days_overdue = -a.days_left
        a.overdue = a.state in OWING and a.days_left < 0
        a.can_return = a.state == "assigned" and today <= a.return_deadline
        key = "pending" if a.state == "assigned" else "handling" if a.state == "accepted" else "done"
        groups[key].append(a)
    return groups


def unit_assignment(proposal: Proposal, unit) -> Assignment | None:
    """The unit's live assignment of this proposal (None: not the unit's, 404)."""
    if unit is None:
        return None
    return proposal.assignments.filter(unit=unit).exclude(state__in=GONE).order_by("-id").first()


def confirmed_cosigners(proposal: Proposal):
    return proposal.cosigners.filter(state=CoSigner.State.CONFIRMED).select_related("member", "member__sector")


def live_assignments(proposal: Proposal):
    return proposal.assignments.exclude(state__in=GONE).select_related("unit").order_by("role", "id")


def supervised(user, committee, roles):
    """Key proposals this leader supervises."""
    return (
        visible(user, committee, roles)
        .filter(is_key=True, supervisor=user)
        .select_related("category")
        .order_by("due_date", "id")
    )


def recent_submitted(user, committee, roles, limit: int = 20):
    return visible(user, committee, roles).exclude(state__in=["draft", "withdrawn"]).select_related("category")[:limit]
