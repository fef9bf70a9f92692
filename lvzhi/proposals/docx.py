"""Word documents of proposals: one proposal in the official form (提案表), and a session's compiled
volume (提案汇编) with a table of contents. Built on lvzhi.core.docx (A4, 仿宋/宋体, official margins)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core import docx as d

from .models import Proposal
from .queries_public import approved_answers, category_label, proposer_rows
from .workflow import PROPOSAL


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return _("%(y)s年%(m)s月%(d)s日") % {"y": value.year, "m": value.month, "d": value.day}


def _people(rows) -> str:
    return "、".join(f"{r['name']}({r['sector']})" if r["sector"] else r["name"] for r in rows)


def _session_label(proposal: Proposal) -> str:
    if proposal.session_id:
        return f"{proposal.session.name}({proposal.get_period_display()})" if proposal.period else proposal.session.name
    return f"{proposal.term.name}({_('闭会期间')})"


def _answers(proposal: Proposal, include_pending: bool):
    if include_pending:
        answers = getattr(proposal, "all_answers", None)
        if answers is None:
            answers = list(proposal.answers.select_related("unit"))
        approved = {a.pk for a in approved_answers(proposal)}
        return [(a, a.pk not in approved) for a in answers]
    return [(a, False) for a in approved_answers(proposal)]


def _assignments(proposal: Proposal):
    live = getattr(proposal, "live_assignments", None)
    if live is None:
        live = list(proposal.assignments.exclude(state="cancelled").select_related("unit"))
    return live


def _form(doc, proposal: Proposal, *, include_pending: bool) -> None:
    """The form of one proposal: who, what, the body, the review and the answers."""
    people = proposer_rows(proposal)
    lead = people[0] if people else {"name": "", "sector": ""}
    cosigners = [p for p in people if not p["lead"]]
    rows = [(_("案由"), proposal.title)]
    if proposal.kind == Proposal.Kind.COLLECTIVE:
        rows.append((_("提案单位"), lead["name"]))
    else:
        rows.append((_("提案人"), lead["name"], _("界别"), lead["sector"]))
    if cosigners:
        rows.append((_("联名人"), _people(cosigners)))
    rows.append(
        (_("类别"), proposal.category.name if proposal.category_id else "", _("提案方式"), proposal.get_kind_display())
    )
    rows.append((_("会议"), _session_label(proposal), _("提交时间"), _date(proposal.submitted_at)))
    table = d.form_table(doc, rows)

    for label, text in (
        (_("问题"), proposal.problem),
        (_("分析"), proposal.analysis),
        (_("建议"), proposal.suggestion),
    ):
        row = table.add_row().cells
        head = row[0]
        body = row[1].merge(row[3])
        d.cell_text(head, label, bold=True, center=True)
        d.cell_text(body, text)

    # review (审查) and assignment (交办)
    review = []
    if proposal.filed_at:
        review.append(
            _("%(date)s 立案,编号 %(number)s。") % {"date": _date(proposal.filed_at), "number": proposal.number}
        )
    elif proposal.state in ("not_filed", "converted", "to_report"):
        review.append(PROPOSAL.state_label(proposal.state))
    if proposal.merged_into_id:
        target = proposal.merged_into
        review.append(_("已并入 %(number)s「%(title)s」。") % {"number": target.number, "title": target.title})
    parts = _assignments(proposal)
    if parts:
        units = "、".join(f"{a.unit.name}({a.get_role_display()})" for a in parts)
        review.append(_("交办:%(units)s;答复期限 %(date)s。") % {"units": units, "date": _date(proposal.due_date)})
    if proposal.is_key:
        review.append(_("列为重点提案。"))
    row = table.add_row().cells
    d.cell_text(row[0], _("审查意见"), bold=True, center=True)
    d.cell_text(row[1].merge(row[3]), "\n".join(review) or _("尚未审查"))

    answers = _answers(proposal, include_pending)
    for answer, pending in answers:
        row = table.add_row().cells
        label = _("答复") if proposal.round == 1 and answer.round == 1 else _("第 %(n)s 轮答复") % {"n": answer.round}
        d.cell_text(row[0], label, bold=True, center=True)
        head = _("%(unit)s · %(date)s · 答复类别:%(category)s") % {
            "unit": answer.unit.name,
            "date": _date(answer.answered_at),
            "category": category_label(proposal.committee, answer.final_category),
        }
        if pending:
            head += " " + _("(待提案委审核)")
        d.cell_text(row[1].merge(row[3]), head + "\n" + answer.text)
    if not answers:
        row = table.add_row().cells
        d.cell_text(row[0], _("答复"), bold=True, center=True)
        d.cell_text(row[1].merge(row[3]), _("尚未答复"))


def proposal_document(proposal: Proposal, *, include_pending: bool = False):
    """One proposal in the official form: the committee's name and 提案 as the title, the number and the
    session, then the form."""
    doc = d.document()
    d.title(doc, proposal.committee.name, space_after=d.Pt(0))
    d.title(doc, _("提　　案"), size=d.Pt(26))
    d.para(
        doc,
        f"{_session_label(proposal)}　　{_('提案号')}:{proposal.number or _('未编号')}",
        align="right",
    )
    _form(doc, proposal, include_pending=include_pending)
    d.para(
        doc,
        _("%(committee)s 提案委员会制　%(date)s 导出")
        % {
            "committee": proposal.committee.short_name or proposal.committee.name,
            "date": _date(timezone.now()),
        },
        align="right",
        size=d.Pt(10.5),
    )
    return doc


def volume_document(committee, session, proposals):
    """The compiled volume (提案汇编) of a session: a cover, the table of contents (a TOC field that Word
    fills on open, and the written list of numbers and titles), then every proposal on its own page."""
    proposals = list(proposals)
    doc = d.document()
    for _i in range(4):
        d.para(doc)
    d.title(doc, committee.name, size=d.Pt(26), space_after=d.Pt(6))
    d.title(doc, session.name, size=d.Pt(22))
    d.title(doc, _("提 案 汇 编"), size=d.Pt(36), space_after=d.Pt(48))
    d.para(doc, _("汇编提案共 %(n)s 件") % {"n": len(proposals)}, align="center")
    d.para(doc, _date(timezone.now()), align="center")
    d.page_break(doc)

    d.title(doc, _("目　　录"))
    d.toc(doc, placeholder=_("(目录将在 Word 中打开时自动生成;如未显示,请右键选择“更新域”。)"))
    d.para(doc)
    d.para(doc, _("提案目录"), bold=True, align="center")
    for p in proposals:
        names = _people(proposer_rows(p)[:1])
        d.para(doc, f"{p.number}　{p.title}　{names}")
    for p in proposals:
        d.page_break(doc)
        d.heading(doc, f"{p.number}　{p.title}", level=1)
        _form(doc, p, include_pending=False)
    return doc
