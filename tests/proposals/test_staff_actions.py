"""Every action of the proposal office through its page: the DB row, the event, the message; bad input
changes nothing; two staff acting on the same proposal: one succeeds, the other is told why."""

import datetime as dt
import threading

import pytest
from django.db import connection

from lvzhi.core.models import Event
from lvzhi.org.models import HandlingUnit
from lvzhi.proposals import services as s
from lvzhi.proposals.models import Assignment, Category, Proposal
from tests.conftest import client_for, user
from tests.proposals.conftest import unit
from tests.proposals.helpers_staff import answered, events, filed, said, submitted


def act(p, action: str, data=None, who: str = "tiwei"):
    return client_for(who).post(f"/proposals/staff/{p.pk}/{action}/", data or {})


@pytest.fixture
def sub(qiantang):
    return submitted(qiantang, "关于着力构建开放型区域创新体系的建议")


def test_file_with_a_changed_category(qiantang, sub):
    eco = Category.objects.get(committee=qiantang, name="经济建设")
    r = act(sub, "file", {"category": eco.pk})
    assert r.status_code == 302
    sub.refresh_from_db()
    assert sub.state == "filed" and sub.number and sub.category == eco
    assert events(sub, "proposal.file").get().data["number"] == sub.number
    assert f"已立案,提案号 {sub.number}。" in said(r)


def test_file_refuses_a_foreign_category(qiantang, hangzhou, sub):
    foreign = Category.objects.create(committee=hangzhou, name="外地类别")
    r = act(sub, "file", {"category": foreign.pk})
    sub.refresh_from_db()
    assert sub.state == "submitted" and sub.number == ""
    assert not events(sub, "proposal.file").exists()
    assert said(r)


def test_reject_with_a_listed_reason(sub):
    r = act(sub, "reject", {"preset": "没有具体内容或建议"})
    sub.refresh_from_db()
    assert sub.state == "not_filed"
    assert events(sub, "proposal.reject").get().reason == "没有具体内容或建议"
    assert "已决定不予立案。" in said(r)


def test_reject_with_a_written_reason(sub):
    act(sub, "reject", {"preset": "", "reason": "  建议已在去年答复中落实  "})
    assert events(sub, "proposal.reject").get().reason == "建议已在去年答复中落实"


def test_reject_without_a_reason_changes_nothing(sub):
    r = act(sub, "reject", {"preset": "", "reason": "   "})
    sub.refresh_from_db()
    assert sub.state == "submitted" and not events(sub, "proposal.reject").exists()
    assert "请选择或填写不予立案的理由。" in said(r)


@pytest.mark.parametrize(
    "action,state", [("convert_opinion", "converted"), ("convert_report", "to_report"), ("send_back", "revising")]
)
def test_reasoned_transitions(sub, action, state):
    r = act(sub, action, {"reason": "内容更适合以其他形式反映"})
    sub.refresh_from_db()
    assert sub.state == state
    assert events(sub, f"proposal.{action}").get().reason == "内容更适合以其他形式反映"
    assert said(r)


@pytest.mark.parametrize("action", ["convert_opinion", "convert_report", "send_back"])
def test_reasoned_transitions_need_a_reason(sub, action):
    r = act(sub, action, {"reason": " "})
    sub.refresh_from_db()
    assert sub.state == "submitted" and not events(sub, f"proposal.{action}").exists()
    assert "请填写理由。" in said(r)


def test_merge_another_proposal_into_this_one(qiantang, sub):
    other = submitted(qiantang, "关于构建区域创新体系的建议", name="徐钢", username="xugang")
    r = act(sub, "merge", {"others": [other.pk]})
    other.refresh_from_db()
    assert other.state == "merged" and other.merged_into_id == sub.pk
    assert events(other, "proposal.merge").get().data == {"into": sub.pk}
    assert sub.cosigners.filter(member__name="徐钢", state="confirmed").exists()  # the merged proposer keeps credit
    assert "已将 1 件提案并入本案。" in said(r)


def test_merge_refuses_a_proposal_not_offered(qiantang, sub):
    assigned = filed(qiantang, "关于构建区域创新体系的建议")
    s.proposal_assign(proposal=assigned, by=user("tiwei"), lead_unit=unit(qiantang, "区教育局"))
    r = act(sub, "merge", {"others": [assigned.pk, sub.pk]})
    assigned.refresh_from_db()
    assert assigned.state == "assigned" and not events(assigned, "proposal.merge").exists()
    assert said(r)


def test_assign_lead_and_co_units(qiantang, sub):
    s.proposal_file(proposal=sub, by=user("tiwei"))
    due = dt.date.today() + dt.timedelta(days=60)
    r = act(
        sub,
        "assign",
        {
            "mode": "lead",
            "lead_unit": unit(qiantang, "区发展和改革局").pk,
            "co_units": [unit(qiantang, "区教育局").pk],
            "due_date": due.isoformat(),
        },
    )
    sub.refresh_from_db()
    assert sub.state == "assigned" and sub.due_date == due
    rows = {(a.unit.name, a.role, a.due_date) for a in sub.assignments.all()}
    assert rows == {("区发展和改革局", "lead", due), ("区教育局", "co", due)}
    assert events(sub, "proposal.assign").get().data["due_date"] == due.isoformat()
    assert "已交办。" in said(r)


