"""The official attendance list as Excel and Word, by group and by sector, read back."""

import io

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

from lvzhi.meetings import services as s
from lvzhi.meetings.models import Invitation, LeaveRequest
from tests.conftest import client_for, user


@pytest.fixture
def huiwu(db):
    return client_for("huiwu")


@pytest.fixture
def held(plenary):
    """Zhu Zheng checked in, one member on leave, then the meeting closed (the rest absent)."""
    zz = Invitation.objects.select_related("member").get(meeting=plenary, member__name="朱政")
    s.check_in(invitation=zz, by=user("huiwu"), method="desk")
    other = Invitation.objects.filter(meeting=plenary, member__user__isnull=False).exclude(pk=zz.pk).first()
    leave = s.leave_request(invitation=other, by=other.member.user, reason="出差")
    s.leave_decide(leave=LeaveRequest.objects.get(pk=leave.pk), by=user("huiwu"), approve=True)
    s.groups_by_sector(meeting=plenary, by=user("huiwu"), group_count=4)
    s.meeting_close(meeting=plenary, by=user("huiwu"))
    return plenary, zz, other


def _rows(content: bytes):
    ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_excel_by_sector_reads_back(held, huiwu):
    meeting, zz, other = held
    response = huiwu.get(f"/meetings/staff/{meeting.pk}/export/attendance.xlsx?by=sector")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response.content)
    assert rows[0][:3] == ["序号", "界别", "姓名"]
    body = rows[1:]
    assert len(body) == 205
    by_name = {r[2]: r for r in body}
    assert by_name["朱政"][1] == "科技界" and by_name["朱政"][5] == "出席" and by_name["朱政"][6]
    assert by_name[other.member.name][5] == "请假"
    assert sum(1 for r in body if r[5] == "缺席") == 203
    sectors = [r[1] for r in body]
    assert sectors == sorted(sectors, key=sectors.index)  # each sector's rows together


def test_excel_by_group_lists_every_group(held, huiwu):
    meeting, _zz, _other = held
    rows = _rows(huiwu.get(f"/meetings/staff/{meeting.pk}/export/attendance.xlsx?by=group").content)
    assert rows[0][1] == "讨论组"
    assert {r[1] for r in rows[1:]} == set(meeting.groups.values_list("name", flat=True))


def test_word_list_reads_back(held, huiwu):
    meeting, zz, _other = held
    response = huiwu.get(f"/meetings/staff/{meeting.pk}/export/attendance.docx?by=group")
    assert response.status_code == 200
    doc = WordDocument(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert meeting.title in text and "出席情况名单" in text
    assert "应到 205 人,实到 1 人,请假 1 人,缺席 203 人" in text
    assert len(doc.tables) == meeting.groups.count()
    names = [row.cells[1].text for t in doc.tables for row in t.rows[1:]]
    assert len(names) == 205 and "朱政" in names
    zz_row = next(row for t in doc.tables for row in t.rows[1:] if row.cells[1].text == "朱政")
    assert zz_row.cells[4].text == "出席" and ":" in zz_row.cells[5].text


def test_export_during_the_meeting(plenary, huiwu):
    rows = _rows(huiwu.get(f"/meetings/staff/{plenary.pk}/export/attendance.xlsx").content)
    assert len(rows) == 206 and {r[5] for r in rows[1:]} == {"未报到"}


@pytest.mark.parametrize("name", ["zhuzheng", "fgj"])
def test_export_refuses_members_and_units(plenary, name):
    assert client_for(name).get(f"/meetings/staff/{plenary.pk}/export/attendance.docx").status_code == 403
