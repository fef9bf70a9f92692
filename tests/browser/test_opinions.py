"""A report from a contact point to adoption at city level with an instruction, each person in their own
browser: 信息员 lianluo writes a resident's report on a 375 px phone for his contact point and submits it;
钱塘 staff xinxi accepts it on a desktop, opens issue N of 《社情民意》, publishes the report in it and
forwards it to 杭州市政协; 杭州 staff hz_office finds it in the city queue, records the city-level adoption
and a city leader's instruction; lianluo sees both on his phone, with the report's status in 杭州市政协."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lvzhi.core.models import Event
from lvzhi.opinions.models import Adoption, Instruction, OpinionReport
from tests.browser.conftest import DESKTOP, PHONE, _page, log_in

TITLE = "关于江东大道公交站台增设遮雨棚的建议"
SITUATION = "联系点收到附近居民反映,江东大道多个公交站台没有遮雨棚,雨天老人和学生候车只能淋雨。"
SUGGESTION = "建议区交通运输部门排查沿线站台,分批增设遮雨棚和座椅,并与站台改造同步实施。"


@pytest.fixture
def people(browser, site):
    contexts, pages = [], {}
    for key, username, options in (
        ("lianluo", "lianluo", PHONE),
        ("xinxi", "xinxi", DESKTOP),
        ("hz", "hz_office", DESKTOP),
    ):
        context, page = _page(browser, options)
        page.set_default_timeout(45000)
        log_in(page, site, username)
        contexts.append(context)
        pages[key] = page
    yield pages
    for context in contexts:
        context.close()


def _post(page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    assert page.locator(".errorlist").count() == 0, page.locator(".errorlist").first.inner_text()


def test_a_contact_point_report_to_city_adoption_with_an_instruction(site, people):
    phone, xinxi, hz = people["lianluo"], people["xinxi"], people["hz"]
    today = timezone.localdate().isoformat()

    # 1. the reporter writes on the phone, for the contact point, with the resident's data
    phone.goto(f"{site}/opinions/")
    _post(phone, phone.get_by_test_id("write-report"))
    phone.fill("input[name=title]", TITLE)
    phone.select_option("select[name=topic]", "城乡建设")
    phone.fill("textarea[name=situation]", SITUATION)
    phone.fill("textarea[name=suggestion]", SUGGESTION)
    phone.fill("input[name=resident_name]", "陈阿婆")
    phone.fill("input[name=resident_phone]", "13811112222")
    _post(phone, phone.get_by_test_id("submit"))
    expect(phone.get_by_test_id("state")).to_have_text("待采编")
    expect(phone.get_by_test_id("report-head")).to_contain_text("社情民意联系点")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    report = OpinionReport.objects.get(title=TITLE)
    assert report.source == "contact_point" and report.resident_phone == "13811112222"

    # 2. 钱塘 staff: accept, open an issue, publish in it, forward to 杭州市政协
    xinxi.goto(f"{site}/opinions/staff/?state=submitted")
    _post(xinxi, xinxi.get_by_role("link", name=TITLE))
    expect(xinxi.get_by_test_id("resident")).to_contain_text("13811112222")
    _post(xinxi, xinxi.get_by_test_id("accept"))
    expect(xinxi.get_by_test_id("state")).to_have_text("拟编发")
    xinxi.goto(f"{site}/opinions/staff/issues/")
    xinxi.fill("input[name=date]", today)
    xinxi.fill("input[name=title]", "城乡建设专刊")
    _post(xinxi, xinxi.get_by_test_id("new-issue"))
    issue_title = xinxi.get_by_test_id("issue-title").inner_text()
    _post(xinxi, xinxi.get_by_test_id("publish"))  # the accepted report is ticked
    expect(xinxi.get_by_test_id("issue-reports")).to_contain_text(TITLE)
    _post(xinxi, xinxi.get_by_role("link", name=TITLE))
    expect(xinxi.get_by_test_id("state")).to_have_text("已刊发")
    _post(xinxi, xinxi.get_by_test_id("forward"))
    expect(xinxi.get_by_test_id("forwarded")).to_contain_text("已报送杭州市政协")
    report.refresh_from_db()
    assert report.state == "published" and report.issue.number and str(report.issue) in issue_title

    # 3. 杭州 staff: the report is in the city queue; record the city adoption and the instruction
    hz.goto(f"{site}/opinions/staff/")
    expect(hz.get_by_test_id("queue")).to_contain_text("钱塘区政协报送")
    _post(hz, hz.get_by_role("link", name=TITLE))
    expect(hz.get_by_test_id("forwarded-from")).to_contain_text("钱塘区政协")
    assert hz.get_by_test_id("resident").count() == 0  # residents' data stays with the district
    form = hz.get_by_test_id("adoption-form")
    form.locator("select[name=level]").select_option("city")
    form.locator("input[name=body]").fill("杭州市委办公厅《每日要情》")
    form.locator("input[name=date]").fill(today)
    _post(hz, hz.get_by_test_id("adopt"))
    expect(hz.get_by_test_id("adoption-city")).to_contain_text("杭州市委办公厅《每日要情》")
    form = hz.get_by_test_id("instruction-form")
    form.locator("select[name=level]").select_option("city")
    form.locator("input[name=leader]").fill("杭州市副市长")
    form.locator("textarea[name=text]").fill("请市交通运输局会同钱塘区统筹推进站台遮雨设施建设。")
    form.locator("input[name=date]").fill(today)
    _post(hz, hz.get_by_test_id("instruct"))
    expect(hz.get_by_test_id("instructions")).to_contain_text("杭州市副市长")
    # a second city-level adoption is refused with a clear message
    form = hz.get_by_test_id("adoption-form")
    form.locator("select[name=level]").select_option("city")
    form.locator("input[name=body]").fill("另一单位")
    form.locator("input[name=date]").fill(today)
    with hz.expect_navigation():
        hz.get_by_test_id("adopt").click()
    expect(hz.locator("body")).to_contain_text("同一层级只记录一次")

    # 4. the reporter sees the adoption and the instruction, and the report's status upstairs
    phone.goto(f"{site}/opinions/{report.pk}/")
    expect(phone.get_by_test_id("adoption-city")).to_contain_text("杭州市委办公厅《每日要情》")
    expect(phone.get_by_test_id("instructions")).to_contain_text("请市交通运输局会同钱塘区统筹推进站台遮雨设施建设。")
    expect(phone.get_by_test_id("forwards")).to_contain_text("杭州市政协")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    assert Adoption.objects.filter(root=report).count() == 1
    assert Instruction.objects.get(root=report).leader == "杭州市副市长"
    assert Event.objects.filter(action="opinion.adopt", subject_id=report.pk, data__level="city").exists()
    assert Event.objects.filter(action="opinion.publish", subject_id=report.pk).exists()
    assert not (phone.js_errors or xinxi.js_errors or hz.js_errors)
