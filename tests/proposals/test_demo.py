"""The demo proposals of Qiantang: written through the services, so states, numbers, timelines and
evaluations are those the workflow produces."""

import datetime as dt
import re
from collections import Counter

from django.utils import timezone

from lvzhi import demo
from lvzhi.core.models import Event
from lvzhi.core.roles import Role
from lvzhi.org.models import Membership
from lvzhi.proposals import demo as proposals_demo
from lvzhi.proposals.models import Answer, Assignment, CoSigner, Evaluation, Proposal
from lvzhi.proposals.queries import visible
from tests.conftest import user

EXPECTED_STATES = {
    "draft": 2,
    "withdrawn": 1,
    "submitted": 3,
    "revising": 1,
    "not_filed": 2,
    "converted": 1,
    "to_report": 1,
    "merged": 1,
    "filed": 2,
    "assigned": 2,
    "returned": 1,
    "handling": 4,
    "answered": 2,
    "replied": 2,
    "rehandling": 2,
    "closed": 18,
}


def proposals(committee):
    return Proposal.objects.for_committee(committee)


def timeline(proposal):
    return list(
        Event.objects.filter(subject_type__model="proposal", subject_id=proposal.pk).order_by("created_at", "id")
    )


def test_the_demo_has_proposals_in_every_state(qiantang):
    assert dict(Counter(proposals(qiantang).values_list("state", flat=True))) == EXPECTED_STATES
    kinds = Counter(proposals(qiantang).values_list("kind", flat=True))
    assert kinds["joint"] >= 6 and kinds["collective"] == 2
    assert proposals(qiantang).filter(is_key=True, supervisor__username="jinzhiqiang").count() == 2
    assert list(proposals(qiantang).exclude(excellent_year=None).values_list("title", "excellent_year")) == [
        ("关于加快打造钱塘文创品牌的建议", 2021)
    ]
    assert proposals(qiantang).exclude(published_at=None).count() == 11


def test_the_seed_proposals_are_filed_at_the_first_session(qiantang):
    seed = {
        "朱政": "关于着力发挥企业创新主体作用、构建开放型区域创新体系的建议",
        "徐钢": "关于精准聚焦美丽乡村建设短板、高水平建设未来乡村的建议",
        "茅徐程": "关于加快打造钱塘文创品牌的建议",
    }
    for n, (name, title) in enumerate(seed.items(), 1):
        p = proposals(qiantang).get(title=title)
        assert p.lead.name == name
        assert p.session.name == "一届一次会议" and p.period == "session"
        assert p.number == f"一届一次·第 {n:04d} 号"
        assert timezone.localtime(p.submitted_at).date() == dt.date(2021, 7, 20)
        assert p.state == "closed" and p.published_at is not None


def test_numbers_are_unique_and_consecutive_per_session(qiantang):
    numbered = proposals(qiantang).exclude(number="")
    assert numbered.count() == 33
    assert len(set(numbered.values_list("number", flat=True))) == numbered.count()
    by_session = {}
    for p in numbered.select_related("session"):
        by_session.setdefault(p.session.name, []).append(p)
        assert re.fullmatch(r"一届[一二三四五]次·第 \d{4} 号", p.number)
        assert p.number.startswith(p.session.name.removesuffix("会议"))
    for rows in by_session.values():
        serials = sorted(p.serial for p in rows)
        assert serials == list(range(1, len(rows) + 1))
        # numbers follow the filing order
        assert [p.serial for p in sorted(rows, key=lambda p: (p.filed_at, p.pk))] == serials
    assert sorted(len(v) for v in by_session.values()) == [2, 2, 3, 9, 17]
    # nothing filed without a number, nothing unfiled with one
    assert not proposals(qiantang).filter(state__in=["submitted", "draft", "not_filed"]).exclude(number="").exists()


def test_every_proposal_has_a_real_timeline(qiantang):
    for p in proposals(qiantang):
        events = timeline(p)
        assert events[0].action == "proposal.created"
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        transitions = [e for e in events if e.to_state and e.action != "proposal.created"]
        if p.state != "draft":
            assert transitions[-1].to_state == p.state, p.title
        for before, after in zip(transitions, transitions[1:], strict=False):
            assert before.to_state == after.from_state, p.title


def test_the_rehandled_proposal_went_round_twice(qiantang):
    p = proposals(qiantang).get(title="关于解决地铁8号线河庄路站周边停车难问题的建议")
    actions = [e.action for e in timeline(p)]
    assert actions.count("proposal.answer") == 2 and "proposal.rehandle" in actions
    assert p.state == "closed" and p.round == 2
    assert Evaluation.objects.filter(proposal=p, round=1, rating="unsatisfied").count() == 1
    # the merged proposal's proposer keeps the credit: a confirmed co-signer who evaluated
    merged = proposals(qiantang).get(state="merged")
    assert merged.merged_into_id == p.pk
    assert CoSigner.objects.filter(proposal=p, member=merged.lead, state="confirmed").exists()
    assert Evaluation.objects.filter(proposal=p, member=merged.lead).count() == 2
    assert list(Answer.objects.filter(proposal=p).values_list("round", flat=True)) == [1, 2]


def test_open_proposals_are_due_in_the_future_but_one(qiantang):
    today = timezone.localdate()
    open_ = proposals(qiantang).filter(state__in=["assigned", "handling", "answered", "replied", "rehandling"])
    overdue = [p.title for p in open_ if p.due_date < today]
    assert overdue == ["关于加快老旧小区加装电梯的建议"]
    assert not Event.objects.filter(committee=qiantang, created_at__gt=timezone.now()).exists()


def test_units_have_their_staff_and_the_units_answer_their_own(qiantang):
    for username, _name, _mobile, unit_name in proposals_demo.UNIT_ACCOUNTS:
        grant = Membership.objects.get(user__username=username, committee=qiantang, role=Role.UNIT)
        assert grant.handling_unit.name == unit_name
    for answer in Answer.objects.filter(committee=qiantang).select_related("answered_by"):
        assert Membership.objects.filter(user=answer.answered_by, handling_unit=answer.unit_id).exists()
    returned = proposals(qiantang).get(state="returned")
    [a] = Assignment.objects.filter(proposal=returned)
    assert a.state == "returned" and a.unit.name == "区教育局"


def test_a_member_sees_their_own_drafts_only(qiantang):
    zhu = user("zhuzheng")
    mine = visible(zhu, qiantang, {Role.MEMBER})
    assert mine.filter(state="draft").count() == 1
    assert mine.filter(title="关于支持中小企业建设企业研究院的建议", state="rehandling").exists()
    other_draft = proposals(qiantang).get(title="关于发展夜间经济、激发消费活力的建议")
    assert not mine.filter(pk=other_draft.pk).exists()
    # 茅徐程 is invited to co-sign it, so he sees it
    assert visible(user("maoxucheng"), qiantang, {Role.MEMBER}).filter(pk=other_draft.pk).exists()


def test_loading_twice_changes_nothing(qiantang):
    def counts():
        return (
            proposals(qiantang).count(),
            Event.objects.filter(committee=qiantang).count(),
            Assignment.objects.filter(committee=qiantang).count(),
            Evaluation.objects.filter(committee=qiantang).count(),
            Membership.objects.filter(committee=qiantang).count(),
        )

    before = counts()
    demo.load()
    proposals_demo.load(qiantang)
    assert counts() == before
