"""履职积分 in Chromium: 朱政 is checked in at today's plenary (the desk) and his joint proposal with 徐钢 is
filed; on his 375 px phone the 履职 tab shows the points as they arrived (derived as the events commit), he
clicks the check-in line down to the meeting and the proposal line down to the proposal, opens his annual
report drafted from the year's record and downloads it as Word. The office sees every member's score on
the desktop table and filters it by sector."""

import io
import re
from decimal import Decimal

from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from lvzhi.evaluation.models import LedgerLine
from lvzhi.evaluation.rules import fmt
from lvzhi.meetings import services as ms
from lvzhi.meetings.models import Invitation
from lvzhi.org.models import Member
from tests.browser.conftest import log_in
from tests.conftest import user
from tests.evaluation.conftest import joint_proposal, meeting

YEAR = timezone.localdate().year


def test_member_follows_points_to_their_source_and_report(site, phone, desktop):
    from lvzhi.org.demo import QIANTANG
    from lvzhi.org.models import Committee

    qiantang = Committee.objects.get(name=QIANTANG)
    zhu = Member.objects.get(committee=qiantang, name="朱政")
    plenary = meeting(qiantang, title="一届二次会议第一次全体会议(演练)")
    ms.check_in(invitation=ms.invitation_for(plenary, zhu), by=user("huiwu"), method=Invitation.Method.DESK)
    proposal = joint_proposal(qiantang)
    total = sum(LedgerLine.objects.filter(member=zhu, year=YEAR).values_list("points", flat=True), Decimal(0))
    assert LedgerLine.objects.filter(member=zhu, year=YEAR, event__action="attendance.check_in").exists()

    log_in(phone, site, "zhuzheng")
    phone.goto(f"{site}/")
    phone.get_by_role("link", name=re.compile("履职")).last.click()
    phone.wait_for_url(f"{site}/evaluation/")
    expect(phone.get_by_test_id("total")).to_have_text(fmt(total))
    expect(phone.get_by_test_id("rank")).to_be_visible()
    box = phone.get_by_test_id("score").bounding_box()
    assert box["width"] <= 375

    phone.get_by_role("link", name=re.compile("一届二次会议第一次全体会议")).first.click()
    phone.wait_for_url(f"{site}/meetings/{plenary.pk}/")
    expect(phone.get_by_test_id("meeting-head")).to_contain_text("一届二次会议第一次全体会议")
    phone.go_back()
    phone.get_by_role("link", name=re.compile(proposal.title)).first.click()
    phone.wait_for_url(f"{site}/proposals/{proposal.pk}/")
    expect(phone.locator("body")).to_contain_text(proposal.title)
    phone.go_back()

    phone.get_by_test_id("report-link").click()
    expect(phone.get_by_test_id("report")).to_contain_text("一、参加会议")
    expect(phone.locator("textarea[name=text]")).to_contain_text("一届二次会议第一次全体会议")
    with phone.expect_download() as info:
        phone.get_by_test_id("report-word").click()
    text = "\n".join(p.text for p in Document(io.BytesIO(open(info.value.path(), "rb").read())).paragraphs)
    assert proposal.title in text and "一届二次会议第一次全体会议" in text
    assert phone.js_errors == []

    log_in(desktop, site, "office")
    desktop.goto(f"{site}/evaluation/staff/?year={YEAR}")
    table = desktop.get_by_test_id("scores")
    expect(table).to_contain_text("朱政")
    expect(desktop.get_by_test_id("distribution")).to_be_visible()
    desktop.select_option("select[name=sector]", str(zhu.sector_id))
    desktop.get_by_role("button", name="筛选").click()
    expect(table).to_contain_text("朱政")
    expect(table).not_to_contain_text("徐钢")
    assert desktop.js_errors == []
