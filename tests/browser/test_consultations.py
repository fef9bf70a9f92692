"""A consultation from the plan to an outcome whose recommendation is adopted, implemented and fed back,
each person in their own browser: 专委会 staff zhuanwei drafts the 2027 plan with a topic and submits it;
the office (office) approves it; zhuanwei arranges the consultation from the topic, invites 朱政, who hands
in a written opinion from his phone; zhuanwei holds it, drafts the outcome with a recommendation for
区发展和改革局 and sends it; the department (fgj) answers 采纳, records a step and feeds back; zhuanwei
publishes; a visitor without an account reads the department's feedback on the public page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lvzhi.consultations.models import Consultation, Outcome, Plan, Response
from lvzhi.org.models import Member
from tests.browser.conftest import DESKTOP, PHONE, _page, log_in

TOPIC = "数字经济高质量发展"
REC = "设立数字经济产业引导基金,支持平台企业做大做强。"
FEEDBACK = "引导基金已于本年度设立,首期规模 5 亿元。"


@pytest.fixture
def people(browser, site):
    contexts, pages = [], {}
    for key, username, options in (
        ("staff", "zhuanwei", DESKTOP),
        ("office", "office", DESKTOP),
        ("member", "zhuzheng", PHONE),
        ("unit", "fgj", DESKTOP),
    ):
        context, page = _page(browser, options)
        page.set_default_timeout(45000)  # a loaded machine
        log_in(page, site, username)
        contexts.append(context)
        pages[key] = page
    yield pages
    for context in contexts:
        context.close()


def _post(page, selector: str) -> None:
    """Click a button that posts a form; wait for the page the POST leads to."""
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator(selector).first.click()
    page.wait_for_load_state()
    expect(page.locator(".msg-error")).to_have_count(0)


def test_a_consultation_from_the_plan_to_the_departments_feedback(site, people, browser):
    staff, office, member, dept = people["staff"], people["office"], people["member"], people["unit"]

    # 1. the special-committee staff draft the 2027 plan with one topic and submit it
    staff.goto(f"{site}/consultations/staff/")
    staff.fill("[data-testid=plan-form] [name=year]", "2027")
    _post(staff, "[data-testid=plan-form] button")
    expect(staff.get_by_test_id("plan-state")).to_have_text("草稿")
    form = staff.locator("[data-testid=topic-form]")
    form.locator("[name=title]").fill(TOPIC)
    form.locator("[name=kind]").select_option("themed")
    form.locator("[name=lead]").select_option(label="经济委员会")
    form.locator("[name=month]").fill("4")
    form.get_by_label("区发展和改革局").check()
    _post(staff, "[data-testid=topic-form] button")
    expect(staff.get_by_test_id("topic-row")).to_have_count(1)
    _post(staff, "[data-testid=plan-submit]")
    expect(staff.get_by_test_id("plan-state")).to_have_text("待批准")
    expect(staff.get_by_test_id("plan-approve")).to_have_count(0)  # not theirs to approve
    plan = Plan.objects.get(year=2027)

    # 2. the office approves the plan as a whole
    office.goto(f"{site}/consultations/staff/plans/{plan.pk}/")
    _post(office, "[data-testid=plan-approve]")
    expect(office.get_by_test_id("plan-state")).to_have_text("已批准")

    # 3. the consultation is arranged from the topic; 朱政 is invited
    staff.reload()
    staff.get_by_test_id("schedule-1").click()
    staff.wait_for_load_state()
    form = staff.locator("[data-testid=event-form]")
    form.locator("[name=held_on]").fill(timezone.localdate().isoformat())
    form.locator("[name=place]").fill("区政协三楼会议室")
    _post(staff, "[data-testid=event-create]")
    expect(staff.get_by_test_id("title")).to_have_text(TOPIC)
    zhu = Member.objects.get(user__username="zhuzheng", committee__name="杭州市钱塘区政协")
    staff.locator("[data-testid=invite-form] select[name=members]").select_option(str(zhu.pk))
    _post(staff, "[data-testid=invite-form] button")
    expect(staff.get_by_test_id("participants")).to_contain_text("朱政")
    consultation = Consultation.objects.get(topic__plan=plan)

    # 4. 朱政 hands in a written opinion from his phone
    member.goto(f"{site}/consultations/")
    member.get_by_text(TOPIC).click()
    member.wait_for_load_state()
    member.fill("[data-testid=opinion-form] [name=title]", "关于数字经济的书面意见")
    member.fill("[data-testid=opinion-form] [name=text]", "建议设立产业引导基金。")
    _post(member, "[data-testid=opinion-form] button")
    expect(member.get_by_test_id("opinions")).to_contain_text("关于数字经济的书面意见")
    assert member.evaluate("document.documentElement.scrollWidth") <= 375

    # 5. held; the outcome with one recommendation for 区发展和改革局 is drafted and sent
    staff.reload()
    expect(staff.get_by_test_id("speeches")).to_contain_text("书面意见")
    _post(staff, "[data-testid=event-hold]")
    expect(staff.get_by_test_id("event-state")).to_have_text("已举行")
    staff.fill("[data-testid=outcome-form] [name=title]", "关于推动数字经济高质量发展的协商成果")
    staff.fill("[data-testid=outcome-form] [name=summary]", "经协商,形成如下建议。")
    _post(staff, "[data-testid=outcome-create]")
    form = staff.locator("[data-testid=rec-form]")
    form.locator("[name=text]").fill(REC)
    form.get_by_label("区发展和改革局").check()
    _post(staff, "[data-testid=rec-add]")
    expect(staff.get_by_test_id("rec-1")).to_contain_text(REC)
    _post(staff, "[data-testid=outcome-send]")
    expect(staff.get_by_test_id("outcome-state")).to_have_text("已送达部门")
    outcome = Outcome.objects.get(consultation=consultation)
    rec = outcome.recommendations.get()

    # 6. the department adopts, records a step and feeds back
    dept.goto(f"{site}/consultations/unit/")
    dept.get_by_test_id(f"open-{rec.pk}").click()
    dept.wait_for_load_state()
    expect(dept.get_by_test_id("rec-text")).to_have_text(REC)
    dept.get_by_label("采纳", exact=True).check()
    dept.fill("[data-testid=answer-form] [name=answer]", "采纳,列入明年重点工作。")
    _post(dept, "[data-testid=answer-submit]")
    expect(dept.get_by_test_id("adoption")).to_have_text("采纳")
    dept.fill("[data-testid=step-form] [name=text]", "起草引导基金管理办法。")
    _post(dept, "[data-testid=step-submit]")
    expect(dept.get_by_test_id("response-state")).to_have_text("落实中")
    dept.fill("[data-testid=feedback-form] [name=feedback]", FEEDBACK)
    _post(dept, "[data-testid=feedback-submit]")
    expect(dept.get_by_test_id("response-state")).to_have_text("已反馈")
    response = Response.objects.get(recommendation=rec)
    assert (response.state, response.adoption, response.steps.count()) == ("closed", "adopted", 1)

    # 7. published; a visitor reads the feedback without logging in
    staff.reload()
    expect(staff.get_by_test_id("rec-1")).to_contain_text(FEEDBACK)
    _post(staff, "[data-testid=outcome-publish]")
    expect(staff.get_by_test_id("outcome-state")).to_have_text("已公开")
    context, visitor = _page(browser, PHONE)
    try:
        visitor.goto(f"{site}/consultations/public/{outcome.pk}/")
        expect(visitor.get_by_test_id("title")).to_have_text("关于推动数字经济高质量发展的协商成果")
        expect(visitor.get_by_test_id("feedback")).to_contain_text(FEEDBACK)
        expect(visitor.get_by_test_id("rec-1")).to_contain_text("区发展和改革局")
        assert visitor.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
    for page in (staff, office, member, dept):
        assert page.js_errors == []
