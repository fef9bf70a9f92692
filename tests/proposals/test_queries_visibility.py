"""queries.visibility (join-free, no DISTINCT) sees exactly what the join-based rule of `visible` saw, and the
review queue's two-step paging (ids, then rows) keeps the order and the count."""

from django.db.models import Q

from lvzhi.core.permissions import roles_of
from lvzhi.core.roles import MEMBER_ROLES, STAFF_ROLES, Role
from lvzhi.org.models import Membership
from lvzhi.proposals import queries
from lvzhi.proposals import services as s
from lvzhi.proposals.models import Proposal
from tests.conftest import user
from tests.proposals.conftest import member, unit


def _by_joins(u, committee, roles) -> set[int]:
    """The rule as it was written with joins (reference)."""
    allowed = Q(pk__in=[])
    if roles & MEMBER_ROLES:
        allowed |= Q(lead__user=u) | Q(cosigners__member__user=u, cosigners__state__in=["invited", "confirmed"])
    if roles & (STAFF_ROLES | {Role.LEADER}):
        allowed |= ~Q(state__in=["draft", "withdrawn"])
        allowed |= Q(state="draft", kind=Proposal.Kind.COLLECTIVE, created_by=u)
    if Role.UNIT in roles:
        units = Membership.objects.filter(user=u, committee=committee, role=Role.UNIT).values("handling_unit")
        allowed |= Q(assignments__unit__in=units) & ~Q(assignments__state="cancelled")
    return set(Proposal.objects.for_committee(committee).filter(allowed).values_list("pk", flat=True))


def test_it_sees_what_the_join_rule_saw_for_every_kind_of_user(qiantang, filed):
    tiwei = user("tiwei")
    # a co-signed draft, an assigned proposal, the office's own collective draft and another office's
    joint = s.proposal_create(
        committee=qiantang, by=user("xugang"), lead=member(qiantang, "徐钢"), title="关于联名测试的建议"
    )
    s.cosigner_invite(proposal=joint, members=[member(qiantang, "朱政")], by=user("xugang"))
    s.proposal_assign(proposal=filed, by=tiwei, lead_unit=unit(qiantang, "区发展和改革局"))
    mine = s.proposal_create(committee=qiantang, by=tiwei, lead=None, collective_name="科技界", title="集体草稿甲")
    other = s.proposal_create(
        committee=qiantang, by=user("office"), lead=None, collective_name="科技界", title="集体草稿乙"
    )
    for name in ("tiwei", "office", "zhuzheng", "xugang", "fgj", "jyj", "jinzhiqiang", "maoxucheng"):
        u = user(name)
        roles = roles_of(u, qiantang)
        seen = list(queries.visible(u, qiantang, roles).values_list("pk", flat=True))
        assert len(seen) == len(set(seen)), name
        assert set(seen) == _by_joins(u, qiantang, roles), name
    staff_seen = set(queries.visible(tiwei, qiantang, roles_of(tiwei, qiantang)).values_list("pk", flat=True))
    assert mine.pk in staff_seen and other.pk not in staff_seen and joint.pk not in staff_seen
    zhu = user("zhuzheng")
    assert joint.pk in set(queries.visible(zhu, qiantang, roles_of(zhu, qiantang)).values_list("pk", flat=True))
    fgj, jyj = user("fgj"), user("jyj")
    assert filed.pk in set(queries.visible(fgj, qiantang, roles_of(fgj, qiantang)).values_list("pk", flat=True))
    assert filed.pk not in set(queries.visible(jyj, qiantang, roles_of(jyj, qiantang)).values_list("pk", flat=True))


def test_the_queue_pages_keep_order_and_count(qiantang):
    tiwei = user("tiwei")
    roles = roles_of(tiwei, qiantang)
    qs = queries.review_queue(tiwei, qiantang, roles)
    expected = list(qs.values_list("pk", flat=True))
    assert len(expected) > 3
    pages = [queries.paginate(qs, n, 2) for n in range(1, (len(expected) + 1) // 2 + 1)]
    assert pages[0].paginator.count == len(expected)
    assert [p.pk for page in pages for p in page.object_list] == expected
    row = pages[0].object_list[0]
    assert hasattr(row, "live_assignments") and "problem" in row.get_deferred_fields()
    assert queries.paginate(qs, "x", 2).number == 1 and queries.paginate(qs, 10**6, 2).number == pages[-1].number
