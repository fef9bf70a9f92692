"""The foundation, end to end in Chromium: a member on a 375 px phone, staff on a desktop importing
members from Excel (first a file with mistakes, then the corrected file)."""

from pathlib import Path

from openpyxl import Workbook

from lvzhi.accounts.models import User
from lvzhi.core.models import Event
from lvzhi.org.models import Member
from tests.browser.conftest import log_in

HEADERS = [
    "姓名",
    "性别",
    "出生日期",
    "民族",
    "手机号",
    "界别",
    "党派团体",
    "工作单位",
    "职务",
    "常委",
    "专委会",
    "联系街道",
    "委员工作室",
]


def _workbook(path: Path, rows) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_member_uses_the_phone_pages(site, phone):
    log_in(phone, site, "13900000118")  # by mobile number
    assert phone.locator("nav.tabbar").is_visible()
    assert "朱政" in phone.locator("main").inner_text()
    # the page fits the phone: nothing wider than the screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.locator("nav.tabbar").get_by_text("我的").click()
    phone.wait_for_load_state("networkidle")
    profile = phone.locator("main").inner_text()
    assert "科技界" in profile and "13900000118" in profile

    phone.goto(f"{site}/org/directory/?q=徐钢")
    directory = phone.locator("main").inner_text()
    assert "徐钢" in directory and "致公党" in directory
    assert "13900000069" not in phone.content()  # another member's mobile is never shown

    # large type (适老化) makes the text bigger and stays on
    before = phone.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    phone.get_by_role("button", name="大字模式").first.click()
    phone.wait_for_load_state("networkidle")
    after = phone.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert after > before
    assert not phone.js_errors


def test_staff_import_members_from_excel_on_a_desktop(site, desktop, tmp_path):
    log_in(desktop, site, "office")
    desktop.goto(f"{site}/org/members/import/")
    before = Member.objects.count()

    bad = _workbook(
        tmp_path / "bad.xlsx",
        [
            [
                "钱新一",
                "男",
                "1975-03-02",
                "汉族",
                "13512340001",
                "科技界",
                "群众",
                "浙江理工大学",
                "教授",
                "否",
                "",
                "下沙街道",
                "",
            ],
            ["", "女", "", "", "13512340002", "不存在的界别", "群众", "", "", "", "", "", ""],
            ["钱新三", "男", "", "", "13512340001", "教育界", "群众", "", "", "", "", "", ""],
        ],
    )
    desktop.set_input_files("input[type=file]", str(bad))
    desktop.get_by_role("button", name="检查并导入").click()
    desktop.wait_for_load_state("networkidle")
    problems = desktop.locator("[data-testid=import-problems]").inner_text()
    assert "第 3 行" in problems and "姓名" in problems  # missing name (row 1 is the header)
    assert "不存在的界别" in problems or "界别" in problems
    assert "第 4 行" in problems  # duplicate mobile inside the file
    assert Member.objects.count() == before  # nothing imported

    good = _workbook(
        tmp_path / "good.xlsx",
        [
            [
                "钱新一",
                "男",
                "1975-03-02",
                "汉族",
                "13512340001",
                "科技界",
                "群众",
                "浙江理工大学",
                "教授",
                "否",
                "",
                "下沙街道",
                "",
            ],
            [
                "钱新二",
                "女",
                "1980-08-08",
                "汉族",
                "13512340002",
                "教育界",
                "中国民主促进会",
                "下沙中学",
                "校长",
                "是",
                "",
                "白杨街道",
                "",
            ],
        ],
    )
    desktop.set_input_files("input[type=file]", str(good))
    desktop.get_by_role("button", name="检查并导入").click()
    desktop.wait_for_load_state("networkidle")
    assert "已导入 2 名委员" in desktop.content()
    assert Member.objects.count() == before + 2
    new = Member.objects.get(name="钱新二")
    assert new.is_standing and new.sector.name == "教育界"
    assert User.objects.get(mobile="13512340002").memberships.filter(role="standing").exists()
    assert Event.objects.filter(action="member.created", subject_id=new.pk).exists()

    # the roster shows them, and the desktop table has room
    desktop.goto(f"{site}/org/members/?q=钱新")
    assert desktop.locator("table.data tbody tr").count() == 2
    assert not desktop.js_errors
