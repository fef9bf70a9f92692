"""The proposal office's pages: who may open them, what they show, the queue's filters and query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.proposals import services as s
from lvzhi.proposals.models import Proposal
from tests.conftest import client_for, user
from tests.proposals.conftest import unit
from tests.proposals.helpers_staff import answered, filed, submitted

QUEUE = "/proposals/staff/"
STATS = "/proposals/staff/stats/"
NEW = "/proposals/staff/new/"


def detail(p) -> str:
    return f"/proposals/staff/{p.pk}/"


def test_the_queue_lists_submitted_proposals_for_tiwei(qiantang, draft):
    p = submitted(qiantang, "关于推进未来乡村建设的建议", name="徐钢", username="xugang")
    r = client_for("tiwei").get(QUEUE)
    assert r.status_code == 200
    html = r.content.decode()
    assert p.title in html and "中国致公党" in html
    assert draft.title not in html  # a member's draft is not the office's business
    assert 'name="ids"' in html and "批量立案" in html


@pytest.mark.parametrize("username", ["zhuzheng", "fgj"])
@pytest.mark.parametrize("page", [QUEUE, STATS, NEW, "detail"])
def test_it_refuses_a_member_and_a_unit(qiantang, username, page):
    p = submitted(qiantang, "关于加强青年人才引进的建议")
    url = detail(p) if page == "detail" else page
    assert client_for(username).get(url).status_code == 403


def test_it_refuses_a_member_posting_an_action(qiantang):
    p = submitted(qiantang, "关于加强青年人才引进的建议")
    r = client_for("zhuzheng").post(detail(p) + "file/")
    assert r.status_code == 403
    p.refresh_from_db()
    assert p.state == "submitted"


def test_a_leader_reads_but_does_not_write(qiantang):
    p = submitted(qiantang, "关于解决地铁口停车难的建议")
    leader = client_for("jinzhiqiang")
    assert p.title in leader.get(QUEUE).content.decode()
    html = leader.get(detail(p)).content.decode()
    assert p.title in html and 'data-testid="actions"' not in html and "批量立案" not in html
    assert leader.get(STATS).status_code == 200
    assert leader.get(NEW).status_code == 403
    assert leader.post(detail(p) + "file/").status_code == 403
    assert leader.post("/proposals/staff/batch/", {"action": "file", "ids": [p.pk]}).status_code == 403
    p.refresh_from_db()
    assert p.state == "submitted" and p.number == ""


def test_another_committees_proposal_is_404(qiantang, hangzhou):
    p = submitted(qiantang, "关于打造钱塘文创品牌的建议")
    office = client_for("hz_office")
    assert office.get(QUEUE).status_code == 200
    assert p.title not in office.get(QUEUE).content.decode()
    assert office.get(detail(p)).status_code == 404


def test_the_detail_shows_proposers_body_assignments_answers_and_timeline(qiantang):
    p = answered(qiantang, "关于推进城市有机更新的建议")
    html = client_for("tiwei").get(detail(p)).content.decode()
    for text in ("朱政", "科技界", "现状存在的问题", "区发展和改革局", "已列入年度计划", p.number, "立案", "交办"):
        assert text in html, text
    # the workflow allows the office to review the answer now, and nothing else of the review steps
    assert "审核通过,送达提案人" in html and "答复退回修改" in html
    assert "不予立案" not in html
    assert 'data-testid="similar"' in html and 'data-testid="suggestion"' in html


def test_the_detail_of_a_submitted_proposal_offers_the_review_actions(qiantang):
    p = submitted(qiantang, "关于完善社区养老服务的建议")
    other = submitted(qiantang, "关于发展社区养老服务的建议")
    html = client_for("tiwei").get(detail(p), {"merge_q": "养老"}).content.decode()
    for label in ("立案", "不予立案", "转为意见建议", "转为社情民意", "退回修改", "并案", "涉及国家秘密"):
        assert label in html, label
    assert f'value="{other.pk}"' in html  # the merge candidate found by title
    assert "交办" not in html.split('data-testid="actions"')[1].split("</section>")[0]


def test_the_queue_filters(qiantang):
    a = filed(qiantang, "关于加快企业数字化转型的建议")
    b = submitted(qiantang, "关于推进未来乡村建设的建议", name="徐钢", username="xugang", category="农业农村")
    s.proposal_assign(proposal=a, by=user("tiwei"), lead_unit=unit(qiantang, "区教育局"))
    Proposal.objects.filter(pk=a.pk).update(due_date=dt.date.today() - dt.timedelta(days=1))
    c = client_for("tiwei")

    def titles(**params):
        html = c.get(QUEUE, params).content.decode()
        return {t for t in (a.title, b.title) if t in html}

    assert titles() == {a.title, b.title}
    assert titles(state="submitted") == {b.title}
    assert titles(q="数字化") == {a.title}
    assert titles(q=a.number) == {a.title}
    assert titles(overdue="1") == {a.title}
    assert titles(overdue="0") == {b.title}
    assert titles(unit=unit(qiantang, "区教育局").pk) == {a.title}
    assert titles(party=b.lead.party_id) == {b.title}
    assert titles(sector=a.lead.sector_id) == {a.title}
    assert titles(category=b.category_id) == {b.title}
    assert titles(session=a.session_id) == {a.title, b.title}
    assert titles(state="nonsense", unit="x") == {a.title, b.title}  # a bad filter is ignored, no 500


def test_overdue_answers_and_pending_evaluations_are_red(qiantang):
    late = filed(qiantang, "关于加快企业数字化转型的建议")
    s.proposal_assign(proposal=late, by=user("tiwei"), lead_unit=unit(qiantang, "区教育局"))
    Proposal.objects.filter(pk=late.pk).update(due_date=dt.date.today() - dt.timedelta(days=1))
    waiting = answered(qiantang, "关于推进城市有机更新的建议")
    s.answer_approve(proposal=waiting, by=user("tiwei"))
    fine = filed(qiantang, "关于完善社区养老服务的建议")
    html = client_for("tiwei").get(QUEUE).content.decode()
    rows = {p.title: html.split(p.title)[0].rsplit("<tr", 1)[1] for p in (late, waiting, fine)}
    assert 'class="alert"' in rows[late.title] and 'class="alert"' in rows[waiting.title]
    assert 'class="alert"' not in rows[fine.title]
    assert "已逾期" in html and "待评价" in html


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(QUEUE).status_code == 200
    return len(ctx.captured_queries)


def test_the_queue_query_count_does_not_grow_with_rows(qiantang):
    c = client_for("tiwei")
    a = filed(qiantang, "关于加快企业数字化转型的建议")
    s.proposal_assign(proposal=a, by=user("tiwei"), lead_unit=unit(qiantang, "区教育局"))
    c.get(QUEUE)  # warm the per-process caches
    few = _queue_queries(c)
    for i in range(8):
        p = filed(qiantang, f"关于第{i}个社区议题的建议", name="徐钢", username="xugang")
        s.proposal_assign(
            proposal=p,
            by=user("tiwei"),
            lead_unit=unit(qiantang, "区教育局"),
            co_units=[unit(qiantang, "区发展和改革局")],
        )
    assert _queue_queries(c) == few
    assert few <= 14


def test_the_queue_pages_by_50(qiantang):
    for i in range(52):
        Proposal.objects.create(
            committee=qiantang,
            term=qiantang_term(qiantang),
            created_by=user("tiwei"),
            collective_name="科技界",
            kind="collective",
            title=f"批量提案{i:02d}",
            state="submitted",
        )
    c = client_for("tiwei")
    r = c.get(QUEUE)
    total = r.context["page"].paginator.count
    assert total >= 52
    pages = -(-total // 50)
    assert r.content.decode().count('name="ids"') == 50 and f"第 1 / {pages} 页" in r.content.decode()
    last = c.get(QUEUE, {"page": pages}).content.decode()
    assert last.count('name="ids"') == total - 50 * (pages - 1)


def qiantang_term(committee):
    from lvzhi.org.models import Term

    return Term.objects.for_committee(committee).first()


def test_statistics(qiantang):
    c = client_for("tiwei")
    before = c.get(STATS).context["s"]
    p = answered(qiantang, "关于推进城市有机更新的建议")
    s.answer_approve(proposal=p, by=user("tiwei"))
    s.evaluation_submit(proposal=p, by=user("zhuzheng"), rating="satisfied")
    late = filed(qiantang, "关于加快企业数字化转型的建议", name="徐钢", username="xugang")
    s.proposal_assign(proposal=late, by=user("tiwei"), lead_unit=unit(qiantang, "区教育局"))
    Proposal.objects.filter(pk=late.pk).update(due_date=dt.date.today() - dt.timedelta(days=1))
    submitted(qiantang, "关于完善社区养老服务的建议")
    r = c.get(STATS)
    after = r.context["s"]

    def delta(key):
        old, new = dict(before[key]), dict(after[key])
        return {k: new.get(k, 0) - old.get(k, 0) for k in new if new.get(k, 0) != old.get(k, 0)}

    def unit_delta():
        old = {u["unit__name"]: u["n"] for u in before["by_unit"]}
        return {u["unit__name"]: u["n"] - old.get(u["unit__name"], 0) for u in after["by_unit"]}

    assert after["total"] - before["total"] == 3
    assert delta("by_state") == {"已办结": 1, "已交办": 1, "待审查": 1}
    assert sum(delta("by_sector").values()) == 3 and delta("by_sector")["科技界"] >= 2
    assert delta("by_party") == {"群众": 2, "中国致公党": 1}
    assert {k: v for k, v in unit_delta().items() if v} == {"区发展和改革局": 1, "区教育局": 1}
    assert after["answers"] - before["answers"] == 1 and after["on_time"] - before["on_time"] == 1
    assert after["overdue"] - before["overdue"] == 1
    sat = {str(label): n for label, n, _pct in after["satisfaction"]}
    sat0 = {str(label): n for label, n, _pct in before["satisfaction"]}
    assert {k: sat[k] - sat0[k] for k in sat} == {"满意": 1, "基本满意": 0, "不满意": 0}
    html = r.content.decode()
    assert "按期答复率" in html and "区教育局" in html and str(after["overdue"]) in html
    # the session filter counts only that session's proposals
    from lvzhi.org.models import Session

    for session in Session.objects.for_committee(qiantang):
        expected = (
            Proposal.objects.for_committee(qiantang).filter(session=session).exclude(state__in=["draft", "withdrawn"])
        )
        assert c.get(STATS, {"session": session.pk}).context["s"]["total"] == expected.count()
