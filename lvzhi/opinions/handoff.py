"""Hand-off from proposals: when the proposal office converts a proposal into a public-opinion report
(event "proposal.convert_report"), the report enters this committee's opinions queue with the proposal's
text and its proposers as authors. Runs after the proposal's transaction commits; idempotent (one report
per proposal)."""

import logging

from django.db import IntegrityError, transaction

from lvzhi.core import events
from lvzhi.core.workflow import apply

log = logging.getLogger("lvzhi.opinions")


def on_event(sender, event, **kwargs):
    if event.action == "proposal.convert_report":
        try:
            report_from_proposal(event.subject_id, actor=event.actor, reason=event.reason)
        except Exception:  # the proposal's own change is committed already; never fail its request
            log.exception("hand-off of proposal %s to opinions failed", event.subject_id)


def report_from_proposal(proposal_id: int, *, actor=None, reason: str = ""):
    from lvzhi.proposals.models import Proposal
    from lvzhi.proposals.services import proposers

    from .models import OpinionReport, ReportAuthor
    from .workflow import REPORT

    proposal = Proposal.objects.filter(pk=proposal_id).select_related("committee", "created_by").first()
    if proposal is None or OpinionReport.objects.filter(from_proposal=proposal).exists():
        return None
    situation = "\n".join(p for p in (proposal.problem, proposal.analysis) if p)
    try:
        with transaction.atomic():
            report = OpinionReport.objects.create(
                committee=proposal.committee,
                title=proposal.title[:120],
                topic="",
                situation=situation,
                suggestion=proposal.suggestion,
                original_title=proposal.title[:120],
                original_situation=situation,
                original_suggestion=proposal.suggestion,
                source=OpinionReport.Source.MEMBER,
                submitted_by=proposal.lead.user if proposal.lead and proposal.lead.user_id else proposal.created_by,
                from_proposal=proposal,
                submitted_at=proposal.submitted_at,
            )
            for i, member in enumerate(proposers(proposal), start=1):
                ReportAuthor.objects.create(committee=proposal.committee, report=report, member=member, order=i)
            apply(REPORT, report, "receive", by=None, data={"proposal": proposal.pk})
            events.record(
                subject=report,
                action="opinion.from_proposal",
                actor=actor,
                reason=reason,
                data={"proposal": proposal.pk},
            )
    except IntegrityError:  # the same proposal handed off twice at once: the other one won
        log.info("proposal %s already handed off", proposal_id)
        return None
    return report
