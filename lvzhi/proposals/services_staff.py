"""Batch writes of the proposal office: file many (批量立案) and assign many (批量交办). Each proposal goes
through the lifecycle service of its own (services.proposal_file / proposal_assign) in a transaction of its
own, so one refusal never undoes the others; the result says which succeeded and which were refused, why."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.core.workflow import TransitionRefused

from . import services
from .models import Proposal


@dataclass
class BatchResult:
    done: list[Proposal] = field(default_factory=list)
    refused: list[tuple[Proposal, str]] = field(default_factory=list)


def _message(error: Exception) -> str:
    if isinstance(error, TransitionRefused):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return _("您没有执行此操作的权限。")


def _each(proposals, work) -> BatchResult:
    result = BatchResult()
    # the oldest submission first: filing numbers follow the order the proposals came in
    for proposal in sorted(proposals, key=lambda p: (p.submitted_at is None, p.submitted_at, p.pk)):
        try:
            with transaction.atomic():
                work(proposal)
        except (TransitionRefused, ValidationError, PermissionDenied) as e:
            proposal.refresh_from_db()
            result.refused.append((proposal, _message(e)))
        else:
            proposal.refresh_from_db()
            result.done.append(proposal)
    return result


def proposals_file_many(*, proposals, by) -> BatchResult:
    """立案 each proposal with the next number of its session, oldest submission first."""
    return _each(proposals, lambda p: services.proposal_file(proposal=p, by=by))


def proposals_assign_many(*, proposals, by, lead_unit, co_units=(), due_date: dt.date | None = None) -> BatchResult:
    """交办 each proposal to the same lead unit, co-units and due date."""
    return _each(
        proposals,
        lambda p: services.proposal_assign(
            proposal=p, by=by, lead_unit=lead_unit, co_units=co_units, due_date=due_date
        ),
    )
