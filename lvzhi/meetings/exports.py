"""The official attendance list (出席情况名单) of a meeting, by discussion group or by sector, with each
invited member's state and check-in time: as Excel (lvzhi/core/xlsx.py) and as Word (lvzhi/core/docx.py)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core import docx as d
from lvzhi.core.xlsx import workbook_bytes

from . import queries
from .models import Invitation, Meeting
from .workflow import ATTENDANCE

BY_GROUP, BY_SECTOR = "group", "sector"


def _local(value, fmt="%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


def attendance_sections(meeting: Meeting, by: str = BY_SECTOR) -> list[tuple[str, list[Invitation]]]:
    """[(group or sector name, invitations)] in the order of groups or sectors, then member names."""
    qs = Invitation.objects.filter(meeting=meeting).select_related("member__sector", "member__party", "group")
    if by == BY_GROUP:
        rows = sorted(
            qs,
            key=lambda i: (
                i.group is None,
                i.group.order if i.group else 0,
                i.group_id or 0,
                i.member.sector.order,
                i.member.name,
            ),
        )
        key = lambda i: i.group.name if i.group else _("未分组")  # noqa: E731
    else:
        rows = sorted(qs, key=lambda i: (i.member.sector.order, i.member.sector_id, i.member.name))
        key = lambda i: i.member.sector.name  # noqa: E731
    sections: list[tuple[str, list[Invitation]]] = []
    for inv in rows:
        name = key(inv)
        if not sections or sections[-1][0] != name:
            sections.append((name, []))
        sections[-1][1].append(inv)
    return sections


def headers(by: str) -> list[str]:
    first = _("讨论组") if by == BY_GROUP else _("界别")
    return [_("序号"), first, _("姓名"), _("界别"), _("党派团体"), _("状态"), _("签到时间"), _("签到方式")]


def rows(meeting: Meeting, by: str = BY_SECTOR):
    n = 0
    for section, invitations in attendance_sections(meeting, by):
        for inv in invitations:
            n += 1
            yield [
                n,
                section,
                inv.member.name,
                inv.member.sector.name,
                inv.member.party.name,
                ATTENDANCE.state_label(inv.state),
                _local(inv.checked_in_at),
                inv.get_checkin_method_display() if inv.checkin_method else "",
            ]


def filename(meeting: Meeting, ext: str) -> str:
    return _("%(title)s出席情况.%(ext)s") % {"title": meeting.title, "ext": ext}


def _summary(meeting: Meeting) -> str:
    c = queries.attendance(meeting)
    return (
        _("应到 %(invited)s 人,实到 %(present)s 人,请假 %(on_leave)s 人,缺席 %(absent)s 人,未到 %(not_arrived)s 人。")
        % c
    )


def attendance_xlsx(meeting: Meeting, by: str = BY_SECTOR) -> bytes:
    return workbook_bytes(headers(by), rows(meeting, by), sheet_title=_("出席情况"))


def attendance_docx(meeting: Meeting, by: str = BY_SECTOR):
    """The Word list: title, time and place, the counts, then a table per group or sector."""
    doc = d.document()
    d.title(doc, meeting.title)
    d.para(doc, _("出席情况名单"), bold=True, align="center")
    d.para(
        doc,
        _("时间:%(when)s    地点:%(place)s") % {"when": _local(meeting.starts_at), "place": meeting.place},
        align="center",
    )
    d.para(doc, _summary(meeting), indent=True)
    cols = [_("序号"), _("姓名"), _("党派团体"), _("状态"), _("签到时间")]
    if by == BY_GROUP:
        cols.insert(2, _("界别"))
    for section, invitations in attendance_sections(meeting, by):
        present = sum(1 for i in invitations if i.state == "present")
        d.heading(
            doc, _("%(name)s(%(present)s/%(n)s)") % {"name": section, "present": present, "n": len(invitations)}, 2
        )
        table = doc.add_table(rows=1, cols=len(cols))
        table.style = doc.styles["Table Grid"]
        for cell, text in zip(table.rows[0].cells, cols, strict=True):
            d.cell_text(cell, text, bold=True, center=True)
        for n, inv in enumerate(invitations, start=1):
            values = [
                str(n),
                inv.member.name,
                inv.member.party.name,
                ATTENDANCE.state_label(inv.state),
                _local(inv.checked_in_at, "%H:%M"),
            ]
            if by == BY_GROUP:
                values.insert(2, inv.member.sector.name)
            for cell, text in zip(table.add_row().cells, values, strict=True):
                d.cell_text(cell, text, center=True)
    d.para(doc, "")
    d.para(doc, _("导出时间:%(now)s") % {"now": _local(timezone.now())}, align="right")
    return doc


# --------------------------------------------------------------------------- the seat list (座位表)


def seat_headers() -> list[str]:
    return [_("序号"), _("座位"), _("排"), _("座号"), _("姓名"), _("界别"), _("党派团体"), _("讨论组"), _("状态")]


def seat_rows(meeting: Meeting):
    from .services_seats import seat_list

    for n, inv in enumerate(seat_list(meeting), start=1):
        yield [
            n,
            inv.seat or _("未安排"),
            inv.seat_row,
            inv.seat_number,
            inv.member.name,
            inv.member.sector.name,
            inv.member.party.name,
            inv.group.name if inv.group_id else "",
            ATTENDANCE.state_label(inv.state),
        ]


def seats_xlsx(meeting: Meeting) -> bytes:
    return workbook_bytes(seat_headers(), seat_rows(meeting), sheet_title=_("座位表"))


def seats_filename(meeting: Meeting) -> str:
    return _("%(title)s座位表.xlsx") % {"title": meeting.title}
