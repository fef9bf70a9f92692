"""Helpers of the handling-unit, leader and reminder tests: a filed proposal of 朱政 assigned to
区发展和改革局 (fgj, lead) and 区教育局 (jyj, co-unit), and a minimal real PDF."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.proposals import services as s
from tests.conftest import user
from tests.proposals.conftest import unit

FGJ = "区发展和改革局"
JYJ = "区教育局"

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf(name: str = "答复函.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def assign(proposal, committee, *, co: bool = True, due_date: dt.date | None = None):
    s.proposal_assign(
        proposal=proposal,
        by=user("tiwei"),
        lead_unit=unit(committee, FGJ),
        co_units=[unit(committee, JYJ)] if co else [],
        due_date=due_date,
    )
    proposal.refresh_from_db()
    return proposal


def answer_and_reply(proposal, *, co: bool = True):
    """Both units accept, the co-unit gives its opinion, the lead answers, the office approves."""
    s.assignment_accept(proposal=proposal, by=user("fgj"))
    if co:
        s.assignment_accept(proposal=proposal, by=user("jyj"))
        s.co_opinion_give(proposal=proposal, by=user("jyj"), opinion="同意。")
    s.answer_submit(proposal=proposal, by=user("fgj"), category="B", text="已列入计划。")
    s.answer_approve(proposal=proposal, by=user("tiwei"))
    proposal.refresh_from_db()
    return proposal
