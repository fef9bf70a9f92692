"""Background tasks of the evaluation: derive one event as it arrives; rebuild a year's ledger (the staff
page's 重算 button queues it; the management command `evaluation_rebuild` runs the same)."""

from celery import shared_task

from lvzhi.core.workflow import TransitionRefused
from lvzhi.org.models import Committee

from . import ledger


@shared_task(name="lvzhi.evaluation.tasks.derive_event", ignore_result=True)
def derive_event(event_id: int) -> None:
    """The ledger lines of one event (incremental derivation; see ledger.on_event_recorded)."""
    from lvzhi.core.models import Event

    event = Event.objects.select_related("committee").filter(pk=event_id).first()
    if event is not None:
        ledger.derive(event)


@shared_task(name="lvzhi.evaluation.tasks.rebuild_year")
def rebuild_year(committee_id: int, year: int) -> dict:
    committee = Committee.objects.get(pk=committee_id)
    try:
        return ledger.rebuild(committee, year)
    except TransitionRefused as exc:
        return {"year": year, "refused": exc.message}
