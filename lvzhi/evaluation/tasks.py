"""Background task of the evaluation: rebuild a year's ledger (the staff page's 重算 button queues it; the
management command `evaluation_rebuild` runs the same)."""

from celery import shared_task

from lvzhi.core.workflow import TransitionRefused
from lvzhi.org.models import Committee

from . import ledger


@shared_task(name="lvzhi.evaluation.tasks.rebuild_year")
def rebuild_year(committee_id: int, year: int) -> dict:
    committee = Committee.objects.get(pk=committee_id)
    try:
        return ledger.rebuild(committee, year)
    except TransitionRefused as exc:
        return {"year": year, "refused": exc.message}
