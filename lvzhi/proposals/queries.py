"""Reads of proposals shared by pages and the API. `visible` is the one place that says who sees which
proposal: a member sees their own (as lead or invited co-signer) and never another member's draft; staff
and leaders see every submitted proposal; a unit sees only proposals assigned to it (never before)."""

from django.db.models import Q

from lvzhi.core.roles import MEMBER_ROLES, STAFF_ROLES, Role
from lvzhi.org.models import Membership

from .models import Proposal


def visible(user, committee, roles) -> "models.QuerySet[Proposal]":  # noqa: F821
    qs = Proposal.objects.for_committee(committee)
    if not user.is_authenticated or not roles:
        return qs.none()
    allowed = Q(pk__in=[])
    if roles & MEMBER_ROLES:
        allowed |= Q(lead__user=user) | Q(cosigners__member__user=user, cosigners__state__in=["invited", "confirmed"])
    if roles & (STAFF_ROLES | {Role.LEADER}):
        allowed |= ~Q(state__in=["draft", "withdrawn"])
        allowed |= Q(state="draft", kind=Proposal.Kind.COLLECTIVE, created_by=user)
    if Role.UNIT in roles:
        units = Membership.objects.filter(user=user, committee=committee, role=Role.UNIT).values("handling_unit")
        allowed |= Q(assignments__unit__in=units) & ~Q(assignments__state="cancelled")
    return qs.filter(allowed).distinct()