def test_assign_split(qiantang, sub):
    s.proposal_file(proposal=sub, by=user("tiwei"))
    units = [unit(qiantang, "区发展和改革局").pk, unit(qiantang, "区教育局").pk]
    due = dt.date.today() + dt.timedelta(days=30)
    act(sub, "assign", {"mode": "split", "split_units": units, "due_date": due.isoformat()})
    assert set(sub.assignments.values_list("role", flat=True)) == {"split"}
    assert sub.assignments.count() == 2


def test_the_assign_form_defaults_the_due_date_from_the_committee_setting(qiantang, sub):
    from dateutil.relativedelta import relativedelta

    s.proposal_file(proposal=sub, by=user("tiwei"))
    qiantang.config = {**qiantang.config, "proposals.due_months": 2}
    qiantang.save()
    html = client_for("tiwei").get(f"/proposals/staff/{sub.pk}/").content.decode()
    assert (dt.date.today() + relativedelta(months=2)).isoformat() in html


@pytest.mark.parametrize(
    "bad,message",
    [
        ({"lead_unit": "foreign"}, "选择一个有效的选项"),
        ({"due_date": (dt.date.today() - dt.timedelta(days=1)).isoformat()}, "答复期限须晚于今天。"),
        ({"lead_unit": ""}, "请选择主办单位"),
    ],
)
def test_assign_bad_input_changes_nothing(qiantang, hangzhou, sub, bad, message):
    s.proposal_file(proposal=sub, by=user("tiwei"))
    data = {
        "mode": "lead",
        "lead_unit": unit(qiantang, "区发展和改革局").pk,
        "due_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        **bad,
    }
    if data["lead_unit"] == "foreign":
        data["lead_unit"] = HandlingUnit.objects.get(committee=hangzhou, name="杭州市发展和改革委员会").pk
    r = act(sub, "assign", data)
    sub.refresh_from_db()
    assert sub.state == "filed" and not Assignment.objects.filter(proposal=sub).exists()
    assert not events(sub, "proposal.assign").exists()
    assert any(message in m for m in said(r)), said(r)


def test_approve_an_answer_with_a_changed_category(qiantang):
    p = answered(qiantang, "关于推进城市有机更新的建议")
    r = act(p, "approve_answer", {"category": "A"})
    p.refresh_from_db()
    assert p.state == "replied" and p.answer_category == "A"
    assert p.answers.get().reviewed_category == "A"
    assert events(p, "proposal.category_changed").get().data == {"from": "B", "to": "A"}
    assert events(p, "proposal.approve_answer").exists()
    assert "答复已审核,送达提案人。" in said(r)


def test_approve_refuses_an_unknown_category(qiantang):
    p = answered(qiantang, "关于推进城市有机更新的建议")
    act(p, "approve_answer", {"category": "Z"})
    p.refresh_from_db()
    assert p.state == "answered" and not events(p, "proposal.approve_answer").exists()


def test_send_an_answer_back(qiantang):
    p = answered(qiantang, "关于推进城市有机更新的建议")
    assert act(p, "send_back_answer", {"reason": ""}).status_code == 302
    p.refresh_from_db()
    assert p.state == "answered"
    act(p, "send_back_answer", {"reason": "答复未回应第二条建议"})
    p.refresh_from_db()
    assert p.state == "handling" and not p.answers.exists()
    assert events(p, "proposal.send_back_answer").get().reason == "答复未回应第二条建议"


def test_key_proposal_with_a_supervisor_and_progress_notes(qiantang):
    p = filed(qiantang, "关于推进城市有机更新的建议")
    leader = user("jinzhiqiang")
    r = act(p, "key", {"key": "on", "supervisor": leader.pk})
    p.refresh_from_db()
    assert p.is_key and p.supervisor == leader
    assert "已列为重点提案。" in said(r)
    act(p, "progress", {"text": "督办组实地察看了项目进展。"})
    assert p.progress_notes.get().text == "督办组实地察看了项目进展。"
    assert events(p, "proposal.progress").exists()
    act(p, "key", {"key": ""})
    p.refresh_from_db()
    assert not p.is_key and p.supervisor is None
    assert events(p, "proposal.key_unmarked").exists()


def test_key_refuses_a_supervisor_who_is_not_a_leader(qiantang):
    p = filed(qiantang, "关于推进城市有机更新的建议")
    act(p, "key", {"key": "on", "supervisor": user("zhuzheng").pk})
    p.refresh_from_db()
    assert not p.is_key and not events(p, "proposal.key_marked").exists()


