"""Exports: the open recommendations as Excel (with the table's filters), an outcome report as Word."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lvzhi.core import docx as d
from lvzhi.core.decorators import requires
from lvzhi.core.xlsx import xlsx_response

from . import queries as q
from .models import Outcome, Response
from .views_staff import _open_filtered
from .workflow import RESPONSE


@require_GET
@requires("consultations.view_all")
def open_xlsx(request: HttpRequest):
    _form, qs = _open_filtered(request)
    today = timezone.localdate()
    headers = [
        _("成果"), _("序号"), _("建议内容"), _("责任部门"), _("状态"), _("采纳情况"), _("送达日期"),
        _("已送达天数"), _("反馈期限"), _("是否逾期"), _("落实记录数"), _("最近落实日期"),
    ]  # fmt: skip
    adoptions = dict(Response.Adoption.choices)
    rows = (
        (
            r["recommendation__outcome__title"],
            r["recommendation__number"],
            r["recommendation__text"],
            r["unit__name"],
            RESPONSE.state_label(r["state"]),
            str(adoptions.get(r["adoption"], "")),
            r["sent_on"],
            r["age_days"],
            r["due_date"],
            r["due_date"] < today,
            r["step_count"],
            r["last_step"],
        )
        for r in q.with_details(qs, today).iterator(chunk_size=1000)
    )
    return xlsx_response(_("未办结的协商成果建议.xlsx"), headers, rows, sheet_title=_("未办结建议"))


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return _("%(y)s年%(m)s月%(d)s日") % {"y": value.year, "m": value.month, "d": value.day}


def outcome_document(o: Outcome):
    doc = d.document()
    d.title(doc, o.title)
    source = o.consultation or o.supervision
    kind = o.consultation.get_kind_display() if o.consultation_id else _("民主监督")
    rows = [(_("来源"), f"{kind} · {source.title}")]
    drafters = "、".join(m.name for m in o.drafters.all())
    if drafters:
        rows.append((_("执笔委员"), drafters))
    if o.sent_at:
        rows.append((_("送达时间"), _date(o.sent_at), _("公开时间"), _date(o.published_at)))
    d.form_table(doc, rows)
    d.heading(doc, _("成果报告"))
    d.paras(doc, o.summary)
    d.heading(doc, _("意见建议及办理情况"))
    responses: dict = {}
    for r in Response.objects.filter(recommendation__outcome=o).select_related("unit").prefetch_related("steps"):
        responses.setdefault(r.recommendation_id, []).append(r)
    for rec in o.recommendations.prefetch_related("units"):
        d.para(doc, f"{rec.number}. {rec.text}", bold=True)
        sent = responses.get(rec.pk)
        if not sent:
            d.para(doc, _("责任部门:%(units)s") % {"units": "、".join(u.name for u in rec.units.all())}, indent=True)
        for r in sent or []:
            line = f"{r.unit.name}:{RESPONSE.state_label(r.state)}"
            if r.adoption:
                line += f" · {r.get_adoption_display()}"
            d.para(doc, line, indent=True)
            if r.answer:
                d.paras(doc, r.answer)
            if r.reason:
                d.para(doc, _("不采纳理由:%(r)s") % {"r": r.reason}, indent=True)
            for step in r.steps.all():
                d.para(doc, f"{_date(step.date)} {step.text}", indent=True)
            if r.feedback:
                d.para(doc, _("反馈:%(f)s") % {"f": r.feedback}, indent=True)
    return doc


@require_GET
@requires("consultations.view_all")
def outcome_docx(request: HttpRequest, pk: int):
    o = get_object_or_404(
        Outcome.objects.for_committee(request.committee).select_related("consultation", "supervision"), pk=pk
    )
    return d.docx_response(f"{o.title}.docx", outcome_document(o))


urlpatterns = [
    path("staff/open.xlsx", open_xlsx, name="open_xlsx"),
    path("staff/outcomes/<int:pk>.docx", outcome_docx, name="outcome_docx"),
]
