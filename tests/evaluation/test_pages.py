"""The pages people use: the member's 履职 tab down to a line's source, the record, the report in Word; the
staff table with filters, the chart, the Excel export, the rules editor; wrong roles 403, other committees
404."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone
from docx import Document

from lvzhi.evaluation.models import AnnualReport, LedgerLine, RuleSet, Warning
from lvzhi.evaluation.rules import fmt
from lvzhi.org.models import Member
from tests.conftest import client_for

from .conftest import member

YEAR = timezone.localdate().year


def test_member_home_shows_score_by_category_and_rank(qiantang):
    zhu = member(qiantang, "朱政")
    r = client_for("zhuzheng").get("/evaluation/?year=2021")
    assert r.status_code == 200
    html = r.content.decode()
    total = sum(LedgerLine.objects.filter(member=zhu, year=2021).values_list("points", flat=True), Decimal(0))
    assert f'data-testid="total">{fmt(total)}<' in html
    assert "会议出席" in html and "发言与协商" in html and 'data-testid="rank"' in html
    # every line links to its source: the meeting page, the proposal page
    plenary_line = LedgerLine.objects.get(member=zhu, year=2021, rule__kind="plenary_present")
    meeting_id = plenary_line.event.subject.meeting_id
    assert f'href="/meetings/{meeting_id}/"' in html
    proposal_line = LedgerLine.objects.filter(member=zhu, year=2021, rule__kind="proposal_filed").first()
    assert f'href="/proposals/{proposal_line.event.subject_id}/"' in html
    # the source pages open for the member
    assert client_for("zhuzheng").get(f"/meetings/{meeting_id}/").status_code == 200


def test_member_home_hides_rank_when_the_committee_says_so(qiantang):
    qiantang.config = {**qiantang.config, "evaluation.show_rank": False}
    qiantang.save()
    html = client_for("zhuzheng").get("/evaluation/?year=2021").content.decode()
    assert 'data-testid="rank"' not in html


def test_line_detail_explains_the_rule(qiantang):
    line = LedgerLine.objects.filter(member__name="朱政", year=2021, rule__kind="plenary_present").first()
    html = client_for("zhuzheng").get(f"/evaluation/lines/{line.pk}/").content.decode()
    assert "每次加 5 分" in html and 'data-testid="source-link"' in html


def test_a_member_cannot_see_another_members_line(qiantang):
    line = LedgerLine.objects.filter(member__name="朱政", year=2021).first()
    assert client_for("xugang").get(f"/evaluation/lines/{line.pk}/").status_code == 404


def test_record_covers_the_term(qiantang):
    html = client_for("zhuzheng").get("/evaluation/record/").content.decode()
    assert html.count('data-testid="record-year"') >= YEAR - 2021 + 1
    assert "2021 年度" in html


def test_rules_page_explains_every_value(qiantang):
    html = client_for("zhuzheng").get("/evaluation/rules/?year=2021").content.decode()
    assert "每次加 15 分;多人合作(联名)时,第一作者(第一提案人)得全部分值,其他人各得 20%,即 3 分" in html
    assert "全年最多计 10 分" in html and "无故缺席全体会议达到 2 次" in html


def test_report_page_and_word_export(qiantang):
    c = client_for("zhuzheng")
    r = c.get("/evaluation/report/2021/")
    assert r.status_code == 200 and "一、参加会议" in r.content.decode()
    report = AnnualReport.objects.get(member__name="朱政", year=2021)
    r = c.post(
        "/evaluation/report/2021/", {"title": "我的述职", "text": "一、参加会议\n全勤。", "version": report.version}
    )
    assert r.status_code == 302
    assert AnnualReport.objects.get(pk=report.pk).state == "draft"
    r = c.post(
        "/evaluation/report/2021/",
        {"title": "我的述职", "text": "一、参加会议\n全勤。", "version": report.version + 1, "action": "submit"},
    )
    assert r.status_code == 302
    assert AnnualReport.objects.get(pk=report.pk).state == "submitted"
    r = c.post("/evaluation/report/2021/", {"title": "x", "text": "y", "version": report.version + 2})
    assert r.status_code == 422 and "已提交" in r.content.decode()
    r = c.get("/evaluation/report/2021/word/")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "我的述职" in text and "全勤。" in text


def test_report_save_refusal_shows_message_and_keeps_text(qiantang):
    c = client_for("zhuzheng")
    c.get("/evaluation/report/2021/")
    report = AnnualReport.objects.get(member__name="朱政", year=2021)
    r = c.post("/evaluation/report/2021/", {"title": "t", "text": "", "version": report.version})
    assert r.status_code == 422 and "请填写述职内容" in r.content.decode()
    assert AnnualReport.objects.get(pk=report.pk).text == report.text


@pytest.mark.parametrize("username", ["office", "jinzhiqiang", "tiwei"])
def test_staff_and_leaders_see_the_table(qiantang, username):
    r = client_for(username).get("/evaluation/staff/?year=2021")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-testid="scores"' in html and 'data-testid="distribution"' in html and "<svg" in html
    assert "徐钢" in html


def test_staff_filters_and_paginates(qiantang):
    c = client_for("office")
    sector = member(qiantang, "朱政").sector
    html = c.get(f"/evaluation/staff/?year=2021&sector={sector.pk}").content.decode()
    n = Member.objects.filter(committee=qiantang, state="active", sector=sector).count()
    assert f"共 {n} 位委员" in html and "朱政" in html and "徐钢" not in html
    page2 = c.get("/evaluation/staff/?year=2021&page=2").content.decode()
    assert "第 2 / 5 页" in page2


def test_excel_export_holds_every_filtered_member(qiantang):
    r = client_for("office").get("/evaluation/staff/export/?year=2021")
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][1] == "姓名" and rows[0][-1] == "总积分"
    assert len(rows) - 1 == Member.objects.filter(committee=qiantang, state="active").count()
    by_name = {row[1]: row[-1] for row in rows[1:]}
    xu = sum(LedgerLine.objects.filter(member__name="徐钢", year=2021).values_list("points", flat=True), Decimal(0))
    assert Decimal(str(by_name["徐钢"])) == xu


def test_members_cannot_open_staff_pages_and_staff_cannot_edit_rules(qiantang):
    zhu = client_for("zhuzheng")
    assert zhu.get("/evaluation/staff/").status_code == 403
    assert zhu.get("/evaluation/staff/export/").status_code == 403
    rs = RuleSet.objects.get(committee=qiantang, year=YEAR)
    r = client_for("huiwu").post(f"/evaluation/staff/rules/{YEAR}/save/", {"plenary_present-points": "99"})
    assert r.status_code == 403
    assert rs.rules.get(kind="plenary_present").points == 5
    assert client_for("tiwei").get("/evaluation/").status_code == 403  # staff have no 履职 tab


def test_another_committees_rows_are_404(qiantang, hangzhou):
    warning = Warning.objects.filter(committee=qiantang).first()
    report = AnnualReport.objects.filter(committee=qiantang).first()
    c = client_for("hz_office")
    assert c.get(f"/evaluation/staff/warnings/{warning.pk}/").status_code == 404
    assert c.get(f"/evaluation/staff/reports/{report.pk}/").status_code == 404
    zhu = member(qiantang, "朱政")
    assert c.get(f"/evaluation/staff/members/{zhu.pk}/").status_code == 404


def test_rules_editor_saves_and_refuses_negative_cap(qiantang):
    c = client_for("office")
    r = c.post(
        f"/evaluation/staff/rules/{YEAR}/save/", {"activity_present-cap": "-1", "absence_limit": "2", "min_score": "0"}
    )
    assert r.status_code == 422 and "年度上限不能为负数" in r.content.decode()
    rs = RuleSet.objects.get(committee=qiantang, year=YEAR)
    assert rs.rules.get(kind="activity_present").cap == 10
    r = c.post(
        f"/evaluation/staff/rules/{YEAR}/save/", {"activity_present-cap": "12", "absence_limit": "3", "min_score": "0"}
    )
    assert r.status_code == 302
    assert rs.rules.get(kind="activity_present").cap == 12
    r = c.post("/evaluation/staff/rules/2021/save/", {"plenary_present-points": "9"})
    assert r.status_code == 422 and "已关账" in r.content.decode()


def test_adjustment_page(qiantang):
    c = client_for("office")
    zhu = member(qiantang, "朱政")
    before = LedgerLine.objects.filter(member=zhu, year=YEAR).count()
    r = c.post(f"/evaluation/staff/adjustments/?year={YEAR}", {"member": zhu.pk, "points": "2", "reason": ""})
    assert r.status_code == 422 and "必须填写理由" in r.content.decode()
    assert LedgerLine.objects.filter(member=zhu, year=YEAR).count() == before
    r = c.post(f"/evaluation/staff/adjustments/?year={YEAR}", {"member": zhu.pk, "points": "2", "reason": "补登活动"})
    assert r.status_code == 302
    assert LedgerLine.objects.filter(member=zhu, year=YEAR).count() == before + 1


def test_warning_page_decision(qiantang):
    warning = Warning.objects.filter(committee=qiantang, state="open").first()
    c = client_for("office")
    html = c.get(f"/evaluation/staff/warnings/{warning.pk}/").content.decode()
    assert warning.member.name in html and 'data-testid="decide"' in html
    r = c.post(f"/evaluation/staff/warnings/{warning.pk}/", {"action": "dismiss", "reason": ""})
    assert r.status_code == 422 and "需要填写理由" in r.content.decode()
    r = c.post(f"/evaluation/staff/warnings/{warning.pk}/", {"action": "open_exit", "reason": "多次无故缺席"})
    assert r.status_code == 302
    warning.refresh_from_db()
    assert warning.state == "exit_opened" and warning.exit_review_id
    assert (
        client_for("jinzhiqiang").post(f"/evaluation/staff/warnings/{warning.pk}/", {"action": "dismiss"}).status_code
        == 403
    )


def test_staff_report_word(qiantang):
    report = AnnualReport.objects.get(committee=qiantang, member__name="徐钢", year=2021)
    r = client_for("office").get(f"/evaluation/staff/reports/{report.pk}/word/")
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert report.title in text and "履职点评" in text


def test_every_line_of_this_year_names_its_source_in_words(qiantang):
    """Each line says what it came from (the speech's title, the report's title), never a model's raw
    'Speech object (1)': the demo year has lines from every capability."""
    kinds = set(
        LedgerLine.objects.filter(member=member(qiantang, "朱政"), year=YEAR).values_list("rule__kind", flat=True)
    )
    assert {"consultation_oral", "opinion_published"} <= kinds, kinds
    html = client_for("zhuzheng").get("/evaluation/").content.decode()
    assert " object (" not in html


def test_word_export_makes_headings_of_chinese_and_english_section_titles(qiantang):
    from lvzhi.evaluation.drafting import report_docx

    assert client_for("zhuzheng").get("/evaluation/report/2021/").status_code == 200  # drafts the report
    report = AnnualReport.objects.get(member__name="朱政", year=2021)
    report.text = "一、参加会议\n全勤。\n2. Proposals\nTwo filed.\n2026. A year, not a heading"
    doc = report_docx(report)
    styles = {p.text: p.style.name for p in doc.paragraphs if p.text}
    assert styles["一、参加会议"].startswith("Heading") and styles["2. Proposals"].startswith("Heading")
    assert not styles["全勤。"].startswith("Heading") and not styles["Two filed."].startswith("Heading")
    assert not styles["2026. A year, not a heading"].startswith("Heading")
