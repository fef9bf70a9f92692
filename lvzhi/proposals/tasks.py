"""Background tasks of proposals. The daily reminders run from Celery beat (BEAT_SCHEDULE below, which
settings.CELERY_BEAT_SCHEDULE includes) or from cron with `manage.py proposal_reminders`."""

import datetime as dt

from celery import shared_task
from celery.schedules import crontab

from lvzhi.org.models import Committee

from . import reminders

BEAT_SCHEDULE = {
    "proposals-daily-reminders": {
        "task": "lvzhi.proposals.tasks.proposal_reminders",
        "schedule": crontab(hour=8, minute=30),  # every morning, before office hours start
    },
}


@shared_task(name="lvzhi.proposals.tasks.proposal_reminders")
def proposal_reminders(today: str | None = None) -> dict:
    """For every committee: default evaluations (where configured), overdue answers, pending evaluations.
    Returns {committee_id: {"default_evaluations": n, "overdue": n, "evaluations": n}}."""
    day = dt.date.fromisoformat(today) if today else None
    return {committee.pk: reminders.run_all(committee, day) for committee in Committee.objects.order_by("pk")}
