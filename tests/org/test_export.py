"""Excel export of the filtered roster, read back with openpyxl."""

import io

from openpyxl import load_workbook

from lvzhi.org.importer import export_headers
from lvzhi.org.models import Member, Sector
from tests.conftest import client_for

HEADERS = [
    "姓名", "性别", "出生日期", "民族", "手机号", "界别", "党派团体", "工作单位", "职务", "常委", "专委会", "联系街道",
    "委员工作室", "状态",
]  # fmt: skip


def rows_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_the_headers_are_the_chinese_ones(db):
    assert export_headers() == HEADERS


def test_it_exports_exactly_the_filtered_list(office_client, qiantang):
    sector = Sector.objects.for_committee(qiantang).get(name="科技界")
    rows = rows_of(office_client.get("/org/members/export.xlsx", {"sector": sector.pk}))
    assert rows[0] == HEADERS
    expected = Member.objects.for_committee(qiantang).filter(sector=sector, state="active")
    assert sorted(r[0] for r in rows[1:]) == sorted(expected.values_list("name", flat=True))
    zhu = next(r for r in rows if r[0] == "朱政")
    member = expected.get(name="朱政")
    assert zhu[4] == "13900000118" and zhu[5] == "科技界" and zhu[6] == "群众"
    assert zhu[7] == "杭州沃镭智能科技股份有限公司" and zhu[8] == "研发总监"
    assert zhu[2].date() == member.birth_date
    assert zhu[9] == "否" and zhu[13] == "在任"
    assert zhu[10] == "、".join(sc.name for sc in member.special_committees.all())
    assert zhu[12] == member.studio.name


def test_a_text_search_and_standing_filter_narrow_the_export(office_client, qiantang):
    rows = rows_of(office_client.get("/org/members/export.xlsx", {"standing": "1"}))
    standing = Member.objects.for_committee(qiantang).filter(is_standing=True, state="active").count()
    assert len(rows) == standing + 1 and all(r[9] == "是" for r in rows[1:])
    rows = rows_of(office_client.get("/org/members/export.xlsx", {"q": "徐钢"}))
    assert [r[0] for r in rows[1:]] == ["徐钢"]


def test_the_default_export_is_all_active_members(office_client, qiantang):
    rows = rows_of(office_client.get("/org/members/export.xlsx"))
    assert len(rows) == 206


def test_another_committee_exports_only_its_own(qiantang):
    rows = rows_of(client_for("hz_office").get("/org/members/export.xlsx"))
    assert len(rows) == 13 and "朱政" not in [r[0] for r in rows]


def test_a_leader_may_export_a_member_may_not(qiantang):
    assert client_for("jinzhiqiang").get("/org/members/export.xlsx").status_code == 200
    assert client_for("zhuzheng").get("/org/members/export.xlsx").status_code == 403
    assert client_for("fgj").get("/org/members/export.xlsx").status_code == 403
