"""Two reminder runs at the same moment (two beat workers, or cron and beat) remind each proposal once."""

import datetime as dt
import threading

from django.db import connection

from lvzhi.core.models import Event, Notification
from lvzhi.org.demo import QIANTANG
from lvzhi.org.models import Committee
from lvzhi.proposals import reminders
from lvzhi.proposals import services as s
from lvzhi.proposals.models import Category
from tests.conftest import user
from tests.proposals.conftest import member
from tests.proposals.helpers_unit import assign


def test_two_concurrent_runs_remind_once(transactional_demo):
    qiantang = Committee.objects.get(name=QIANTANG)
    proposal = s.proposal_create(
        committee=qiantang,
        by=user("zhuzheng"),
        lead=member(qiantang, "朱政"),
        title="关于完善科技金融服务的建议",
        category=Category.objects.get(committee=qiantang, name="科技创新"),
        problem="科技企业融资难。",
        suggestion="设立科技金融专营机构。",
    )
    s.proposal_submit(proposal=proposal, by=user("zhuzheng"))
    s.proposal_file(proposal=proposal, by=user("tiwei"))
    proposal.refresh_from_db()
    assign(proposal, qiantang, co=False)
    day = proposal.due_date + dt.timedelta(days=1)
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            reminders.remind_overdue(Committee.objects.get(pk=qiantang.pk), day)
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
    assert Event.objects.filter(subject_id=proposal.pk, action=reminders.OVERDUE).count() == 1
    assert (
        Notification.objects.filter(
            user=user("fgj"), url=f"/proposals/unit/{proposal.pk}/", title__contains="逾期"
        ).count()
        == 1
    )
