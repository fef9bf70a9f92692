"""Exports: one proposal as a Word file in the official form, a session's compiled volume (提案汇编) as one
Word file with a table of contents, and any filtered list of proposals as Excel. Who may export what is
who may see it (queries.visible): another member's proposal, another unit's or another committee's is 404."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lvzhi.core.decorators import requires
from lvzhi.core.docx import docx_response
from lvzhi.core.roles import STAFF_ROLES, Role
from lvzhi.core.xlsx import xlsx_response
from lvzhi.org.models import Session

from . import queries
from .docx import proposal_document, volume_document
from .queries_public import category_label, proposer_rows, session_volume, with_details
from .workflow import PROPOSAL


def _sees_pending_answers(request) -> bool:
    """Staff, leaders and units read an answer while the office reviews it; proposers once approved."""
    return bool(request.roles & (STAFF_ROLES | {Role.LEADER, Role.UNIT}))


@requires("core.use")
def proposal_docx(request: HttpRequest, pk: int) -> HttpResponse:
    qs = with_details(queries.visible(request.user, request.committee, request.roles))
    proposal = get_object_or_404(qs, pk=pk)
    doc = proposal_document(proposal, include_pending=_sees_pending_answers(request))
    name = proposal.number or _("提案草稿")
    return docx_response(f"{name} {proposal.title[:40]}.docx", doc)


@requires("proposals.view_all")
def volume_docx(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.for_committee(request.committee), pk=session_id)
    proposals = session_volume(request.committee, session)
    doc = volume_document(request.committee, session, proposals)
    return docx_response(_("%(session)s 提案汇编.docx") % {"session": session.name}, doc)


def filter_args(request) -> dict:
    """The review queue's query-string filters (an invalid one is ignored, as on the queue page)."""
    try:
        from .forms_staff import QueueFilterForm
    except ImportError:  # pragma: no cover - the staff pages' form is the reference
        return {}
    return QueueFilterForm(request.GET, committee=request.committee).query_args()


LIST_HEADERS = [
    gettext_noop("提案号"),
    gettext_noop("案由"),
    gettext_noop("提案人"),
    gettext_noop("界别"),
    gettext_noop("联名人"),
    gettext_noop("类别"),
    gettext_noop("提案方式"),
    gettext_noop("次会议"),
    gettext_noop("状态"),
    gettext_noop("提交时间"),
    gettext_noop("立案时间"),
    gettext_noop("承办单位"),
    gettext_noop("答复期限"),
    gettext_noop("答复类别"),
    gettext_noop("重点提案"),
]


def _local_date(value):
    return timezone.localtime(value).date() if value else None


def list_rows(committee, proposals):
    for p in proposals:
        people = proposer_rows(p)
        lead = people[0] if people else {"name": "", "sector": ""}
        units = "、".join(f"{a.unit.name}({a.get_role_display()})" for a in p.live_assignments)
        yield (
            p.number,
            p.title,
            lead["name"],
            lead["sector"],
            "、".join(r["name"] for r in people[1:]),
            p.category.name if p.category_id else "",
            p.get_kind_display(),
            p.session.name if p.session_id else "",
            PROPOSAL.state_label(p.state),
            _local_date(p.submitted_at),
            _local_date(p.filed_at),
            units,
            p.due_date,
            category_label(committee, p.answer_category),
            p.is_key,
        )


@requires("core.use")
def list_xlsx(request: HttpRequest) -> HttpResponse:
    """Any filtered list: the review queue's filters over what the user may see."""
    proposals = with_details(
        queries.review_queue(request.user, request.committee, request.roles, **filter_args(request)),
        assignments=False,
    )
    headers = [_(h) for h in LIST_HEADERS]
    stamp = timezone.localdate().isoformat()
    return xlsx_response(
        _("提案列表 %(date)s.xlsx") % {"date": stamp},
        headers,
        list_rows(request.committee, proposals),
        sheet_title=_("提案"),
    )


urlpatterns = [
    path("export/<int:pk>.docx", proposal_docx, name="export_docx"),
    path("export/volume/<int:session_id>.docx", volume_docx, name="export_volume"),
    path("export/list.xlsx", list_xlsx, name="export_list"),
]
