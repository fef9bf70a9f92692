"""Background tasks of the proposal intelligence: rebuild a committee's similar-proposal index, retrain its
category/unit suggester. Run by the Celery worker (requested by similar()/suggest() when a model is missing
or the un-indexed "recent" part grows too large, and nightly from INTEL_BEAT_SCHEDULE), or from cron with
`manage.py proposals_intel`.

A request never does this work itself: schedule_* only enqueue. Without a broker (Celery eager mode, the
development default) enqueueing would run the task inside the request, so there the request is only
noted and the work waits for `manage.py proposals_intel` (or a worker)."""

import datetime as dt

from celery import shared_task
from celery.schedules import crontab
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from lvzhi.org.models import Committee

INTEL_BEAT_SCHEDULE = {
    "proposals-intel-nightly": {
        "task": "lvzhi.proposals.tasks_intel.refresh_all",
        "schedule": crontab(hour=2, minute=15),
    },
}

SCHEDULE_TTL = 15 * 60  # one request per committee and kind in this time


def _schedule(task, committee, kind: str) -> bool:
    """Enqueue `task` for a committee at most once per SCHEDULE_TTL. Returns whether it was enqueued."""
    if not cache.add(f"intel:{kind}:{committee.pk}", 1, SCHEDULE_TTL):
        return False
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return False  # no worker: never run inside the request (see the module docstring)
    pk = committee.pk
    transaction.on_commit(lambda: task.delay(pk))
    return True


def schedule_rebuild(committee) -> bool:
    return _schedule(rebuild_index, committee, "index")


def schedule_retrain(committee) -> bool:
    return _schedule(retrain_suggester, committee, "suggest")


def build_index(committee, *, chunk_size: int = 2000):
    """Read every filed proposal of the committee and store a new index; proposals filed from the cutoff on
    (the moment the read began, minus a margin for transactions in flight) are scanned as "recent"."""
    from . import intel_store
    from .models import IntelBlob
    from .similarity import TEXT_FIELDS, build, document, eligible

    cutoff = timezone.now() - dt.timedelta(minutes=5)
    rows = eligible(committee).order_by("pk").values_list("pk", *TEXT_FIELDS).iterator(chunk_size=chunk_size)
    index = build((r[0], document(*r[1:])) for r in rows)
    intel_store.save(
        committee,
        IntelBlob.Kind.SIMILARITY,
        intel_store.pack(index.arrays()),
        cutoff=cutoff,
        n_docs=index.n_docs,
        meta={"bytes": index.nbytes},
    )
    return index


@shared_task(name="lvzhi.proposals.tasks_intel.rebuild_index")
def rebuild_index(committee_id: int) -> int:
    committee = Committee.objects.get(pk=committee_id)
    return build_index(committee).n_docs


@shared_task(name="lvzhi.proposals.tasks_intel.retrain_suggester")
def retrain_suggester(committee_id: int) -> dict:
    from .suggest import train

    return train(Committee.objects.get(pk=committee_id))


@shared_task(name="lvzhi.proposals.tasks_intel.refresh_all")
def refresh_all() -> dict:
    """Every committee: a fresh index and a retrained suggester (nightly)."""
    from .suggest import train

    out = {}
    for committee in Committee.objects.order_by("pk"):
        out[committee.pk] = {"indexed": build_index(committee).n_docs, "trained": train(committee)}
    return out
