"""The whole proposal cycle at the service level: every step is a transition with an event."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from lvzhi.core.models import Event
from lvzhi.core.workflow import TransitionRefused
from lvzhi.proposals import services as s
from lvzhi.proposals.models import CoSigner, NumberCounter, Proposal
from tests.conftest import user
from tests.proposals.conftest import member, unit


def actions(proposal):
    return list(
        Event.objects.filter(subject_id=proposal.pk, subject_type__model="proposal").values_list("action", flat=True)
    )


def test_the_whole_cycle_with_a_cosigner_and_rehandling(qiantang, draft):
    xu = member(qiantang, "徐钢")
    [invitation] = s.cosigner_invite(proposal=draft, members=[xu], by=user("zhuzheng"))
    with pytest.raises(TransitionRefused, match="联名人未确认"):
        s.proposal_submit(proposal=draft, by=user("zhuzheng"))
    s.cosigner_respond(cosigner=invitation, by=user("xugang"), confirm=True)
    s.proposal_submit(proposal=draft, by=user("zhuzheng"))
    assert draft.state == "submitted" and draft.session is not None or draft.period == "recess"

    before = NumberCounter.objects.filter(committee=qiantang, scope=f"session:{draft.session_id}").first()
    s.proposal_file(proposal=draft, by=user("tiwei"))
    draft.refresh_from_db()
    assert draft.state == "filed" and draft.serial == (before.last if before else 0) + 1
    assert draft.number == f"{draft.session.name.removesuffix('会议')}·第 {draft.serial:04d} 号"

    s.proposal_assign(
        proposal=draft,
        by=user("tiwei"),
        lead_unit=unit(qiantang, "区科技局"),
        co_units=[unit(qiantang, "区发展和改革局")],
    )
    assert draft.state == "assigned"
    # the lead unit's staff are not demo users; give 区科技局 a staff account through the roles table
    from lvzhi.org.models import Membership

    kj = user("jyj")
    Membership.objects.filter(user=kj).update(handling_unit=unit(qiantang, "区科技局"))
    s.assignment_accept(proposal=draft, by=kj)
    assert draft.state == "handling"
    s.assignment_accept(proposal=draft, by=user("fgj"))
    with pytest.raises(TransitionRefused, match="会办单位未提出"):
        s.answer_submit(proposal=draft, by=kj, category="B", text="正在推进。")
    s.co_opinion_give(proposal=draft, by=user("fgj"), opinion="同意主办单位意见,支持科技金融服务。")
    import datetime as dt

    s.contact_record(proposal=draft, by=kj, method="phone", date=dt.date.today(), note="电话沟通办理思路。")
    s.answer_submit(proposal=draft, by=kj, category="B", text="已列入年度计划,正在推进。")
    draft.refresh_from_db()
    assert draft.state == "answered"
    s.answer_approve(proposal=draft, by=user("tiwei"), category="A")
    draft.refresh_from_db()
    assert draft.state == "replied" and draft.answer_category == "A"

    s.evaluation_submit(proposal=draft, by=user("zhuzheng"), rating="unsatisfied", comment="措施不够具体")
    draft.refresh_from_db()
    assert draft.state == "replied"  # waits for the co-signer
    s.evaluation_submit(proposal=draft, by=user("xugang"), rating="satisfied")
    draft.refresh_from_db()
    assert draft.state == "rehandling" and draft.round == 2

    s.answer_submit(proposal=draft, by=kj, category="A", text="已出台科技金融专项政策。")
    s.answer_approve(proposal=draft, by=user("tiwei"))
    s.evaluation_submit(proposal=draft, by=user("zhuzheng"), rating="unsatisfied")
    s.evaluation_submit(proposal=draft, by=user("xugang"), rating="basic")
    draft.refresh_from_db()
    assert draft.state == "closed"  # the second answer closes it
    s.proposal_publish(proposal=draft, by=user("tiwei"))
    assert "proposal.published" in actions(draft)
    assert actions(draft).count("proposal.answer") == 2


def test_a_member_never_submits_another_members_draft(qiantang, draft):
    with pytest.raises(PermissionDenied):
        s.proposal_submit(proposal=draft, by=user("xugang"))
    assert Proposal.objects.get(pk=draft.pk).state == "draft"


def test_not_filed_needs_a_reason_and_changes_nothing_without_one(filed, qiantang, draft):
    p = s.proposal_create(
        committee=qiantang,
        by=user("xugang"),
        lead=member(qiantang, "徐钢"),
        title="个人问题",
        category=draft.category,
        problem="个人住房问题",
        suggestion="请解决",
    )
    s.proposal_submit(proposal=p, by=user("xugang"))
    with pytest.raises(TransitionRefused, match="理由"):
        s.proposal_reject(proposal=p, by=user("tiwei"), reason=" ")
    s.proposal_reject(proposal=p, by=user("tiwei"), reason="属于个人或家庭问题")
    p.refresh_from_db()
    assert p.state == "not_filed" and p.number == ""


def test_merge_keeps_credit(qiantang, filed):
    p = s.proposal_create(
        committee=qiantang,
        by=user("maoxucheng"),
        lead=member(qiantang, "茅徐程"),
        title="关于区域创新的建议",
        category=filed.category,
        problem="问题",
        suggestion="建议",
    )
    s.proposal_submit(proposal=p, by=user("maoxucheng"))
    s.proposal_merge(lead=filed, others=[p], by=user("tiwei"))
    p.refresh_from_db()
    assert p.state == "merged" and p.merged_into_id == filed.pk
    assert CoSigner.objects.filter(proposal=filed, member__name="茅徐程", state="confirmed").exists()


def test_body_length_limit(qiantang, draft):
    with pytest.raises(ValidationError, match="2500"):
        s.proposal_edit(proposal=draft, by=user("zhuzheng"), problem="字" * 2600)
    draft.refresh_from_db()
    assert len(draft.problem) < 100


def test_numbers_under_concurrent_filing_have_no_duplicate_and_no_gap(transactional_demo):
    from lvzhi.org.models import Committee
    from lvzhi.proposals.models import Category

    qt = Committee.objects.get(name="杭州市钱塘区政协")
    cat = Category.objects.get(committee=qt, name="科技创新")
    proposals = []
    for i in range(8):
        p = s.proposal_create(
            committee=qt,
            by=user("zhuzheng"),
            lead=member(qt, "朱政"),
            title=f"提案{i}",
            category=cat,
            problem="问题",
            suggestion="建议",
        )
        s.proposal_submit(proposal=p, by=user("zhuzheng"))
        proposals.append(p)
    counter = NumberCounter.objects.filter(committee=qt, scope=f"session:{proposals[0].session_id}").first()
    start = counter.last if counter else 0
    barrier = threading.Barrier(len(proposals))
    errors = []

    def file(p):
        try:
            barrier.wait()
            s.proposal_file(proposal=Proposal.objects.get(pk=p.pk), by=user("tiwei"))
        except Exception as e:  # noqa: BLE001
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=file, args=(p,)) for p in proposals]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors
    serials = sorted(Proposal.objects.filter(pk__in=[p.pk for p in proposals]).values_list("serial", flat=True))
    assert serials == list(range(start + 1, start + 9))


def test_only_the_lead_edits_or_invites_on_a_draft(qiantang, draft):
    with pytest.raises(PermissionDenied):
        s.proposal_edit(proposal=draft, by=user("xugang"), title="改标题")
    with pytest.raises(PermissionDenied):
        s.cosigner_invite(proposal=draft, members=[member(qiantang, "茅徐程")], by=user("tiwei"))
    draft.refresh_from_db()
    assert draft.title.startswith("关于着力构建") and not draft.cosigners.exists()
