"""Two people acting at the same moment lose nothing: two departments answering their parts of one
recommendation, two staff adding recommendations to one outcome (distinct numbers), two reminder runs
(each overdue follow-up reminded once)."""

import datetime as dt
import threading

from django.db import connection

from lvzhi.consultations import reminders
from lvzhi.consultations import services as s
from lvzhi.consultations.models import Recommendation, Response
from lvzhi.core.models import Notification
from lvzhi.org.demo import QIANTANG
from lvzhi.org.models import Committee
from tests.conftest import user

from .conftest import make_outcome, unit


def run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    errors = []

    def worker(job):
        try:
            barrier.wait()
            job()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return errors


def test_two_departments_answer_the_same_recommendation_at_once(transactional_demo):
    qiantang = Committee.objects.get(name=QIANTANG)
    outcome = make_outcome(qiantang)
    shared = Recommendation.objects.get(outcome=outcome, number=3)  # sent to both departments
    fgj, jyj = unit(qiantang, "区发展和改革局"), unit(qiantang, "区教育局")
    errors = run_together(
        lambda: s.response_answer(
            recommendation=shared, unit=fgj, by=user("fgj"), adoption="adopted", answer="发改采纳"
        ),
        lambda: s.response_answer(
            recommendation=shared, unit=jyj, by=user("jyj"), adoption="partly", answer="教育部分"
        ),
    )
    assert errors == []
    got = {r.unit.name: (r.state, r.adoption, r.answer) for r in Response.objects.filter(recommendation=shared)}
    assert got == {
        "区发展和改革局": ("answered", "adopted", "发改采纳"),
        "区教育局": ("answered", "partly", "教育部分"),
    }


def test_two_staff_add_recommendations_at_once_get_distinct_numbers(transactional_demo):
    qiantang = Committee.objects.get(name=QIANTANG)
    outcome = make_outcome(qiantang, send=False)
    fgj = unit(qiantang, "区发展和改革局")
    errors = run_together(
        lambda: s.recommendation_save(outcome=outcome, by=user("zhuanwei"), text="甲", units=[fgj]),
        lambda: s.recommendation_save(outcome=outcome, by=user("office"), text="乙", units=[fgj]),
    )
    assert errors == []
    rows = list(Recommendation.objects.filter(outcome=outcome).order_by("number").values_list("number", "text"))
    assert [n for n, _t in rows] == [1, 2, 3, 4, 5]
    assert {t for _n, t in rows[3:]} == {"甲", "乙"}


def test_two_reminder_runs_at_once_remind_each_department_once(transactional_demo):
    qiantang = Committee.objects.get(name=QIANTANG)
    day = dt.date(2027, 6, 1)  # every demo follow-up still open is overdue by then
    open_count = Response.objects.filter(committee=qiantang, state__in=["sent", "answered", "implementing"]).count()
    counts = []
    errors = run_together(
        lambda: counts.append(reminders.remind_overdue(Committee.objects.get(pk=qiantang.pk), day)),
        lambda: counts.append(reminders.remind_overdue(Committee.objects.get(pk=qiantang.pk), day)),
    )
    assert errors == []
    assert sum(counts) == open_count
    assert Notification.objects.filter(user=user("jsj"), title__contains="逾期").count() == 1
    assert reminders.remind_overdue(qiantang, day) == 0  # same day again: nobody twice
