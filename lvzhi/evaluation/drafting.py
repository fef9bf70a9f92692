"""The annual report (年度述职 / 常委履职报告): drafted from the year's ledger (what the member attended,
proposed, reported and said), then edited by the member; exported as Word with lvzhi/core/docx.py."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import docx

from . import queries
from .models import AnnualReport, Kind, LedgerLine
from .rules import fmt
from .workflow import REPORT

SECTIONS = [
    ("meetings", gettext_lazy("一、参加会议")),
    ("proposals", gettext_lazy("二、提交提案")),
    ("opinions", gettext_lazy("三、反映社情民意")),
    ("speeches", gettext_lazy("四、发言与协商")),
    ("activities", gettext_lazy("五、参加履职活动")),
]


def _kept_lines(member, year):
    """The year's lines that still count: reversal lines and the lines they reverse are left out."""
    rows = list(queries.lines(member, year).filter(reverses__isnull=True).exclude(reversed_by__isnull=False))
    return queries.annotate_sources(rows)


def draft_text(member, year: int) -> str:
    rows = _kept_lines(member, year)
    by_cat: dict[str, list] = {}
    for line in rows:
        by_cat.setdefault(line.category, []).append(line)
    parts = [
        _(
            "%(year)s 年,本人作为%(committee)s委员(%(sector)s),认真履行政治协商、民主监督、参政议政职能。"
            "现将一年来的履职情况报告如下。"
        )
        % {"year": year, "committee": member.committee.name, "sector": member.sector.name}
    ]
    for key, heading in SECTIONS:
        items = by_cat.get(key, [])
        parts.append(str(heading))
        if not items:
            parts.append(_("本年度无记录。"))
            continue
        if key == "meetings":
            present = [x for x in items if x.rule.kind in (Kind.PLENARY_PRESENT, Kind.MEETING_PRESENT)]
            leave = [x for x in items if x.rule.kind == Kind.PLENARY_LEAVE]
            absent = [x for x in items if x.rule.kind in queries.ABSENT_KINDS]
            if present:
                parts.append(
                    _("出席会议 %(n)s 次:%(list)s。")
                    % {"n": len(present), "list": "、".join(x.source["title"] for x in present)}
                )
            if leave:
                parts.append(_("请假 %(n)s 次。") % {"n": len(leave)})
            if absent:
                parts.append(_("缺席 %(n)s 次。") % {"n": len(absent)})
            continue
        seen = []
        for line in items:
            text = f"{line.rule.get_kind_display()}:{line.source['title']}"
            if text not in seen:
                seen.append(text)
        parts.extend(f"{i}. {text}" for i, text in enumerate(seen, 1))
    parts.append(_("六、存在的不足和今后的打算"))
    parts.append(_("(请补充)"))
    return "\n".join(parts)


# a section heading of the drafted text: 一、… in Chinese, "1. …" in the English draft
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]、|\d{1,2}\. )")


def report_docx(report: AnnualReport):
    doc = docx.document()
    docx.title(doc, report.title)
    member = report.member
    docx.form_table(
        doc,
        [
            (_("姓名"), member.name, _("界别"), member.sector.name),
            (_("党派团体"), member.party.name, _("年度"), str(report.year)),
            (_("年度积分"), fmt(queries.total(member, report.year)), _("状态"), str(REPORT.state_label(report.state))),
        ],
    )
    for paragraph in report.text.splitlines():
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if _HEADING.match(paragraph):
            docx.heading(doc, paragraph)
        else:
            docx.para(doc, paragraph, indent=True)
    reviews = list(report.reviews.all())
    if reviews:
        docx.heading(doc, _("履职点评"))
        for review in reviews:
            docx.para(doc, f"{review.reviewer_name}:{review.text}", indent=True)
    return doc


def line_count(member, year) -> int:
    return LedgerLine.objects.filter(member=member, year=year).count()
