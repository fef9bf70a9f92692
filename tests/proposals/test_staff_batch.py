"""Batch filing and batch assignment from the review queue: each proposal through its own service in a
transaction of its own; the page says which succeeded and which were refused, and why."""

import datetime as dt

from lvzhi.proposals.models import Proposal
from lvzhi.proposals.services_staff import proposals_file_many
from tests.conftest import client_for, user
from tests.proposals.conftest import unit
from tests.proposals.helpers_staff import events, filed, said, submitted

BATCH = "/proposals/staff/batch/"


def serial(number: str) -> int:
    return int(number.split("第 ")[1].split(" 号")[0])


def test_batch_filing_numbers_consecutively_and_reports_a_refusal(qiantang):
    a = submitted(qiantang, "关于加快企业数字化转型的建议")
    b = submitted(qiantang, "关于推进未来乡村建设的建议", name="徐钢", username="xugang")
    c = submitted(qiantang, "关于打造钱塘文创品牌的建议")
    done = filed(qiantang, "关于解决地铁口停车难的建议")
    r = client_for("tiwei").post(
        BATCH, {"action": "file", "ids": [c.pk, done.pk, a.pk, b.pk], "query": "state=submitted"}
    )
    assert r.status_code == 302 and r.url == "/proposals/staff/?state=submitted"
    for p in (a, b, c, done):
        p.refresh_from_db()
    assert {a.state, b.state, c.state} == {"filed"}
    serials = [serial(p.number) for p in (a, b, c)]  # in the order they were submitted
    assert serials == list(range(serials[0], serials[0] + 3))
    assert serial(done.number) < serials[0]
    messages = said(r)
    assert any(m.startswith("已立案 3 件") and a.number in m for m in messages)
    assert any(done.title in m and "当前状态为「已立案」" in m for m in messages)
    assert events(done, "proposal.file").count() == 1


def test_batch_assignment_gives_each_the_same_units_and_due_date(qiantang):
    a = filed(qiantang, "关于加快企业数字化转型的建议")
    b = filed(qiantang, "关于推进未来乡村建设的建议")
    pending = submitted(qiantang, "关于打造钱塘文创品牌的建议")
    due = dt.date.today() + dt.timedelta(days=45)
    r = client_for("tiwei").post(
        BATCH,
        {
            "action": "assign",
            "ids": [a.pk, b.pk, pending.pk],
            "lead_unit": unit(qiantang, "区发展和改革局").pk,
            "co_units": [unit(qiantang, "区教育局").pk],
            "due_date": due.isoformat(),
        },
    )
    for p in (a, b, pending):
        p.refresh_from_db()
    assert a.state == b.state == "assigned" and a.due_date == b.due_date == due
    for p in (a, b):
        assert {(x.unit.name, x.role) for x in p.assignments.all()} == {("区发展和改革局", "lead"), ("区教育局", "co")}
    assert pending.state == "submitted" and not pending.assignments.exists()
    messages = said(r)
    assert "已交办 2 件给 区发展和改革局。" in messages
    assert any(pending.title in m and "待审查" in m for m in messages)


def test_batch_bad_input_changes_nothing(qiantang, hangzhou):
    a = filed(qiantang, "关于加快企业数字化转型的建议")
    c = client_for("tiwei")
    past = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    lead = unit(qiantang, "区发展和改革局").pk
    r = c.post(BATCH, {"action": "assign", "ids": [a.pk], "lead_unit": lead, "due_date": past})
    assert "答复期限须晚于今天。" in said(r)
    r = c.post(BATCH, {"action": "assign", "ids": [a.pk]})
    assert any("批量交办请选择主办单位。" in m for m in said(r))
    r = c.post(BATCH, {"action": "file"})
    assert "请勾选提案。" in said(r)
    from lvzhi.org.models import HandlingUnit

    foreign = HandlingUnit.objects.get(committee=hangzhou, name="杭州市发展和改革委员会").pk
    c.post(BATCH, {"action": "assign", "ids": [a.pk], "lead_unit": foreign})
    a.refresh_from_db()
    assert a.state == "filed" and not a.assignments.exists()


def test_batch_cannot_reach_another_committees_proposal(qiantang):
    a = submitted(qiantang, "关于加快企业数字化转型的建议")
    r = client_for("hz_office").post(BATCH, {"action": "file", "ids": [a.pk]})
    assert r.status_code == 403  # the city office is not a proposal office
    a.refresh_from_db()
    assert a.state == "submitted"


def test_the_service_reports_refusals_without_undoing_the_others(qiantang):
    a = submitted(qiantang, "关于加快企业数字化转型的建议")
    b = filed(qiantang, "关于推进未来乡村建设的建议")
    result = proposals_file_many(proposals=[b, a], by=user("tiwei"))
    assert [p.pk for p in result.done] == [a.pk]
    assert [(p.pk, "已立案" in why) for p, why in result.refused] == [(b.pk, True)]
    assert Proposal.objects.get(pk=a.pk).state == "filed"
    # a member is refused by the workflow, item by item
    c = submitted(qiantang, "关于打造钱塘文创品牌的建议")
    result = proposals_file_many(proposals=[c], by=user("zhuzheng"))
    assert not result.done and "权限" in result.refused[0][1]
