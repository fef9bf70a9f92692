"""Reads of the organisation shared by pages and the API: committee scope and role filter in one place."""

from django.db.models import Q

from .models import Member


def members(
    committee,
    *,
    q: str = "",
    sector=None,
    party=None,
    state: str | None = "active",
    standing=None,
    special_committee=None,
    studio=None,
    sub_district=None,
    private: bool = False,
):
    """The committee's members, filtered; callers choose which fields they may show. Only with
    `private` (staff, leaders) does the search text match mobile numbers."""
    qs = Member.objects.for_committee(committee).select_related("sector", "party", "studio", "sub_district")
    if state:
        qs = qs.filter(state=state)
    if q:
        match = Q(name__contains=q) | Q(employer__contains=q)
        if private:
            match |= Q(mobile__startswith=q)
        qs = qs.filter(match)
    if sector:
        qs = qs.filter(sector=sector)
    if party:
        qs = qs.filter(party=party)
    if standing is not None:
        qs = qs.filter(is_standing=standing)
    if special_committee:
        qs = qs.filter(special_committees=special_committee)
    if studio:
        qs = qs.filter(studio=studio)
    if sub_district:
        qs = qs.filter(sub_district=sub_district)
    return qs


def current_term(committee):
    """The committee's current term (届): the one with the highest number."""
    from .models import Term

    return Term.objects.for_committee(committee).order_by("-number").first()


def member_roles(member) -> list[str]:
    """Labels of the roles the member's account holds in the member's committee."""
    from .models import Membership

    if member.user_id is None:
        return []
    rows = Membership.objects.filter(user_id=member.user_id, committee_id=member.committee_id).order_by("role")
    return [r.get_role_display() for r in rows]
