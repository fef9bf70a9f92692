"""Background tasks of consultations: the daily reminder of overdue recommendations, from Celery beat
(BEAT_SCHEDULE, assembled in lvzhi/celery.py) or cron (`manage.py consultation_reminders`)."""

import datetime as dt

from celery import shared_task
from celery.schedules import crontab

from lvzhi.org.models import Committee

from . import reminders

BEAT_SCHEDULE = {
    "consultations-daily-reminders": {
        "task": "lvzhi.consultations.tasks.consultation_reminders",
        "schedule": crontab(hour=8, minute=45),
    },
}


@shared_task(name="lvzhi.consultations.tasks.consultation_reminders")
def consultation_reminders(today: str | None = None) -> dict:
    day = dt.date.fromisoformat(today) if today else None
    return {committee.pk: reminders.run_all(committee, day) for committee in Committee.objects.order_by("pk")}
