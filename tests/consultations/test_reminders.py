"""The daily reminder of overdue recommendations: departments and staff are told once a day; the beat
schedule runs it."""

import datetime as dt

import pytest

from lvzhi.celery import app
from lvzhi.consultations import reminders
from lvzhi.consultations.models import Response
from lvzhi.core.models import Notification
from tests.conftest import user

pytestmark = pytest.mark.django_db


def test_overdue_follow_ups_are_reminded_once_a_day(qiantang, django_capture_on_commit_callbacks):
    today = dt.date(2026, 11, 25)
    overdue = Response.objects.filter(
        committee=qiantang, state__in=["sent", "answered", "implementing"], due_date__lt=today
    )
    expected = overdue.count()
    assert expected == 3  # demo: 区教育局 implementing, 区科技局 answered, 区建设局 not answered
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_overdue(qiantang, today) == expected
        assert reminders.remind_overdue(qiantang, today) == 0
    note = Notification.objects.get(user=user("jsj"), title__contains="逾期")
    assert "逾期:1 条" in note.title and note.url == "/consultations/unit/"
    assert Notification.objects.filter(user=user("zhuanwei"), title__contains="3 条协商成果建议逾期").count() == 1
    assert not Notification.objects.filter(user=user("fgj"), title__contains="协商成果建议已逾期").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_overdue(qiantang, today + dt.timedelta(days=1)) == expected  # the next day again


def test_the_reminder_is_in_the_beat_schedule():
    app.finalize()
    entry = app.conf.beat_schedule["consultations-daily-reminders"]
    assert entry["task"] in app.tasks
