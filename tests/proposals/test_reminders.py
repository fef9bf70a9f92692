"""Reminders: overdue answers (the units owing their part, the proposal office, the supervising leader),
pending evaluations, once a day; default evaluations where the committee configures them; the daily task
and the management command."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from lvzhi.core.models import Event, Notification
from lvzhi.proposals import reminders
from lvzhi.proposals import services as s
from lvzhi.proposals.models import Evaluation
from lvzhi.proposals.tasks import BEAT_SCHEDULE, proposal_reminders
from tests.conftest import user
from tests.proposals.helpers_unit import answer_and_reply, assign


def inbox(username: str, proposal, *, kind: str):
    url = f"/proposals/{kind}{proposal.pk}/"
    return Notification.objects.filter(user=user(username), url=url)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a reminder function with its notifications delivered (they are sent on commit)."""

    def go(fn, *args):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args)

    return go


@pytest.fixture
def assigned(qiantang, filed):
    return assign(filed, qiantang)


# --------------------------------------------------------------------------- overdue answers


def test_nothing_is_reminded_before_the_due_date(qiantang, assigned, run):
    run(reminders.remind_overdue, qiantang, assigned.due_date)
    assert not inbox("fgj", assigned, kind="unit/").exists()
    assert not Event.objects.filter(subject_id=assigned.pk, action=reminders.OVERDUE).exists()


def test_overdue_answers_remind_the_units_and_the_office_once_a_day(qiantang, assigned, run):
    s.assignment_accept(proposal=assigned, by=user("fgj"))
    s.assignment_accept(proposal=assigned, by=user("jyj"))
    s.co_opinion_give(proposal=assigned, by=user("jyj"), opinion="同意。")  # the co-unit's part is done
    day = assigned.due_date + dt.timedelta(days=2)

    run(reminders.remind_overdue, qiantang, day)
    [unit_note] = inbox("fgj", assigned, kind="unit/")
    assert "逾期 2 天" in unit_note.title and assigned.number in unit_note.title
    [office_note] = inbox("tiwei", assigned, kind="staff/")
    assert "区发展和改革局" in office_note.body and "区教育局" not in office_note.body
    assert not inbox("jyj", assigned, kind="unit/").exists()  # gave its opinion: owes nothing
    assert not Notification.objects.filter(user=user("zhuzheng"), url__endswith=f"/{assigned.pk}/").exists()
    event = Event.objects.get(subject_id=assigned.pk, action=reminders.OVERDUE)
    assert event.data["date"] == day.isoformat() and event.data["units"] == ["区发展和改革局"]

    run(reminders.remind_overdue, qiantang, day)  # the same day again: nothing more
    assert inbox("fgj", assigned, kind="unit/").count() == 1
    assert inbox("tiwei", assigned, kind="staff/").count() == 1

    run(reminders.remind_overdue, qiantang, day + dt.timedelta(days=1))  # the next day: once more
    assert inbox("fgj", assigned, kind="unit/").count() == 2
    assert Event.objects.filter(subject_id=assigned.pk, action=reminders.OVERDUE).count() == 2


def test_a_co_unit_still_owing_its_opinion_is_reminded_too(qiantang, assigned, run):
    run(reminders.remind_overdue, qiantang, assigned.due_date + dt.timedelta(days=1))
    assert inbox("fgj", assigned, kind="unit/").count() == 1
    assert inbox("jyj", assigned, kind="unit/").count() == 1


def test_the_supervising_leader_of_a_key_proposal_is_reminded(qiantang, assigned, run):
    s.proposal_mark_key(proposal=assigned, by=user("tiwei"), supervisor=user("jinzhiqiang"))
    run(reminders.remind_overdue, qiantang, assigned.due_date + dt.timedelta(days=1))
    assert inbox("jinzhiqiang", assigned, kind="staff/").count() == 1


def test_an_answered_proposal_is_not_overdue(qiantang, assigned, run):
    answer_and_reply(assigned)
    run(reminders.remind_overdue, qiantang, assigned.due_date + dt.timedelta(days=5))
    assert not inbox("fgj", assigned, kind="unit/").filter(title__contains="逾期").exists()
    assert not Event.objects.filter(subject_id=assigned.pk, action=reminders.OVERDUE).exists()


