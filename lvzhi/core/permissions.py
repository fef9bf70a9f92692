"""Who may do what: the one module to read. Roles are held per committee (org.Membership); a permission
is checked against the current committee or an object that belongs to one.

    request.user.has_perm("org.manage_members", request.committee)
"""

import rules
from django.utils.functional import LazyObject, empty

from .roles import MEMBER_ROLES, STAFF_ROLES, Role
from .tenancy import committee_of


def held_roles(user) -> dict:
    """{committee: roles} of every committee where `user` holds a role, the most local committee first
    (then by name): ONE query for the request, cached on the user object (the real one, not the lazy
    request.user wrapper, so the middleware, the views and the perms share it)."""
    if user is None or not user.is_authenticated:
        return {}
    user = _unwrapped(user)
    cache = user.__dict__
    if "_lvzhi_held" not in cache:
        from lvzhi.org.models import Membership

        held: dict = {}
        rows = (
            Membership.objects.filter(user=user)
            .select_related("committee")
            .order_by("-committee__level", "committee__name", "committee_id")
        )
        by_pk: dict = {}
        for m in rows:
            committee = by_pk.setdefault(m.committee_id, m.committee)
            held.setdefault(committee, set()).add(m.role)
        cache["_lvzhi_held"] = {c: frozenset(roles) for c, roles in held.items()}
    return cache["_lvzhi_held"]


def roles_of(user, committee) -> frozenset[str]:
    """The roles `user` holds in `committee`, cached on the user object for the request."""
    if user is None or not user.is_authenticated or committee is None:
        return frozenset()
    for c, roles in held_roles(user).items():
        if c.pk == committee.pk:
            return roles
    return frozenset()


def forget_roles(user) -> None:
    _unwrapped(user).__dict__.pop("_lvzhi_held", None)


def _unwrapped(user):
    """The User behind request.user, which is a lazy object (django_otp wraps Django's lazy user again)."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def _has(*wanted):
    wanted = frozenset(wanted)

    @rules.predicate
    def predicate(user, obj=None):
        return bool(roles_of(user, committee_of(obj)) & wanted)

    predicate.name = "has_" + "_or_".join(sorted(wanted))
    return predicate


is_member = _has(*MEMBER_ROLES)
is_standing = _has(Role.STANDING)
is_staff = _has(*STAFF_ROLES)
is_office = _has(Role.STAFF_OFFICE)
is_unit = _has(Role.UNIT)
is_leader = _has(Role.LEADER)
in_committee = _has(*Role.values)

# --- core
rules.add_perm("core.use", in_committee)  # any role in the committee: inbox, profile, switcher
rules.add_perm("core.view_timeline", is_staff | is_leader)

# --- organisation and members
rules.add_perm("org.view_directory", is_member | is_staff | is_leader)
rules.add_perm("org.view_member_private", is_staff | is_leader)
rules.add_perm("org.manage_org", is_office)
rules.add_perm("org.manage_members", is_office)
rules.add_perm("org.export_members", is_staff | is_leader)
rules.add_perm("org.manage_units", is_office)
rules.add_perm("org.manage_nominations", is_office)
rules.add_perm("org.manage_exit", is_office)
rules.add_perm("org.record_liaison", is_staff)
rules.add_perm("org.view_liaison", is_staff | is_leader)
rules.add_perm("accounts.help_users", is_office)  # unlock an account, turn off its two-step verification

# --- proposals (which proposals a user may see: lvzhi/proposals/queries.visible)
is_proposal_office = _has(Role.STAFF_PROPOSALS)
rules.add_perm("proposals.write", is_member)  # draft, submit, co-sign, evaluate one's own
rules.add_perm("proposals.review", is_proposal_office)  # review, file, assign, approve answers, key, publish
rules.add_perm("proposals.view_all", is_staff | is_leader)  # every submitted proposal and the statistics
rules.add_perm("proposals.handle", is_unit)  # a unit's assigned proposals
rules.add_perm("proposals.supervise", is_leader)  # key proposals a leader supervises

# --- meetings
is_meetings_staff = _has(Role.STAFF_MEETINGS, Role.STAFF_OFFICE)
rules.add_perm("meetings.manage", is_meetings_staff)  # create, invite, registration desk, check-in, leave, speeches
rules.add_perm("meetings.view_all", is_staff | is_leader)  # every meeting with its attendance
rules.add_perm("meetings.attend", is_member)  # my meetings: register, check in, leave, apply to speak
