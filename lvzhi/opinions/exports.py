"""Word export of a bulletin issue (《社情民意》 第 N 期) and the Excel list of reports behind the
statistics, on lvzhi.core.docx and lvzhi.core.xlsx."""

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core import docx as d
from lvzhi.core.config import setting
from lvzhi.core.xlsx import xlsx_response

from .models import Adoption, Instruction, Level, OpinionReport
from .workflow import REPORT


def _date(value) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": value.year, "m": value.month, "d": value.day}


def issue_docx(issue):
    name = _(setting(issue.committee, "opinions.bulletin_name"))
    doc = d.document()
    d.title(doc, name)
    d.para(
        doc,
        _("%(year)s年第%(number)s期") % {"year": issue.year, "number": issue.number},
        align=d.WD_ALIGN_PARAGRAPH.CENTER,
    )
    d.para(doc, f"{issue.committee.name}    {_date(issue.date)}")
    if issue.title:
        d.para(doc, issue.title, bold=True)
    reports = list(issue.reports.order_by("issue_order", "id").prefetch_related("author_rows__member__sector"))
    for i, report in enumerate(reports, start=1):
        d.heading(doc, f"{i}. {report.title}")
        d.paras(doc, report.situation)
        d.paras(doc, report.suggestion)
        people = "、".join(f"{a.member.name}({a.member.sector.name})" for a in report.author_rows.all())
        source = report.contact_point or report.studio
        d.para(doc, _("反映人:%(p)s") % {"p": people or (source.name if source else "")})
    if not reports:
        d.para(doc, _("本期尚未刊发信息。"))
    return d.docx_response(f"{name}{issue.year}年第{issue.number}期.docx", doc)


def reports_xlsx(committee, year=None, *, private: bool = False):
    qs = (
        OpinionReport.objects.for_committee(committee)
        .exclude(state__in=("draft", "withdrawn"))
        .select_related("issue", "contact_point", "studio", "forwarded_from__committee")
        .prefetch_related("author_rows__member__sector")
        .order_by("submitted_at", "id")
    )
    if year:
        qs = qs.filter(submitted_at__year=year)
    reports = list(qs)
    roots = {r.root_id or r.pk for r in reports}
    adopted, instructed = {}, {}
    for a in Adoption.objects.filter(root_id__in=roots):
        adopted.setdefault(a.root_id, []).append(f"{Level(a.level).label}·{a.body}")
    for i in Instruction.objects.filter(root_id__in=roots):
        instructed.setdefault(i.root_id, []).append(f"{Level(i.level).label}·{i.leader}")
    headers = [
        _("标题"),
        _("作者"),
        _("界别"),
        _("来源"),
        _("类别"),
        _("状态"),
        _("提交日期"),
        _("期刊"),
        _("采编"),
        _("采用"),
        _("批示"),
    ]
    if private:
        headers += [_("反映群众姓名"), _("反映群众电话")]
    rows = []
    for r in reports:
        authors = [a.member for a in r.author_rows.all()]
        source = r.get_source_display()
        if r.forwarded_from_id:
            source = _("%(c)s报送") % {"c": r.forwarded_from.committee}
        elif r.contact_point or r.studio:
            source = f"{source}·{r.contact_point or r.studio}"
        row = [
            r.title,
            "、".join(m.name for m in authors),
            "、".join(dict.fromkeys(m.sector.name for m in authors)),
            source,
            r.topic,
            REPORT.state_label(r.state),
            timezone.localdate(r.submitted_at) if r.submitted_at else None,
            str(r.issue) if r.issue else "",
            _("是") if r.edited_at else "",
            ";".join(adopted.get(r.root_id or r.pk, [])),
            ";".join(instructed.get(r.root_id or r.pk, [])),
        ]
        if private:
            row += [r.resident_name, r.resident_phone]
        rows.append(row)
    return xlsx_response(_("社情民意信息统计.xlsx"), headers, rows, sheet_title=_("社情民意"))
