"""Reminders of the proposal cycle (run daily by tasks.proposal_reminders, or `manage.py proposal_reminders`).

- remind_overdue: an answer past its due date → the units still owing their part (lead/split answer, co-unit
  opinion), the proposal office, and the supervising leader of a key proposal.
- remind_pending_evaluations: an answer delivered N days ago (default 7) → each proposer who has not yet
  evaluated it; repeated every N days while it stays unevaluated.

Each reminder is recorded as an event on the proposal (its timeline shows "逾期催办"/"提醒评价"), and that
event is what makes a second run on the same day send nothing again: the check and the record happen under
the proposal's row lock, so two runs at once still remind once. `today` is a parameter so that tests and a
catch-up run can move time."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import events
from lvzhi.core.config import DEFAULTS, setting
from lvzhi.core.models import Event
from lvzhi.core.notify import notify
from lvzhi.org.models import Membership

from . import services
from .models import Proposal

DEFAULTS.setdefault("proposals.evaluation_reminder_days", 7)  # remind proposers N days after the answer

OVERDUE = "proposal.overdue_reminded"
EVALUATION = "proposal.evaluation_reminded"
events.ACTION_LABELS.update(
    {
        OVERDUE: gettext_lazy("逾期催办提醒"),
        EVALUATION: gettext_lazy("提醒提案人评价"),
    }
)

# Proposal states in which a unit still owes the answer.
OWING_STATES = ("assigned", "handling", "rehandling")
# Assignment states in which a unit still owes its part (签收 and answer, or the co-unit's opinion).
OPEN_PARTS = ("assigned", "accepted")


def _reminded_since(proposal: Proposal, action: str, since: dt.date) -> bool:
    return Event.objects.filter(
        committee=proposal.committee_id,
        subject_type__app_label="proposals",
        subject_type__model="proposal",
        subject_id=proposal.pk,
        action=action,
        data__date__gte=since.isoformat(),
    ).exists()


def _unit_users(units) -> list:
    return [
        g.user
        for g in Membership.objects.filter(role="unit", handling_unit__in=units, user__is_active=True).select_related(
            "user"
        )
    ]


def remind_overdue(committee, today: dt.date | None = None) -> int:
    """Remind every proposal whose answer is past due, once a day. Returns how many proposals were reminded."""
    today = today or timezone.localdate()
    office = services._office_users(committee)
    count = 0
    overdue = Proposal.objects.for_committee(committee).filter(state__in=OWING_STATES, due_date__lt=today)
    for proposal_id in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
            if proposal.state not in OWING_STATES or proposal.due_date is None or proposal.due_date >= today:
                continue
            if _reminded_since(proposal, OVERDUE, today):
                continue
            parts = list(proposal.assignments.filter(state__in=OPEN_PARTS, due_date__lt=today).select_related("unit"))
            units = [a.unit for a in parts]
            days = (today - proposal.due_date).days
            values = {"number": proposal.number, "title": proposal.title, "days": days}
            unit_users = _unit_users(units)
            notify(
                committee=committee,
                users=unit_users,
                title=_("提案答复已逾期 %(days)s 天:%(number)s %(title)s") % values,
                body=_("答复期限为 %(date)s,请尽快办理答复。") % {"date": proposal.due_date.isoformat()},
                url=f"/proposals/unit/{proposal.pk}/",
            )
            watchers = list(office)
            if proposal.is_key and proposal.supervisor_id:
                watchers.append(proposal.supervisor)
            notify(
                committee=committee,
                users=watchers,
                title=_("提案答复已逾期 %(days)s 天:%(number)s %(title)s") % values,
                body=_("未答复单位:%(units)s") % {"units": "、".join(str(u) for u in units) or "—"},
                url=f"/proposals/staff/{proposal.pk}/",
            )
            events.record(
                subject=proposal,
                action=OVERDUE,
                actor=None,
                data={
                    "date": today.isoformat(),
                    "days": days,
                    "units": [str(u) for u in units],
                    "users": sorted({u.pk for u in unit_users + watchers}),
                },
            )
            count += 1
    return count


def remind_pending_evaluations(committee, today: dt.date | None = None) -> int:
    """Remind proposers who have not evaluated an answer delivered N days ago (then every N days).
    Returns how many proposals were reminded."""
    today = today or timezone.localdate()
    days = setting(committee, "proposals.evaluation_reminder_days")
    if not days:
        return 0
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.max))
    count = 0
    replied = Proposal.objects.for_committee(committee).filter(state="replied", replied_at__lte=cutoff)
    for proposal_id in replied.values_list("pk", flat=True):
        with transaction.atomic():
            proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
            if proposal.state != "replied":
                continue
            if _reminded_since(proposal, EVALUATION, today - dt.timedelta(days=days - 1)):
                continue
            done = set(proposal.evaluations.filter(round=proposal.round).values_list("member_id", flat=True))
            pending = [m for m in services.proposers(proposal) if m.pk not in done and m.user_id]
            if not pending:
                continue
            users = [m.user for m in pending]
            notify(
                committee=committee,
                users=users,
                title=_("请评价提案答复:%(number)s %(title)s") % {"number": proposal.number, "title": proposal.title},
                body=_("承办单位的答复已于 %(date)s 送达,请在“提案”中对答复进行满意度评价。")
                % {"date": timezone.localdate(proposal.replied_at).isoformat()},
                url=f"/proposals/{proposal.pk}/",
            )
            events.record(
                subject=proposal,
                action=EVALUATION,
                actor=None,
                data={"date": today.isoformat(), "members": [m.pk for m in pending]},
            )
            count += 1
    return count


def run_all(committee, today: dt.date | None = None) -> dict:
    """The daily run for one committee: default evaluations first (they close what is long overdue for
    evaluation), then the reminders."""
    today = today or timezone.localdate()
    return {
        "default_evaluations": services.evaluations_default(committee=committee, today=today),
        "overdue": remind_overdue(committee, today),
        "evaluations": remind_pending_evaluations(committee, today),
    }


__all__ = ["remind_overdue", "remind_pending_evaluations", "run_all"]
