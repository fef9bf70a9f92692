import time

import pytest

from lvzhi.activities import demo
from lvzhi.activities.models import Activity, ReadingRecord, SignUp

pytestmark = pytest.mark.django_db


def test_demo_is_there_and_idempotent(qiantang):
    kinds = set(Activity.objects.filter(committee=qiantang).values_list("kind", flat=True))
    assert {"research", "inspection", "study", "lecture", "studio", "enterprise", "training"} <= kinds
    full = Activity.objects.get(committee=qiantang, kind="inspection")
    assert SignUp.objects.filter(activity=full, state="waitlisted").count() == 2
    past = Activity.objects.get(committee=qiantang, kind="research")
    assert past.state == "closed" and past.meeting.invitations.filter(state="present").count() == 7
    before = (Activity.objects.count(), SignUp.objects.count(), ReadingRecord.objects.count())
    started = time.monotonic()
    demo.load(qiantang)
    assert time.monotonic() - started < 5
    assert (Activity.objects.count(), SignUp.objects.count(), ReadingRecord.objects.count()) == before
