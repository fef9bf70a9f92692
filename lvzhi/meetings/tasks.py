"""Background tasks of meetings. The daily reminders run from Celery beat (BEAT_SCHEDULE below, which
lvzhi/celery.py assembles with the other capabilities' schedules) or from cron with
`manage.py meeting_reminders`."""

import datetime as dt

from celery import shared_task
from celery.schedules import crontab

from lvzhi.org.models import Committee

from . import reminders

BEAT_SCHEDULE = {
    "meetings-daily-reminders": {
        "task": "lvzhi.meetings.tasks.meeting_reminders",
        "schedule": crontab(hour=9, minute=0),  # the day before a meeting, in the morning: time to register
    },
}


@shared_task(name="lvzhi.meetings.tasks.meeting_reminders")
def meeting_reminders(today: str | None = None) -> dict:
    """For every committee: remind the invited members who have not registered for tomorrow's meetings.
    Returns {committee_id: {"unregistered": n}}."""
    day = dt.date.fromisoformat(today) if today else None
    return {committee.pk: reminders.run_all(committee, day) for committee in Committee.objects.order_by("pk")}
