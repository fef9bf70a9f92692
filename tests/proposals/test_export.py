"""Word and Excel exports: /proposals/export/<pk>.docx, /proposals/export/volume/<session>.docx and
/proposals/export/list.xlsx."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from lvzhi.core.permissions import roles_of
from lvzhi.proposals import queries
from lvzhi.proposals import services as s
from lvzhi.proposals.models import Category, Proposal
from tests.conftest import client_for, user
from tests.proposals.conftest import member, unit


def replied(proposal, qiantang, *, category="A", text="已将科技金融服务列入年度计划并落实。"):
    """Assign to 区发展和改革局, which accepts and answers; the office approves."""
    s.proposal_assign(proposal=proposal, by=user("tiwei"), lead_unit=unit(qiantang, "区发展和改革局"))
    s.assignment_accept(proposal=proposal, by=user("fgj"))
    s.answer_submit(proposal=proposal, by=user("fgj"), category=category, text=text)
    s.answer_approve(proposal=proposal, by=user("tiwei"))
    proposal.refresh_from_db()
    return proposal


def new_filed(qiantang, name: str, username: str, title: str):
    p = s.proposal_create(
        committee=qiantang,
        by=user(username),
        lead=member(qiantang, name),
        title=title,
        category=Category.objects.get(committee=qiantang, name="城乡建设"),
        problem="问题:" + title,
        suggestion="建议:" + title,
    )
    s.proposal_submit(proposal=p, by=user(username))
    s.proposal_file(proposal=p, by=user("tiwei"))
    p.refresh_from_db()
    return p


def text_of(response) -> str:
    doc = Document(io.BytesIO(response.content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


# --------------------------------------------------------------------------- one proposal


def test_the_proposal_opens_in_word_with_number_proposers_and_answer(qiantang, draft):
    [inv] = s.cosigner_invite(proposal=draft, members=[member(qiantang, "徐钢")], by=user("zhuzheng"))
    s.cosigner_respond(cosigner=inv, by=user("xugang"), confirm=True)
    s.proposal_submit(proposal=draft, by=user("zhuzheng"))
    s.proposal_file(proposal=draft, by=user("tiwei"))
    replied(draft, qiantang)

    r = client_for("zhuzheng").get(f"/proposals/export/{draft.pk}.docx")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in r["Content-Disposition"]
    text = text_of(r)
    assert qiantang.name in text and "提　　案" in text
    assert draft.number in text and draft.title in text
    assert "朱政" in text and "科技界" in text  # lead with sector
    assert "徐钢(" in text  # co-signer with sector
    assert "科技创新" in text  # category
    assert draft.problem in text and draft.analysis in text and draft.suggestion in text
    assert "立案" in text and "区发展和改革局(主办)" in text
    assert "A 已解决或采纳" in text and "已将科技金融服务列入年度计划并落实。" in text
    assert "13900000118" not in text  # no mobile number in the document


def test_the_document_is_a4_with_chinese_fonts(qiantang, filed):
    doc = Document(io.BytesIO(client_for("tiwei").get(f"/proposals/export/{filed.pk}.docx").content))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"


def test_a_member_reads_an_answer_only_once_the_office_approved_it(qiantang, filed):
    s.proposal_assign(proposal=filed, by=user("tiwei"), lead_unit=unit(qiantang, "区发展和改革局"))
    s.assignment_accept(proposal=filed, by=user("fgj"))
    s.answer_submit(proposal=filed, by=user("fgj"), category="B", text="正在研究落实方案。")
    assert "正在研究落实方案" not in text_of(client_for("zhuzheng").get(f"/proposals/export/{filed.pk}.docx"))
    staff = text_of(client_for("tiwei").get(f"/proposals/export/{filed.pk}.docx"))
    assert "正在研究落实方案" in staff and "待提案委审核" in staff


@pytest.mark.parametrize("username", ["xugang", "jyj", "hz_office"])
def test_who_may_not_see_the_proposal_gets_404(filed, username):
    # another member, a unit it was not assigned to, another committee's staff
    assert client_for(username).get(f"/proposals/export/{filed.pk}.docx").status_code == 404


def test_another_members_draft_is_404_and_the_anonymous_are_sent_to_log_in(draft):
    assert client_for("xugang").get(f"/proposals/export/{draft.pk}.docx").status_code == 404
    assert client_for("tiwei").get(f"/proposals/export/{draft.pk}.docx").status_code == 404  # staff: no drafts
    r = client_for("zhuzheng").get(f"/proposals/export/{draft.pk}.docx")
    assert r.status_code == 200 and "未编号" in text_of(r)
    from django.test import Client

    r = Client().get(f"/proposals/export/{draft.pk}.docx")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


# --------------------------------------------------------------------------- the compiled volume


def test_the_volume_has_every_filed_proposal_of_the_session_in_number_order_and_a_toc(qiantang, filed):
    second = new_filed(qiantang, "徐钢", "xugang", "关于推进未来乡村建设的建议")
    third = new_filed(qiantang, "茅徐程", "maoxucheng", "关于打造钱塘文创品牌的建议")
    replied(second, qiantang, category="B", text="未来乡村建设已列入计划。")
    unfiled = s.proposal_create(
        committee=qiantang, by=user("zhuzheng"), lead=member(qiantang, "朱政"), title="关于地铁口停车的建议"
    )
    r = client_for("tiwei").get(f"/proposals/export/volume/{filed.session_id}.docx")
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.content))
    xml = doc.element.xml
    assert "TOC \\o" in xml  # the TOC field Word fills on open
    assert doc.settings.element.xpath("w:updateFields")
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    expected = list(Proposal.objects.filter(session=filed.session, serial__isnull=False).order_by("serial"))
    assert headings == [f"{p.number}　{p.title}" for p in expected]
    mine = [f"{p.number}　{p.title}" for p in (filed, second, third)]
    assert [h for h in headings if h in mine] == mine  # in number order
    text = text_of(r)
    numbers = [p.number for p in expected]
    listed = [line.split("　")[0] for line in text.splitlines() if line.startswith(tuple(numbers)) and "　" in line]
    assert listed[: len(numbers)] == numbers  # the written table of contents, then the headings
    assert "未来乡村建设已列入计划。" in text and "B 正在解决或列入计划" in text
    assert unfiled.title not in text
    assert "提 案 汇 编" in text and f"共 {len(expected)} 件" in text


def test_the_volume_needs_the_view_all_perm_and_the_committees_session(qiantang, hangzhou, filed):
    assert client_for("zhuzheng").get(f"/proposals/export/volume/{filed.session_id}.docx").status_code == 403
    assert client_for("fgj").get(f"/proposals/export/volume/{filed.session_id}.docx").status_code == 403
    from lvzhi.org.models import Session

    other = Session.objects.filter(committee=hangzhou).first()
    assert client_for("tiwei").get(f"/proposals/export/volume/{other.pk}.docx").status_code == 404
    assert client_for("jinzhiqiang").get(f"/proposals/export/volume/{filed.session_id}.docx").status_code == 200


# --------------------------------------------------------------------------- Excel


def rows_of(response):
    wb = load_workbook(io.BytesIO(response.content))
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def test_the_list_is_read_back_from_excel_with_the_queue_filters(qiantang, filed):
    second = new_filed(qiantang, "徐钢", "xugang", "关于推进未来乡村建设的建议")
    replied(second, qiantang, category="B")
    office = client_for("tiwei")
    rows = rows_of(office.get("/proposals/export/list.xlsx"))
    head, body = rows[0], rows[1:]
    assert head[:4] == ["提案号", "案由", "提案人", "界别"]
    by_number = {r[0]: r for r in body}
    assert set(by_number) >= {filed.number, second.number}
    row = by_number[second.number]
    assert row[1] == second.title and row[2] == "徐钢" and row[5] == "城乡建设"
    assert row[8] == "已答复" and "区发展和改革局(主办)" in row[11] and row[13] == "B 正在解决或列入计划"

    cat = Category.objects.get(committee=qiantang, name="科技创新")
    tiwei = user("tiwei")
    seen = queries.visible(tiwei, qiantang, roles_of(tiwei, qiantang))
    only = rows_of(office.get("/proposals/export/list.xlsx", {"category": cat.pk}))[1:]
    assert {r[1] for r in only} == set(seen.filter(category=cat).values_list("title", flat=True))
    assert filed.number in {r[0] for r in only} and second.number not in {r[0] for r in only}
    replied_only = rows_of(office.get("/proposals/export/list.xlsx", {"state": "replied"}))[1:]
    assert {r[1] for r in replied_only} == set(seen.filter(state="replied").values_list("title", flat=True))
    assert second.number in {r[0] for r in replied_only} and filed.number not in {r[0] for r in replied_only}
    # an invalid filter is ignored, never a 500
    assert office.get("/proposals/export/list.xlsx", {"category": "x", "session": "999999"}).status_code == 200


def test_a_member_exports_only_their_own_proposals(qiantang, filed):
    other = new_filed(qiantang, "徐钢", "xugang", "关于推进未来乡村建设的建议")
    rows = rows_of(client_for("zhuzheng").get("/proposals/export/list.xlsx"))[1:]
    zhu = user("zhuzheng")
    own = queries.visible(zhu, qiantang, roles_of(zhu, qiantang)).exclude(state__in=["draft", "withdrawn"])
    assert {r[1] for r in rows} >= set(own.values_list("title", flat=True))
    assert filed.number in {r[0] for r in rows} and other.number not in {r[0] for r in rows}
    assert all("13900000118" not in str(c) for r in rows for c in r)
