"""The seed's day in Chromium, each person in their own browser: 会务 huiwu creates the plenary on a desktop
and invites the whole committee (205); 朱政 registers and signs the commitment letter on a 375 px phone and
opens his check-in code; huiwu checks him in at the door page on a phone (the camera cannot be used in a
headless test: the door page's typed entry takes the code read from his QR page, as a hand scanner types it)
while the live page counts him without reload; a second scan says when he checked in; 徐钢 asks for leave on
his phone and huiwu approves; 朱政 applies to speak and huiwu schedules him; huiwu closes the meeting, the live
page reads present 1 / on leave 1 / absent 203, and the attendance list downloads as Excel and Word."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.db.models import Count
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from lvzhi.core.models import Event
from lvzhi.meetings.models import Invitation, LeaveRequest, Meeting, Speech
from tests.browser.conftest import DESKTOP, PHONE, _page, log_in

TITLE = "一届一次会议第一次全体会议(演练)"
MATERIALS = "会议指南\n出席证"
COMMITMENT = "我承诺严格遵守会议纪律,按时出席会议。"


@pytest.fixture
def people(browser, site):
    """One browser context a person, logged in: huiwu at her desk and at the door, two members' phones."""
    contexts, pages = [], {}
    for key, username, options in (
        ("desk", "huiwu", DESKTOP),
        ("door", "huiwu", PHONE),
        ("zhuzheng", "zhuzheng", PHONE),
        ("xugang", "xugang", PHONE),
    ):
        context, page = _page(browser, options)
        page.on("dialog", lambda dialog: dialog.accept())
        page.set_default_timeout(45000)  # a loaded machine
        log_in(page, site, username)
        contexts.append(context)
        pages[key] = page
    yield pages
    for context in contexts:
        context.close()


