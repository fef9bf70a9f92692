"""Excel import of members: every row checked first; all or nothing; every problem listed."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from lvzhi.accounts.models import User
from lvzhi.core.models import Event
from lvzhi.org import importer
from lvzhi.org.models import Member, Membership
from tests.conftest import client_for, user

HEADERS = [
    "姓名", "性别", "出生日期", "民族", "手机号", "界别", "党派团体", "工作单位", "职务", "常委", "专委会", "联系街道",
    "委员工作室",
]  # fmt: skip


def good_row(name="陈新", mobile="13811110001", **kw):
    row = dict(
        name=name, gender="女", birth="1978-03-04", eth="汉族", mobile=mobile, sector="科技界", party="群众",
        employer="钱塘科技公司", post="总经理", standing="否", specials="经济委员会、提案委员会",
        sd="下沙街道", studio="下沙街道委员工作室",
    )  # fmt: skip
    row.update(kw)
    return list(row.values())


def xlsx(rows, headers=HEADERS, name="members.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def post(client, upload):
    return client.post("/org/members/import/", {"file": upload}, follow=True)


def count(qiantang):
    return Member.objects.for_committee(qiantang).count()


def test_a_correct_file_imports_every_row_in_one_go(office_client, qiantang):
    before = count(qiantang)
    rows = [
        good_row(),
        good_row("林海", "13811110002", gender="男", standing="是", specials="", sd="", studio=""),
        good_row("周彤", 13811110003, birth=None),  # a mobile typed as a number
    ]
    response = post(office_client, xlsx(rows))
    assert "已导入 3 名委员" in response.content.decode()
    assert count(qiantang) == before + 3
    chen = Member.objects.for_committee(qiantang).get(mobile="13811110001")
    assert chen.name == "陈新" and chen.gender == "F" and str(chen.birth_date) == "1978-03-04"
    assert chen.sector.name == "科技界" and chen.studio.name == "下沙街道委员工作室"
    assert sorted(sc.name for sc in chen.special_committees.all()) == ["提案委员会", "经济委员会"]
    lin = Member.objects.for_committee(qiantang).get(mobile="13811110002")
    assert lin.is_standing and lin.studio is None
    for mobile in ["13811110001", "13811110002", "13811110003"]:
        account = User.objects.get(mobile=mobile)
        assert Membership.objects.filter(user=account, committee=qiantang, role="member").exists()
    assert Membership.objects.filter(user=lin.user, committee=qiantang, role="standing").exists()
    imported = Member.objects.for_committee(qiantang).filter(mobile__startswith="1381111")
    assert Event.objects.filter(action="member.created", subject_id__in=imported.values("pk")).count() == 3
    assert set(Event.objects.filter(action="member.created").values_list("actor__username", flat=True)) == {"office"}


def test_one_bad_row_imports_nothing_and_every_problem_is_listed(office_client, qiantang):
    before_members, before_users = count(qiantang), User.objects.count()
    rows = [
        good_row(),  # row 2: fine
        good_row("", "13811110002"),  # row 3: no name
        good_row("王五", "1381111000"),  # row 4: 10 digits
        good_row("赵六", "13811110001"),  # row 5: same mobile as row 2
        good_row("钱七", "13900000118"),  # row 6: 朱政's mobile
        good_row("孙八", "13811110008", sector="不存在界", party="火星党", specials="经济委员会、外星委员会"),
        good_row("李九", "13811110009", birth="1978-02-30", gender="未知", standing="也许"),
        good_row("长" * 51, "13811110010", sd="杭州某街道", studio="无名工作室"),
        good_row("何十", "13811110011", sector="文化艺术界"),  # a Hangzhou sector, not this committee's
    ]
    response = post(office_client, xlsx(rows))
    html = response.content.decode()
    assert response.status_code == 400
    assert "未导入任何委员" in html
    expected = [
        ("第 3 行", "姓名", "必填"),
        ("第 4 行", "手机号", "11 位数字"),
        ("第 5 行", "手机号", "与第 2 行重复"),
        ("第 6 行", "手机号", "已被本委员会的委员使用"),
        ("第 7 行", "界别", "没有名为“不存在界”的界别"),
        ("第 7 行", "党派团体", "没有名为“火星党”的党派团体"),
        ("第 7 行", "专委会", "没有名为“外星委员会”的专委会"),
        ("第 8 行", "性别", "请填“男”或“女”"),
        ("第 8 行", "出生日期", "日期“1978-02-30”无效"),
        ("第 8 行", "常委", "请填“是”或“否”"),
        ("第 9 行", "姓名", "不能超过 50 个字"),
        ("第 9 行", "联系街道", "没有名为“杭州某街道”的街道"),
        ("第 9 行", "委员工作室", "没有名为“无名工作室”的委员工作室"),
        ("第 10 行", "界别", "没有名为“文化艺术界”的界别"),
    ]
    for row, column, problem in expected:
        assert f"<td>{row}</td><td>{column}</td>" in html, (row, column)
        assert problem in html, problem
    # listed in row order, then in the order of the columns
    positions = [html.index(f"<td>{row}</td><td>{column}</td>") for row, column, _p in expected]
    assert positions == sorted(positions)
    assert "<td>第 2 行</td>" not in html
    assert f"发现 {len(expected)} 个问题" in html
    assert count(qiantang) == before_members and User.objects.count() == before_users
    assert not Member.objects.filter(mobile="13811110001").exists()


def test_check_reports_problems_as_data(qiantang):
    rows = [(2, {"name": "", "mobile": "x", "sector": "科技界", "party": "群众"})]
    cleaned, problems = importer.check(qiantang, rows)
    assert cleaned == []
    assert [(p.row, p.column) for p in problems] == [(2, "姓名"), (2, "手机号")]


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("members.csv", b"name,mobile\n"), "请上传 Excel 文件"),
        (SimpleUploadedFile("members.xlsx", b"%PDF-1.4 not excel"), "不是有效的 Excel"),
        (SimpleUploadedFile("members.xlsx", b"PK\x03\x04garbage" * 10), "无法读取"),
    ],
)
def test_a_file_that_is_not_excel_gets_a_clear_message(office_client, qiantang, upload, message):
    before = count(qiantang)
    response = post(office_client, upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert count(qiantang) == before


def test_missing_headers_and_an_empty_sheet_are_explained(office_client, qiantang):
    html = post(office_client, xlsx([["张三"]], headers=["姓名"])).content.decode()
    assert "缺少表头:手机号、界别、党派团体" in html
    html = post(office_client, xlsx([])).content.decode()
    assert "文件中没有委员数据" in html
    html = office_client.post("/org/members/import/", {}).content.decode()
    assert "请选择要导入的 Excel 文件" in html


def test_too_many_rows_are_refused(office_client, qiantang, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    rows = [good_row(f"人{i}", f"1381111{i:04d}") for i in range(4)]
    html = post(office_client, xlsx(rows)).content.decode()
    assert "一次最多导入 3 行" in html
    assert not Member.objects.filter(mobile__startswith="1381111").exists()


def test_an_exported_file_can_be_imported_into_an_empty_committee_after_edits(office_client, qiantang):
    """The export's columns are the import's: the state column is ignored on import."""
    response = office_client.get("/org/members/export.xlsx", {"q": "朱政"})
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    ws["A2"] = "朱政二"
    ws["E2"] = "13811112222"
    buf = io.BytesIO()
    wb.save(buf)
    html = post(office_client, SimpleUploadedFile("export.xlsx", buf.getvalue())).content.decode()
    assert "已导入 1 名委员" in html
    assert Member.objects.for_committee(qiantang).get(mobile="13811112222").name == "朱政二"


def test_the_template_has_the_headers_and_an_example_row_of_this_committee(office_client, qiantang):
    response = office_client.get("/org/members/import/template.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and len(rows) == 2
    assert rows[1][5] == "中共" and rows[1][12] == "下沙街道委员工作室"
    # the example row itself passes the check
    cleaned, problems = importer.check(
        qiantang, [(2, dict(zip([k for _, k in importer.COLUMNS], rows[1], strict=True)))]
    )
    assert problems == [] and len(cleaned) == 1


def test_the_import_page_refuses_other_roles(qiantang):
    for username in ["zhuzheng", "fgj", "jinzhiqiang"]:
        client = client_for(username)
        assert client.get("/org/members/import/").status_code == 403
        assert client.get("/org/members/import/template.xlsx").status_code == 403
        assert client.post("/org/members/import/", {"file": xlsx([good_row()])}).status_code == 403
    assert not Member.objects.filter(mobile="13811110001").exists()


def test_import_is_scoped_to_the_current_committee(hangzhou):
    """Hangzhou's office imports with Hangzhou's names; Qiantang's sectors are unknown there."""
    client = client_for("hz_office")
    html = post(client, xlsx([good_row(sd="", studio="", specials="")])).content.decode()
    assert "没有名为“科技界”的界别" in html
    row = good_row(sector="文化艺术界", party="中国民主促进会", specials="", sd="", studio="")
    html = post(client, xlsx([row])).content.decode()
    assert "已导入 1 名委员" in html
    member = Member.objects.get(mobile="13811110001")
    assert member.committee == hangzhou and member.term.name == "十二届"
    assert Event.objects.get(action="member.created", subject_id=member.pk).actor == user("hz_office")
