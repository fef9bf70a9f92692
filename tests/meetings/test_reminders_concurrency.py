"""Two reminder runs at the same moment (two beat workers, or cron and beat) remind each member once."""

import datetime as dt
import threading

from django.db import connection
from django.utils import timezone

from lvzhi.core.models import Event, Notification
from lvzhi.meetings import reminders
from lvzhi.org.demo import QIANTANG
from lvzhi.org.models import Committee
from tests.conftest import user
from tests.meetings.test_reminders import make


def test_two_concurrent_runs_remind_once(transactional_demo):
    qiantang = Committee.objects.get(name=QIANTANG)
    today = timezone.localdate() + dt.timedelta(days=10)
    meeting = make(qiantang, today + dt.timedelta(days=1))
    barrier = threading.Barrier(2)
    errors, counts = [], []

    def worker():
        try:
            barrier.wait()
            counts.append(reminders.remind_unregistered(Committee.objects.get(pk=qiantang.pk), today))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert sorted(counts) == [0, 3]
    assert Event.objects.filter(subject_id=meeting.pk, action=reminders.UNREGISTERED).count() == 1
    url = f"/meetings/{meeting.pk}/"
    assert Notification.objects.filter(user=user("zhuzheng"), url=url, title__startswith="明天开会").count() == 1