def _post(page, selector: str) -> None:
    """Click a button that posts a form and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(selector).first.click()
    assert page.locator(".errorlist").count() == 0, page.locator(".errorlist").first.inner_text()


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _fits_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url


def _download(page, testid: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_test_id(testid).click()
    download = info.value
    with open(download.path(), "rb") as f:
        return download.suggested_filename, f.read()


def _zip_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


def test_the_seeds_day_in_the_browser(site, people):
    desk, door, zhu, xu = people["desk"], people["door"], people["zhuzheng"], people["xugang"]
    now = timezone.now()

    # --- huiwu creates the plenary on her desktop, the whole committee invited, and publishes it
    desk.goto(f"{site}/meetings/staff/")
    desk.get_by_test_id("new-meeting").click()
    desk.wait_for_url(re.compile(r"/meetings/staff/new/$"))
    desk.select_option("#id_kind", value="plenary")
    desk.select_option("#id_session", label="一届一次会议")
    desk.fill("#id_title", TITLE)
    desk.fill("#id_place", "钱塘区行政中心大会堂")
    desk.fill("#id_starts_at", _local(now + dt.timedelta(minutes=30)))
    desk.fill("#id_ends_at", _local(now + dt.timedelta(hours=3)))
    desk.fill("#id_doors_open_at", _local(now - dt.timedelta(minutes=10)))
    desk.check("#id_registration_required")
    desk.fill("#id_materials", MATERIALS)
    desk.fill("#id_commitment_text", COMMITMENT)
    desk.check("input[name=scope][value=all]")
    _post(desk, "[data-testid=meeting-form] button[type=submit]")
    match = re.search(r"/meetings/staff/(\d+)/$", desk.url)
    assert match, desk.url
    pk = int(match.group(1))
    assert "邀请委员 205 人" in desk.content()
    meeting = Meeting.objects.get(pk=pk)
    assert meeting.state == "draft" and meeting.invitations.count() == 205
    assert meeting.materials == ["会议指南", "出席证"]
    _post(desk, "[data-testid=action-publish]")
    expect(desk.get_by_test_id("meeting-state")).to_have_text("已发布")
    assert Meeting.objects.get(pk=pk).state == "published"

    # --- 朱政 finds it on his phone, registers and signs
    zhu.goto(f"{site}/meetings/")
    _fits_phone(zhu)
    row = zhu.get_by_test_id("upcoming").get_by_test_id("meeting-row").filter(has_text=TITLE)
    expect(row.get_by_test_id("my-state")).to_have_text("未报到")
    row.locator("a").click()
    zhu.wait_for_url(re.compile(rf"/meetings/{pk}/$"))
    zhu.get_by_test_id("register").click()
    zhu.wait_for_url(re.compile(rf"/meetings/{pk}/register/$"))
    _fits_phone(zhu)
    expect(zhu.get_by_test_id("commitment")).to_contain_text(COMMITMENT)
    zhu.get_by_test_id("details-ok").check()
    zhu.check("input[name=materials][value=会议指南]")
    zhu.check("input[name=materials][value=出席证]")
    zhu.fill("#id_signed_name", "朱正")  # not his name: refused, nothing recorded
    with zhu.expect_navigation():
        zhu.get_by_test_id("register-submit").click()
    assert "朱政" in zhu.locator(".errorlist").first.inner_text()
    assert Invitation.objects.get(meeting_id=pk, member__name="朱政").state == "invited"
    zhu.get_by_test_id("details-ok").check()
    zhu.check("input[name=materials][value=会议指南]")
    zhu.check("input[name=materials][value=出席证]")
    zhu.fill("#id_signed_name", "朱政")
    _post(zhu, "[data-testid=register-submit]")
    assert "报到成功" in zhu.content()
    zhu_inv = Invitation.objects.get(meeting_id=pk, member__name="朱政")
    assert zhu_inv.state == "registered" and zhu_inv.commitment_signed_name == "朱政"
    assert zhu_inv.materials_received == ["会议指南", "出席证"]

    # --- his check-in code: drawn in the page
    zhu.get_by_test_id("qr").click()
    zhu.wait_for_url(re.compile(rf"/meetings/{pk}/qr/$"))
    _fits_phone(zhu)
    qr = zhu.get_by_test_id("qr")
    expect(qr.locator("svg")).to_be_visible()
    token = qr.get_attribute("data-token")
    assert token and ":" in token

    # --- huiwu watches the live count on her desktop; she checks him in at the door on her phone
    desk.goto(f"{site}/meetings/staff/{pk}/live/")
    expect(desk.get_by_test_id("live-invited")).to_have_text("205")
    expect(desk.get_by_test_id("live-present")).to_have_text("0")
    door.goto(f"{site}/meetings/staff/{pk}/door/")
    _fits_phone(door)
    door.fill("[name=entry]", "not-a-code:forged")  # a forged code: refused, nothing recorded
    door.locator("#door-form button[type=submit]").click()
    expect(door.locator("#door-result .door-result")).to_have_attribute("data-status", "refused")
    door.fill("[name=entry]", token)
    door.locator("#door-form button[type=submit]").click()
    result = door.locator("#door-result .door-result")
    expect(result).to_have_attribute("data-status", "ok")
    expect(result).to_contain_text("朱政")
    expect(desk.get_by_test_id("live-present")).to_have_text("1", timeout=20000)  # without reload
    door.fill("[name=entry]", token)
    door.locator("#door-form button[type=submit]").click()
    expect(result).to_have_attribute("data-status", "again")
    expect(result).to_contain_text("已于")
    zhu_inv.refresh_from_db()
    assert zhu_inv.state == "present" and zhu_inv.checkin_method == "qr"
    assert Event.objects.filter(action="attendance.check_in", subject_id=zhu_inv.pk).count() == 1

    # --- 徐钢 asks for leave on his phone; huiwu approves
    xu.goto(f"{site}/meetings/{pk}/")
    _fits_phone(xu)
    xu.get_by_test_id("leave").click()
    xu.wait_for_url(re.compile(rf"/meetings/{pk}/leave/$"))
    xu.fill("[data-testid=leave-form] textarea[name=reason]", "赴省里参加致公党专题培训")
    _post(xu, "[data-testid=leave-submit]")
    expect(xu.get_by_test_id("pending-leave")).to_be_visible()
    leave = LeaveRequest.objects.get(invitation__meeting_id=pk, invitation__member__name="徐钢")
    assert leave.state == "pending" and leave.late  # the doors are open already
    desk.goto(f"{site}/meetings/staff/{pk}/leave/")
    leave_row = desk.locator(f"tr[data-leave='{leave.pk}']")
    expect(leave_row.get_by_test_id("late")).to_be_visible()
    with desk.expect_navigation():
        leave_row.get_by_role("button", name="批准").click()
    assert "已批准 徐钢 请假" in desk.content()
    leave.refresh_from_db()
    assert leave.state == "approved" and leave.invitation.state == "on_leave"
    xu.goto(f"{site}/meetings/{pk}/")
    expect(xu.get_by_test_id("my-state")).to_have_text("请假")

    # --- the live page: 1 present, 1 on leave, 203 not yet arrived
    desk.goto(f"{site}/meetings/staff/{pk}/live/")
    expect(desk.get_by_test_id("live-present")).to_have_text("1")
    expect(desk.get_by_test_id("live-leave")).to_have_text("1")
    expect(desk.get_by_test_id("live-absent")).to_have_text("203")
    expect(desk.get_by_test_id("live-registered")).to_have_text("1")

    # --- 朱政 applies to speak; huiwu schedules him
    zhu.goto(f"{site}/meetings/{pk}/speech/")
    zhu.check("input[name=kind][value=oral]")
    zhu.fill("#id_title", "着力发挥企业创新主体作用")
    zhu.fill("#id_text", "建议扩大企业研发费用补助覆盖面,共建产业创新联合体,推动科技成果就地转化。")
    _post(zhu, "[data-testid=speech-submit]")
    speech = Speech.objects.get(meeting_id=pk, member__name="朱政")
    assert speech.state == "applied"
    desk.goto(f"{site}/meetings/staff/{pk}/speeches/")
    _post(desk, f"[data-testid=select-{speech.pk}]")
    expect(desk.get_by_test_id("selected")).to_contain_text("着力发挥企业创新主体作用")
    speech.refresh_from_db()
    assert speech.state == "selected" and speech.order == 1

    # --- huiwu closes the meeting: everybody else is absent; the attendance list exports
    desk.goto(f"{site}/meetings/staff/{pk}/")
    _post(desk, "[data-testid=action-close]")
    assert "203 位委员记为缺席" in desk.content()
    expect(desk.get_by_test_id("meeting-state")).to_have_text("已结束")
    desk.goto(f"{site}/meetings/staff/{pk}/live/")
    expect(desk.get_by_test_id("live-present")).to_have_text("1")
    expect(desk.get_by_test_id("live-leave")).to_have_text("1")
    expect(desk.get_by_test_id("live-absent")).to_have_text("203")
    states = dict(Invitation.objects.filter(meeting_id=pk).values_list("state").annotate(n=Count("id")))
    assert states == {"present": 1, "on_leave": 1, "absent": 203}

    desk.goto(f"{site}/meetings/staff/{pk}/")
    name, data = _download(desk, "export-xlsx")
    assert name.endswith(".xlsx")
    cells = [str(c) for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True) for c in row if c]
    assert "朱政" in cells and "徐钢" in cells
    assert cells.count("缺席") >= 203 and "出席" in cells and "请假" in cells
    name, data = _download(desk, "export-docx")
    assert name.endswith(".docx")
    text = _zip_text(data)
    assert "朱政" in text and TITLE in text

    for page in (desk, door, zhu, xu):
        assert page.js_errors == [], page.js_errors
