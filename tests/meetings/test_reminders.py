"""Meeting reminders: the day before a meeting that asks for registration, every invited member who has not
registered is reminded (in the app and by SMS), once; the daily task, its beat schedule and the command."""

import datetime as dt
import logging

import pytest
from django.core.management import call_command
from django.utils import timezone

from lvzhi.core.models import Event, Notification
from lvzhi.meetings import reminders
from lvzhi.meetings import services as s
from lvzhi.meetings.models import Invitation
from lvzhi.meetings.tasks import BEAT_SCHEDULE, meeting_reminders
from lvzhi.org.models import Member
from tests.conftest import user

NAMES = ["朱政", "徐钢", "茅徐程"]


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a reminder function with its notifications delivered (they are sent on commit)."""

    def go(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return go


def at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=10)  # a quiet day: no demo meeting starts the day after


def make(committee, day: dt.date, *, names=NAMES, registration_required=True, title="常委会第六次会议"):
    meeting = s.meeting_create(
        committee=committee,
        by=user("huiwu"),
        kind="standing",
        title=title,
        place="区政协三楼会议室",
        starts_at=at(day, 9),
        ends_at=at(day, 12),
        doors_open_at=at(day, 8),
        registration_required=registration_required,
        materials=["会议指南"],
    )
    s.meeting_invite(
        meeting=meeting, by=user("huiwu"), members=Member.objects.filter(committee=committee, name__in=names)
    )
    s.meeting_publish(meeting=meeting, by=user("huiwu"))
    return meeting


def inbox(username, meeting):
    return Notification.objects.filter(
        user=user(username), url=f"/meetings/{meeting.pk}/", title__startswith="明天开会"
    )


def test_the_day_before_unregistered_members_are_reminded_once(qiantang, today, run, caplog):
    meeting = make(qiantang, today + dt.timedelta(days=1))
    zhu = Invitation.objects.get(meeting=meeting, member__name="朱政")
    s.registration_complete(invitation=zhu, by=user("zhuzheng"), materials=["会议指南"], signed_name="")

    with caplog.at_level(logging.INFO, logger="lvzhi.notify"):
        assert run(reminders.remind_unregistered, qiantang, today) == 2
    assert inbox("xugang", meeting).count() == 1 and inbox("maoxucheng", meeting).count() == 1
    assert not inbox("zhuzheng", meeting).exists()  # registered already
    assert "SMS to" in caplog.text and meeting.title in caplog.text
    event = Event.objects.get(subject_id=meeting.pk, action=reminders.UNREGISTERED)
    assert event.data["date"] == today.isoformat() and len(event.data["members"]) == 2

    assert run(reminders.remind_unregistered, qiantang, today) == 0  # again: nothing more
    assert inbox("xugang", meeting).count() == 1
    assert Event.objects.filter(subject_id=meeting.pk, action=reminders.UNREGISTERED).count() == 1


def test_a_member_invited_later_is_reminded_alone(qiantang, today, run):
    meeting = make(qiantang, today + dt.timedelta(days=1), names=["徐钢"])
    run(reminders.remind_unregistered, qiantang, today)
    s.meeting_invite(meeting=meeting, by=user("huiwu"), members=Member.objects.filter(committee=qiantang, name="朱政"))
    assert run(reminders.remind_unregistered, qiantang, today) == 1
    assert inbox("zhuzheng", meeting).count() == 1 and inbox("xugang", meeting).count() == 1


def test_no_reminder_on_other_days_or_without_registration_or_on_leave(qiantang, today, run):
    later = make(qiantang, today + dt.timedelta(days=2), title="后天的会议")
    same_day = make(qiantang, today, title="今天的会议")
    no_reg = make(qiantang, today + dt.timedelta(days=1), registration_required=False, title="不需报到的会议")
    tomorrow = make(qiantang, today + dt.timedelta(days=1), names=["徐钢"], title="明天的会议")
    xu = Invitation.objects.get(meeting=tomorrow)
    s.leave_decide(
        leave=s.leave_request(invitation=xu, by=user("xugang"), reason="出差"), by=user("huiwu"), approve=True
    )
    assert run(reminders.remind_unregistered, qiantang, today) == 0
    for m in (later, same_day, no_reg, tomorrow):
        assert not Notification.objects.filter(url=f"/meetings/{m.pk}/", title__startswith="明天开会").exists()


def test_a_cancelled_meeting_is_not_reminded(qiantang, today, run):
    meeting = make(qiantang, today + dt.timedelta(days=1))
    from lvzhi.core.workflow import apply
    from lvzhi.meetings.workflow import MEETING

    apply(MEETING, meeting, "cancel", by=user("huiwu"), reason="改期")
    assert run(reminders.remind_unregistered, qiantang, today) == 0


def test_only_the_committee_s_own_meetings(qiantang, hangzhou, today, run):
    make(qiantang, today + dt.timedelta(days=1))
    assert run(reminders.remind_unregistered, hangzhou, today) == 0
    assert not Notification.objects.filter(title__startswith="明天开会").exists()


def test_the_daily_task_is_scheduled_and_the_command_runs(qiantang, today, run):
    meeting = make(qiantang, today + dt.timedelta(days=1))
    entry = BEAT_SCHEDULE["meetings-daily-reminders"]
    assert entry["task"] == meeting_reminders.name == "lvzhi.meetings.tasks.meeting_reminders"
    result = run(meeting_reminders, today.isoformat())
    assert result[qiantang.pk] == {"unregistered": 3}
    assert inbox("zhuzheng", meeting).count() == 1

    from io import StringIO

    out = StringIO()
    call_command("meeting_reminders", "--date", today.isoformat(), "--committee", str(qiantang.pk), stdout=out)
    assert "unregistered reminders 0" in out.getvalue()
    assert inbox("zhuzheng", meeting).count() == 1