def test_the_overdue_reminder_shows_on_the_timeline(qiantang, assigned, run):
    from tests.conftest import client_for

    run(reminders.remind_overdue, qiantang, assigned.due_date + dt.timedelta(days=1))
    html = client_for("fgj").get(f"/proposals/unit/{assigned.pk}/").content.decode()
    assert "逾期催办提醒" in html


# --------------------------------------------------------------------------- pending evaluations


def test_proposers_who_have_not_evaluated_are_reminded_after_seven_days(qiantang, assigned, run):
    from lvzhi.proposals.models import CoSigner
    from tests.proposals.conftest import member

    CoSigner.objects.create(committee=qiantang, proposal=assigned, member=member(qiantang, "徐钢"), state="confirmed")
    answer_and_reply(assigned)
    replied = timezone.localdate(assigned.replied_at)  # the committee's day, not UTC's
    s.evaluation_submit(proposal=assigned, by=user("xugang"), rating="satisfied")

    run(reminders.remind_pending_evaluations, qiantang, replied + dt.timedelta(days=6))
    assert not inbox("zhuzheng", assigned, kind="").filter(title__contains="请评价").exists()

    day = replied + dt.timedelta(days=7)
    run(reminders.remind_pending_evaluations, qiantang, day)
    assert inbox("zhuzheng", assigned, kind="").filter(title__contains="请评价").count() == 1
    assert not inbox("xugang", assigned, kind="").filter(title__contains="请评价").exists()  # has evaluated
    run(reminders.remind_pending_evaluations, qiantang, day)  # same day: not again
    run(reminders.remind_pending_evaluations, qiantang, day + dt.timedelta(days=3))  # within the week: not again
    assert inbox("zhuzheng", assigned, kind="").filter(title__contains="请评价").count() == 1
    run(reminders.remind_pending_evaluations, qiantang, day + dt.timedelta(days=7))
    assert inbox("zhuzheng", assigned, kind="").filter(title__contains="请评价").count() == 2


# --------------------------------------------------------------------------- default evaluation, task, command


def test_default_evaluation_when_configured(qiantang, assigned, run):
    answer_and_reply(assigned, co=True)
    replied = timezone.localdate(assigned.replied_at)  # the committee's day, not UTC's
    run(reminders.run_all, qiantang, replied + dt.timedelta(days=40))
    assert not Evaluation.objects.filter(proposal=assigned).exists()  # off unless configured

    qiantang.config = {**qiantang.config, "proposals.default_evaluation_days": 30}
    qiantang.save(update_fields=["config"])
    counts = run(reminders.run_all, qiantang, replied + dt.timedelta(days=29))
    assert not Evaluation.objects.filter(proposal=assigned).exists()
    counts = run(reminders.run_all, qiantang, replied + dt.timedelta(days=31))
    assert counts["default_evaluations"] >= 1
    evaluation = Evaluation.objects.get(proposal=assigned)
    assert evaluation.by_default and evaluation.rating == "satisfied" and "30" in evaluation.comment
    assigned.refresh_from_db()
    assert assigned.state == "closed"
    # a closed proposal is no longer reminded for evaluation
    before = Event.objects.filter(subject_id=assigned.pk, action=reminders.EVALUATION).count()
    run(reminders.remind_pending_evaluations, qiantang, replied + dt.timedelta(days=45))
    assert Event.objects.filter(subject_id=assigned.pk, action=reminders.EVALUATION).count() == before


def test_the_task_runs_every_committee_and_is_scheduled(qiantang, hangzhou, assigned, run):
    day = assigned.due_date + dt.timedelta(days=1)
    result = run(proposal_reminders, day.isoformat())
    assert set(result) >= {qiantang.pk, hangzhou.pk}
    assert result[qiantang.pk]["overdue"] >= 1
    assert inbox("fgj", assigned, kind="unit/").count() == 1
    entry = BEAT_SCHEDULE["proposals-daily-reminders"]
    assert entry["task"] == proposal_reminders.name


def test_the_management_command(qiantang, assigned, run, capsys):
    day = (assigned.due_date + dt.timedelta(days=1)).isoformat()
    run(call_command, "proposal_reminders", "--date", day, "--committee", str(qiantang.pk))
    out = capsys.readouterr().out
    assert qiantang.name in out and "overdue reminders" in out
    assert inbox("fgj", assigned, kind="unit/").count() == 1
    run(call_command, "proposal_reminders", "--date", day)
    assert inbox("fgj", assigned, kind="unit/").count() == 1
