"""Helpers of the proposal office's page tests: proposals in the states the pages act on."""

from django.contrib.messages import get_messages

from lvzhi.core.models import Event
from lvzhi.proposals import services as s
from lvzhi.proposals.models import Category, Proposal
from tests.conftest import user
from tests.proposals.conftest import member, unit


def submitted(committee, title: str, *, name: str = "朱政", username: str = "zhuzheng", category="科技创新"):
    p = s.proposal_create(
        committee=committee,
        by=user(username),
        lead=member(committee, name),
        title=title,
        category=Category.objects.get(committee=committee, name=category),
        problem=f"{title}:现状存在的问题。",
        analysis="原因分析。",
        suggestion="一是加强统筹;二是完善政策。",
    )
    s.proposal_submit(proposal=p, by=user(username))
    p.refresh_from_db()
    return p


def filed(committee, title: str, **kw) -> Proposal:
    p = submitted(committee, title, **kw)
    s.proposal_file(proposal=p, by=user("tiwei"))
    p.refresh_from_db()
    return p


def answered(committee, title: str) -> Proposal:
    """Filed, assigned to 区发展和改革局 alone, accepted and answered B by its staff fgj."""
    p = filed(committee, title)
    s.proposal_assign(proposal=p, by=user("tiwei"), lead_unit=unit(committee, "区发展和改革局"))
    s.assignment_accept(proposal=p, by=user("fgj"))
    s.answer_submit(proposal=p, by=user("fgj"), category="B", text="已列入年度计划,正在推进。")
    p.refresh_from_db()
    return p


def events(proposal, action: str | None = None):
    qs = Event.objects.filter(subject_id=proposal.pk, subject_type__model="proposal")
    return qs.filter(action=action) if action else qs


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]
