"""Who may do what: the one module to read. Roles are held per committee (org.Membership); a permission
is checked against the current committee or an object that belongs to one.

    request.user.has_perm("org.manage_members", request.committee)
"""

import rules

from .roles import MEMBER_ROLES, STAFF_ROLES, Role
from .tenancy import committee_of


def roles_of(user, committee) -> frozenset[str]:
    """The roles `user` holds in `committee`, cached on the user object for the request."""
    if user is None or not user.is_authenticated or committee is None:
        return frozenset()
    cache = user.__dict__.setdefault("_lvzhi_roles", {})
    if committee.pk not in cache:
        from lvzhi.org.models import Membership

        cache[committee.pk] = frozenset(
            Membership.objects.filter(user=user, committee=committee).values_list("role", flat=True)
        )
    return cache[committee.pk]


def forget_roles(user) -> None:
    user.__dict__.pop("_lvzhi_roles", None)
    user.__dict__.pop("_lvzhi_committees", None)


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