def test_excellent_and_publication(qiantang):
    p = answered(qiantang, "关于推进城市有机更新的建议")
    r = act(p, "publish")
    p.refresh_from_db()
    assert p.published_at is None and "答复送达提案人后才能公开。" in said(r)
    s.answer_approve(proposal=p, by=user("tiwei"))
    act(p, "publish")
    p.refresh_from_db()
    assert p.published_at is not None and events(p, "proposal.published").exists()
    act(p, "unpublish")
    p.refresh_from_db()
    assert p.published_at is None and events(p, "proposal.unpublished").exists()
    act(p, "excellent", {"year": 2026})
    p.refresh_from_db()
    assert p.excellent_year == 2026 and events(p, "proposal.excellent").get().data == {"year": 2026}
    act(p, "excellent", {"year": "去年"})
    p.refresh_from_db()
    assert p.excellent_year == 2026


def test_an_unknown_action_is_refused(sub):
    assert act(sub, "delete").status_code == 403


def test_a_workflow_action_from_the_wrong_state_is_refused_with_a_reason(qiantang):
    p = filed(qiantang, "关于推进城市有机更新的建议")
    r = act(p, "reject", {"preset": "没有具体内容或建议"})
    p.refresh_from_db()
    assert p.state == "filed" and "当前状态为「已立案」,不能执行此操作。" in said(r)


def test_a_second_filing_from_a_stale_page_is_told_why(sub):
    """Two staff opened the same page; the first files it, the second's click is refused clearly."""
    first, second = client_for("tiwei"), client_for("tiwei")
    assert "立案" in first.get(f"/proposals/staff/{sub.pk}/").content.decode()
    assert "立案" in second.get(f"/proposals/staff/{sub.pk}/").content.decode()
    first.post(f"/proposals/staff/{sub.pk}/file/")
    r = second.post(f"/proposals/staff/{sub.pk}/file/")
    sub.refresh_from_db()
    number = sub.number
    assert "当前状态为「已立案」,不能执行此操作。" in said(r)
    assert events(sub, "proposal.file").count() == 1 and sub.number == number


def test_two_staff_filing_at_once_one_succeeds(transactional_demo):
    """Real concurrent requests on two connections: one number, one event, the other told why."""
    from lvzhi.org.demo import QIANTANG
    from lvzhi.org.models import Committee

    qiantang = Committee.objects.get(name=QIANTANG)
    p = submitted(qiantang, "关于着力构建开放型区域创新体系的建议")
    barrier = threading.Barrier(2)
    results = []

    def worker():
        client = client_for("tiwei")
        try:
            barrier.wait()
            r = client.post(f"/proposals/staff/{p.pk}/file/")
            results.append(said(r))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    p.refresh_from_db()
    assert p.state == "filed"
    flat = sorted(m for msgs in results for m in msgs)
    assert any(m.startswith("已立案,提案号") for m in flat)
    assert any("不能执行此操作" in m for m in flat), flat
    assert Event.objects.filter(action="proposal.file", subject_id=p.pk).count() == 1
    assert Proposal.objects.filter(committee=qiantang, number=p.number).count() == 1


def test_staff_write_and_submit_a_collective_proposal(qiantang):
    c = client_for("tiwei")
    page = c.get("/proposals/staff/new/").content.decode()
    assert "科技界" in page and "中国致公党" in page  # sectors and parties to choose from
    tech = Category.objects.get(committee=qiantang, name="科技创新")
    r = c.post(
        "/proposals/staff/new/",
        {
            "collective_name": "科技界",
            "title": "关于加快科技成果转化的建议",
            "category": tech.pk,
            "problem": "科技成果转化率不高。",
            "suggestion": "建设概念验证中心。",
            "agree_publish": "on",
            "submit": "1",
        },
    )
    p = Proposal.objects.get(committee=qiantang, title="关于加快科技成果转化的建议")
    assert r.status_code == 302 and r.url == f"/proposals/staff/{p.pk}/"
    assert p.kind == "collective" and p.collective_name == "科技界" and p.lead is None
    assert p.state == "submitted" and p.created_by == user("tiwei")
    assert list(events(p).order_by("id").values_list("action", flat=True)) == ["proposal.created", "proposal.submit"]


def test_a_collective_proposal_refuses_a_body_of_another_committee(qiantang):
    before = Proposal.objects.count()
    r = client_for("tiwei").post(
        "/proposals/staff/new/",
        {
            "collective_name": "不存在的界别",
            "title": "关于某事的建议",
            "category": Category.objects.get(committee=qiantang, name="其他").pk,
            "problem": "问题",
            "suggestion": "建议",
            "submit": "1",
        },
    )
    assert r.status_code == 200 and "选择一个有效的选项" in r.content.decode()
    assert Proposal.objects.count() == before


def test_a_collective_draft_is_submitted_later_from_its_page(qiantang):
    c = client_for("tiwei")
    c.post(
        "/proposals/staff/new/",
        {
            "collective_name": "科技界",
            "title": "关于建设人才公寓的建议",
            "category": Category.objects.get(committee=qiantang, name="社会事业").pk,
            "problem": "青年人才住房难。",
            "suggestion": "建设人才公寓。",
            "save": "1",
        },
    )
    p = Proposal.objects.get(committee=qiantang, title="关于建设人才公寓的建议")
    assert p.state == "draft"
    assert "提交集体提案" in c.get(f"/proposals/staff/{p.pk}/").content.decode()
    act(p, "submit")
    p.refresh_from_db()
    assert p.state == "submitted"
