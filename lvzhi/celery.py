"""Celery app. Without CELERY_BROKER_URL every task runs eagerly in the calling process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
app = Celery("lvzhi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def beat_schedule(sender, **kwargs):
    """Periodic work of every capability (run by `celery -A lvzhi beat`)."""
    from lvzhi.consultations.tasks import BEAT_SCHEDULE as CONSULTATIONS
    from lvzhi.meetings.tasks import BEAT_SCHEDULE as MEETINGS
    from lvzhi.proposals.tasks import BEAT_SCHEDULE as PROPOSALS
    from lvzhi.proposals.tasks_intel import INTEL_BEAT_SCHEDULE

    sender.conf.beat_schedule = {**PROPOSALS, **INTEL_BEAT_SCHEDULE, **MEETINGS, **CONSULTATIONS}
