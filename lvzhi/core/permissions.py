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

# --- public-opinion reports (社情民意)
is_opinions_staff = _has(Role.STAFF_OPINIONS, Role.STAFF_OFFICE)
is_reporter = _has(Role.REPORTER)
rules.add_perm("opinions.submit", is_member | is_reporter)  # write and submit reports (reporters: for residents)
rules.add_perm("opinions.edit", is_opinions_staff)  # edit (采编), combine, publish in a bulletin issue, forward
rules.add_perm("opinions.record_adoption", is_opinions_staff)  # adoptions (采用) and instructions (批示)
rules.add_perm("opinions.view_all", is_staff | is_leader)  # every report with statistics (residents' data: staff)

# --- consultation (协商) and democratic supervision (民主监督)
is_consultation_staff = _has(Role.STAFF_SPECIAL, Role.STAFF_OFFICE)
rules.add_perm("consultations.manage", is_consultation_staff)  # plan, events, outcomes, supervision topics
rules.add_perm("consultations.view_all", is_staff | is_leader)  # every plan, event and open recommendation
rules.add_perm("consultations.take_part", is_member)  # invited events, online discussion, written opinions
rules.add_perm("consultations.respond", is_unit)  # a department answers the recommendations sent to it

# --- duty activities (视察 · 调研 · 学习) and reading (书香政协)
is_activities_staff = _has(Role.STAFF_OFFICE, Role.STAFF_SPECIAL, Role.STAFF_MEETINGS)
rules.add_perm("activities.manage", is_activities_staff)  # publish activities, check-in, reading groups
rules.add_perm("activities.view_all", is_staff | is_leader)  # every activity with participation
rules.add_perm("activities.join", is_member)  # sign up, check in, write reports, photos, reading records

# --- duty evaluation (履职量化考评)
rules.add_perm("evaluation.manage", is_office)  # rule sets, adjustments, warnings, rebuild, close a year
rules.add_perm("evaluation.view_all", is_staff | is_leader)  # every member's score, charts, export
rules.add_perm("evaluation.view_own", is_member)  # my score, my duty record, my annual report
rules.add_perm("evaluation.review_reports", is_staff | is_standing)  # 履职点评 of standing members' reports
