"""Recording events. Every service that changes state calls `record` (the workflow engine does it for
transitions). Two signals:

- `event_written`, sent inside the transaction that records the event, right after its row is written:
  for work that belongs with the event and must not cost a second transaction (the points ledger
  derives the event's lines here when no broker is configured). Whatever a receiver writes commits or
  rolls back with the event. A receiver must not undo the user's action: it runs its work in a savepoint
  and logs a failure (see `lvzhi.evaluation.ledger.on_event_written`).
- `event_recorded`, sent on commit: for work that must only see committed events (handing a report on,
  queuing a Celery task)."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.dispatch import Signal

from .models import Event
from .tenancy import committee_of

event_written = Signal()  # sender=Event, event=Event; inside the recording transaction
event_recorded = Signal()  # sender=Event, event=Event; on commit

# action -> label shown in timelines. Workflows register their transitions; services register the rest.
ACTION_LABELS: dict[str, object] = {}


def label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def record(
    *,
    subject,
    action: str,
    actor=None,
    committee=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
) -> Event:
    if committee is None and hasattr(subject, "committee_id"):
        scope = {"committee_id": subject.committee_id}  # no need to load the committee row
    else:
        scope = {"committee": committee or committee_of(subject)}
    event = Event.objects.create(
        **scope,
        actor=actor if (actor is not None and actor.is_authenticated) else None,
        subject_type=ContentType.objects.get_for_model(type(subject)),
        subject_id=subject.pk,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
    )
    event_written.send(sender=Event, event=event)
    transaction.on_commit(lambda: event_recorded.send(sender=Event, event=event))
    return event


def timeline(subject):
    """The events of one object, oldest first."""
    return (
        Event.objects.filter(
            committee=committee_of(subject),
            subject_type=ContentType.objects.get_for_model(type(subject)),
            subject_id=subject.pk,
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
