"""The daily reminder of overdue recommendations (run by tasks.consultation_reminders from Celery beat, or
`manage.py consultation_reminders`).

Each department with open recommendations past their due date gets one notification a day listing how
many are overdue; the consultation staff (consultations.manage) get one digest a day with the total. A
follow-up is reminded once a day at most: `Response.reminded_on` is set under the rows' lock, so two runs
at the same moment (two beat workers, or cron and beat) remind once. `today` is a parameter so tests and
a catch-up run can move time."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.core.notify import notify
from lvzhi.core.roles import Role
from lvzhi.org.models import HandlingUnit

from .models import OPEN_STATES, Response
from .services import unit_users


def remind_overdue(committee, today: dt.date | None = None) -> int:
    """Remind departments (and the staff) of the overdue open recommendations not yet reminded today.
    Returns how many follow-ups were reminded."""
    today = today or timezone.localdate()
    candidates = list(
        Response.objects.for_committee(committee)
        .filter(state__in=OPEN_STATES, due_date__lt=today)
        .exclude(reminded_on=today)
        .values_list("pk", "unit_id")
    )
    # Claim each follow-up with a conditional UPDATE: of two runs at once, only one claims a row.
    due = [
        (pk, unit_id)
        for pk, unit_id in candidates
        if Response.objects.filter(pk=pk).exclude(reminded_on=today).update(reminded_on=today)
    ]
    if not due:
        return 0
    with transaction.atomic():
        per_unit: dict[int, int] = {}
        for _pk, unit_id in due:
            per_unit[unit_id] = per_unit.get(unit_id, 0) + 1
        for unit in HandlingUnit.objects.filter(pk__in=per_unit).order_by("pk"):
            notify(
                committee=committee,
                users=unit_users(unit),
                title=_("协商成果建议已逾期:%(n)s 条") % {"n": per_unit[unit.pk]},
                body=_("请尽快答复采纳情况、记录落实情况并反馈结果。"),
                url="/consultations/unit/",
                channels=("inapp", "sms"),
            )
        staff = User.objects.filter(
            memberships__committee=committee, memberships__role__in=[Role.STAFF_SPECIAL, Role.STAFF_OFFICE]
        ).distinct()
        notify(
            committee=committee,
            users=staff,
            title=_("有 %(n)s 条协商成果建议逾期未办结") % {"n": len(due)},
            body=_("涉及 %(u)s 个部门。") % {"u": len(per_unit)},
            url="/consultations/staff/open/?overdue=on",
        )
    return len(due)


def run_all(committee, today: dt.date | None = None) -> dict:
    return {"overdue": remind_overdue(committee, today)}
