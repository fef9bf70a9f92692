"""The points ledger: derived from the events of proposals and meetings and from the contract events of
the capabilities that land later; incremental derivation equals a rebuild; reversals; caps; joint weight;
the absence threshold raises a warning."""

from decimal import Decimal

import pytest
from django.utils import timezone

from lvzhi.core.models import Event
from lvzhi.core.workflow import apply
from lvzhi.evaluation import ledger, services
from lvzhi.evaluation.models import Kind, LedgerLine, Rule, RuleSet, Warning
from lvzhi.meetings import services as ms
from lvzhi.meetings.models import Invitation
from lvzhi.meetings.workflow import ATTENDANCE
from lvzhi.org.models import Member
from lvzhi.proposals import services as ps
from tests.conftest import user

from .conftest import contract_event, joint_proposal, meeting, member

YEAR = timezone.localdate().year


def points(m, kind=None, year=YEAR) -> Decimal:
    qs = LedgerLine.objects.filter(member=m, year=year)
    if kind:
        qs = qs.filter(rule__kind=kind)
    return sum((x.points for x in qs), Decimal(0))


def snapshot(committee, year=YEAR):
    return sorted(
        (x.event_id, x.rule_id, x.member_id, x.points, x.raw, x.reverses.event_id if x.reverses else None)
        for x in LedgerLine.objects.filter(committee=committee, year=year).select_related("reverses")
    )


def test_demo_ledger_gives_2021_its_meaning(qiantang):
    zhu, xu = member(qiantang, "朱政"), member(qiantang, "徐钢")
    # 朱政: at the 2021 plenary (5), his plenary speech (10), his filed proposal (15)
    assert points(zhu, Kind.PLENARY_PRESENT, 2021) == 5
    assert points(zhu, Kind.SPEECH_PLENARY, 2021) == 10
    assert points(xu, year=2021) > 0
    absent = LedgerLine.objects.filter(committee=qiantang, year=2021, rule__kind=Kind.PLENARY_ABSENT)
    assert absent.count() == 3 and {x.points for x in absent} == {Decimal(-10)}
    assert Warning.objects.filter(committee=qiantang, year=2021, kind="low_score").count() >= 1


def test_check_in_and_filed_joint_proposal_credit_as_they_happen(qiantang, plenary, django_capture_on_commit_callbacks):
    zhu, xu = member(qiantang, "朱政"), member(qiantang, "徐钢")
    before_zhu, before_xu = points(zhu), points(xu)
    with django_capture_on_commit_callbacks(execute=True):
        ms.check_in(invitation=ms.invitation_for(plenary, zhu), by=user("huiwu"), method=Invitation.Method.DESK)
    assert points(zhu, Kind.PLENARY_PRESENT) == 5
    with django_capture_on_commit_callbacks(execute=True):
        joint_proposal(qiantang)
    # lead 15, co-signer 15 × 20 % = 3
    assert points(zhu) == before_zhu + 5 + 15
    assert points(xu) == before_xu + 3
    line = LedgerLine.objects.get(
        member=xu,
        rule__kind=Kind.PROPOSAL_FILED,
        event__action="proposal.file",
        joint=True,
        year=YEAR,
        event__subject_id=LedgerLine.objects.filter(member=zhu, rule__kind=Kind.PROPOSAL_FILED)
        .latest("event__created_at", "event_id")
        .event.subject_id,
    )
    assert line.points == Decimal("3.0")


def test_deriving_twice_writes_nothing_more(qiantang, plenary):
    zhu = member(qiantang, "朱政")
    ms.check_in(invitation=ms.invitation_for(plenary, zhu), by=user("huiwu"), method=Invitation.Method.DESK)
    event = plenary.invitations.get(member=zhu)
    from lvzhi.core.events import timeline

    check_in = timeline(event).get(action="attendance.check_in")
    assert len(ledger.derive(check_in)) == 1
    count = LedgerLine.objects.count()
    ledger.derive(check_in)
    assert LedgerLine.objects.count() == count
    assert LedgerLine.objects.filter(event=check_in).count() == 1


def test_rebuild_equals_incremental_ledger(qiantang, plenary, django_capture_on_commit_callbacks):
    zhu, xu, third = member(qiantang, "朱政"), member(qiantang, "徐钢"), member(qiantang, "茅徐程")
    activity = meeting(qiantang, kind="activity", title="科创走廊专题视察")
    with django_capture_on_commit_callbacks(execute=True):
        ms.check_in(invitation=ms.invitation_for(plenary, zhu), by=user("huiwu"), method=Invitation.Method.DESK)
        inv = ms.invitation_for(plenary, xu)
        ms.check_in(invitation=inv, by=user("huiwu"), method=Invitation.Method.DESK)
        apply(ATTENDANCE, inv, "undo_check_in", by=user("huiwu"), reason="误签")
        ms.check_in(invitation=ms.invitation_for(activity, zhu), by=user("huiwu"), method=Invitation.Method.DESK)
        p = joint_proposal(qiantang)
        ps.proposal_mark_key(proposal=p, by=user("tiwei"))
        ps.proposal_mark_key(proposal=p, by=user("tiwei"), key=False)
        adopt = contract_event(qiantang, "opinion.adopt", [third, zhu], lead=third, level="city")
        contract_event(qiantang, "opinion.adopt_revoked", [third, zhu], lead=third, reverses=adopt.pk)
        for _ in range(7):  # reading records: 1 each, capped at 10
            contract_event(qiantang, "reading.recorded", [zhu], lead=zhu)
    incremental = snapshot(qiantang)
    assert incremental
    ledger.rebuild(qiantang, YEAR)
    assert snapshot(qiantang) == incremental
    ledger.rebuild(qiantang, YEAR)  # and again: the same ledger
    assert snapshot(qiantang) == incremental


def test_undo_check_in_reverses_its_points(qiantang, plenary, django_capture_on_commit_callbacks):
    xu = member(qiantang, "徐钢")
    before = points(xu)
    inv = ms.invitation_for(plenary, xu)
    with django_capture_on_commit_callbacks(execute=True):
        ms.check_in(invitation=inv, by=user("huiwu"), method=Invitation.Method.DESK)
    assert points(xu) == before + 5
    with django_capture_on_commit_callbacks(execute=True):
        apply(ATTENDANCE, Invitation.objects.get(pk=inv.pk), "undo_check_in", by=user("huiwu"), reason="误签")
    assert points(xu) == before
    reversal = LedgerLine.objects.get(member=xu, event__action="attendance.undo_check_in")
    assert reversal.points == -5 and reversal.reverses.event.action == "attendance.check_in"
    with django_capture_on_commit_callbacks(execute=True):  # checked in again: counted again
        ms.check_in(invitation=Invitation.objects.get(pk=inv.pk), by=user("huiwu"), method=Invitation.Method.DESK)
    assert points(xu) == before + 5


def test_leave_then_cancel_leave_reverses_the_deduction(qiantang, plenary, django_capture_on_commit_callbacks):
    zhu = member(qiantang, "朱政")
    before = points(zhu)
    inv = ms.invitation_for(plenary, zhu)
    with django_capture_on_commit_callbacks(execute=True):
        leave = ms.leave_request(invitation=inv, by=user("zhuzheng"), reason="出差")
        ms.leave_decide(leave=leave, by=user("huiwu"), approve=True)
    assert points(zhu) == before - 2
    with django_capture_on_commit_callbacks(execute=True):
        apply(ATTENDANCE, Invitation.objects.get(pk=inv.pk), "cancel_leave", by=user("huiwu"))
    assert points(zhu) == before


def test_key_unmarked_takes_back_the_key_points(qiantang, django_capture_on_commit_callbacks):
    zhu, xu = member(qiantang, "朱政"), member(qiantang, "徐钢")
    with django_capture_on_commit_callbacks(execute=True):
        p = joint_proposal(qiantang)
    before_zhu, before_xu = points(zhu), points(xu)
    with django_capture_on_commit_callbacks(execute=True):
        ps.proposal_mark_key(proposal=p, by=user("tiwei"))
    assert (points(zhu), points(xu)) == (before_zhu + 15, before_xu + 3)
    with django_capture_on_commit_callbacks(execute=True):
        ps.proposal_mark_key(proposal=p, by=user("tiwei"), key=False)
    assert (points(zhu), points(xu)) == (before_zhu, before_xu)


def test_contract_events_credit_by_kind_level_and_joint_weight(qiantang, django_capture_on_commit_callbacks):
    lead, other = member(qiantang, "茅徐程"), member(qiantang, "朱政")
    # the demo's own lines of the year (opinions, consultations…) are left out: what these events add
    start = {(m.pk, k): points(m, k) for m in (lead, other) for k in Kind.values}

    def gained(m, kind):
        return points(m, kind) - start[(m.pk, kind)]

    with django_capture_on_commit_callbacks(execute=True):
        contract_event(qiantang, "opinion.publish", [lead, other], lead=lead)
        contract_event(qiantang, "opinion.adopt", [lead, other], lead=lead, level="national")
        contract_event(qiantang, "opinion.instruct", [lead], lead=lead, level="province", leader="某副省长")
        contract_event(qiantang, "consultation.speech", [other], lead=other, kind="written")
        contract_event(qiantang, "consultation.outcome_published", [lead, other], lead=None)
        contract_event(qiantang, "activity.report_submitted", [other, lead], lead=other)
        contract_event(qiantang, "opinion.adopt", [lead], lead=lead, level="galaxy")  # unknown level: nothing
    assert gained(lead, Kind.OPINION_PUBLISHED) == 10 and gained(other, Kind.OPINION_PUBLISHED) == 5
    assert gained(lead, Kind.OPINION_ADOPTED_NATIONAL) == 20 and gained(other, Kind.OPINION_ADOPTED_NATIONAL) == 10
    assert gained(lead, Kind.OPINION_INSTRUCTED_PROVINCE) == 20
    assert gained(other, Kind.CONSULTATION_WRITTEN) == 3 and gained(other, Kind.CONSULTATION_ORAL) == 0
    # no lead: each drafting member gets the full points
    assert gained(lead, Kind.CONSULTATION_OUTCOME) == 5 and gained(other, Kind.CONSULTATION_OUTCOME) == 5
    assert gained(other, Kind.ACTIVITY_REPORT) == 5 and gained(lead, Kind.ACTIVITY_REPORT) == Decimal("2.5")


def test_activity_check_in_counts_as_activity_and_caps_apply_in_event_order(
    qiantang, django_capture_on_commit_callbacks
):
    # a member with no duty activity yet this year (the demo's activities credit some)
    zhu = next(
        m
        for m in Member.objects.filter(committee=qiantang, state="active").order_by("pk")
        if not LedgerLine.objects.filter(member=m, year=YEAR, rule__kind=Kind.ACTIVITY_PRESENT).exists()
    )
    activities = [meeting(qiantang, kind="activity", title=f"调研活动 {i}") for i in range(6)]
    with django_capture_on_commit_callbacks(execute=True):
        for a in activities:
            ms.check_in(invitation=ms.invitation_for(a, zhu), by=user("huiwu"), method=Invitation.Method.DESK)
    lines = list(
        LedgerLine.objects.filter(member=zhu, year=YEAR, rule__kind=Kind.ACTIVITY_PRESENT).order_by(
            "event__created_at", "event_id"
        )
    )
    assert [x.points for x in lines] == [2, 2, 2, 2, 2, 0]  # 2 each, capped at 10
    assert points(zhu, Kind.MEETING_PRESENT) == 0 or all(x.rule.kind != Kind.MEETING_PRESENT for x in lines)
    # the first activity's check-in undone: the sixth now counts (the cap is recounted in event order)
    inv = Invitation.objects.get(meeting=activities[0], member=zhu)
    with django_capture_on_commit_callbacks(execute=True):
        apply(ATTENDANCE, inv, "undo_check_in", by=user("huiwu"), reason="未实际参加")
    assert points(zhu, Kind.ACTIVITY_PRESENT) == 10
    incremental = snapshot(qiantang)
    ledger.rebuild(qiantang, YEAR)
    assert snapshot(qiantang) == incremental


def test_contract_event_members_of_another_committee_are_ignored(
    qiantang, hangzhou, django_capture_on_commit_callbacks
):
    zhu = member(qiantang, "朱政")
    stranger = Member.objects.filter(committee=hangzhou).first()
    with django_capture_on_commit_callbacks(execute=True):
        e = contract_event(qiantang, "reading.recorded", [zhu, stranger], lead=zhu)
    assert set(LedgerLine.objects.filter(event=e).values_list("member_id", flat=True)) == {zhu.pk}


def test_closed_year_gets_no_new_lines(qiantang):
    rs = RuleSet.objects.get(committee=qiantang, year=2021)
    assert rs.is_closed
    from lvzhi.core.events import record

    zhu = member(qiantang, "朱政")
    e = record(subject=zhu, action="reading.recorded", committee=qiantang, data={"members": [zhu.pk], "lead": zhu.pk})
    # an event dated in a closed year derives nothing
    from lvzhi.core.models import Event

    Event.objects.filter(pk=e.pk).update(created_at=timezone.make_aware(timezone.datetime(2021, 6, 1)))
    e.refresh_from_db()
    assert ledger.derive(e) == []


def test_two_unexcused_plenary_absences_raise_a_warning_and_staff_open_the_exit_review(
    qiantang, django_capture_on_commit_callbacks
):
    from lvzhi.core.models import Notification
    from lvzhi.org.models import ExitReview

    ge = member(qiantang, "茅徐程")
    assert not Warning.objects.filter(member=ge, year=YEAR).exists()
    for title in ("第二次全体会议", "第三次全体会议"):
        m = meeting(qiantang, title=title)
        with django_capture_on_commit_callbacks(execute=True):
            apply(ATTENDANCE, ms.invitation_for(m, ge), "mark_absent", by=None)
    warning = Warning.objects.get(member=ge, year=YEAR, kind="absence")
    assert warning.state == "open" and "2 次" in warning.detail
    assert Notification.objects.filter(user=user("office"), url=f"/evaluation/staff/warnings/{warning.pk}/").exists()
    services.warning_open_exit(warning=warning, by=user("office"), reason="两次无故缺席全体会议,按规定启动退出程序。")
    warning.refresh_from_db()
    assert warning.state == "exit_opened" and warning.exit_review is not None
    review = ExitReview.objects.get(pk=warning.exit_review.pk)
    assert review.member == ge and review.state == "open" and "无故缺席" in review.grounds


def test_rules_change_rebuilds_the_year(qiantang, plenary, django_capture_on_commit_callbacks):
    zhu = member(qiantang, "朱政")
    with django_capture_on_commit_callbacks(execute=True):
        ms.check_in(invitation=ms.invitation_for(plenary, zhu), by=user("huiwu"), method=Invitation.Method.DESK)
    rs = RuleSet.objects.get(committee=qiantang, year=YEAR)
    services.rules_update(
        rule_set=rs, by=user("office"), rules={"plenary_present": {"points": "8"}}, absence_limit=2, min_score=0
    )
    assert Rule.objects.get(rule_set=rs, kind="plenary_present").points == 8
    assert points(zhu, Kind.PLENARY_PRESENT) == 8


def test_a_check_in_after_a_rules_change_earns_the_new_points(qiantang, plenary, django_capture_on_commit_callbacks):
    """The rules are read from a cache (ledger._RuleSets, under the committee's `rules` token): the first
    check-in reads and keeps them, a change of the rules must hold for the next one."""
    zhu, xu = member(qiantang, "朱政"), member(qiantang, "徐钢")
    with django_capture_on_commit_callbacks(execute=True):
        ms.check_in(invitation=ms.invitation_for(plenary, zhu), by=user("huiwu"), method=Invitation.Method.DESK)
    assert points(zhu, Kind.PLENARY_PRESENT) == 5
    rule = Rule.objects.get(rule_set__committee=qiantang, rule_set__year=YEAR, kind="plenary_present")
    rule.points = 7
    rule.save()  # no rebuild: only the cache stands between the change and the next derivation
    with django_capture_on_commit_callbacks(execute=True):
        ms.check_in(invitation=ms.invitation_for(plenary, xu), by=user("huiwu"), method=Invitation.Method.DESK)
    assert points(xu, Kind.PLENARY_PRESENT) == 7


def test_an_attendance_event_names_its_member_and_old_ones_are_still_read(qiantang, plenary):
    zhu = member(qiantang, "朱政")
    ms.check_in(invitation=ms.invitation_for(plenary, zhu), by=user("huiwu"), method=Invitation.Method.DESK)
    event = Event.objects.filter(action="attendance.check_in").latest("id")
    assert event.data["member"] == zhu.pk and event.data["kind"] == "plenary"
    credits = ledger.interpret(event).credits
    event.data = {"meeting": plenary.pk, "kind": "plenary"}  # as recorded before the member was named
    assert ledger.interpret(event).credits == credits and credits[0].member_id == zhu.pk


def test_speech_moved_to_written_trades_plenary_points_for_written(
    qiantang, plenary, django_capture_on_commit_callbacks
):
    zhu = member(qiantang, "朱政")
    with django_capture_on_commit_callbacks(execute=True):
        speech = ms.speech_apply(meeting=plenary, member=zhu, by=user("zhuzheng"), title="数字经济", text="发言稿")
        ms.speech_decide(speech=speech, by=user("huiwu"), action="select", order=1)
    assert points(zhu, Kind.SPEECH_PLENARY) == 10
    with django_capture_on_commit_callbacks(execute=True):
        speech.refresh_from_db()
        ms.speech_decide(speech=speech, by=user("huiwu"), action="to_written")
    assert points(zhu, Kind.SPEECH_PLENARY) == 0
    assert points(zhu, Kind.SPEECH_WRITTEN) == 5


def _present_line(m):
    return LedgerLine.objects.filter(member=m, year=YEAR, rule__kind=Kind.PLENARY_PRESENT)


def test_a_check_in_and_its_points_line_are_one_transaction(qiantang, plenary):
    """Without a broker the line is written with its event (no second write transaction), and rolls back
    with it."""
    from django.db import transaction

    zhu = member(qiantang, "朱政")
    events_before, lines_before = Event.objects.count(), LedgerLine.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        ms.check_in(invitation=ms.invitation_for(plenary, zhu), by=user("huiwu"), method=Invitation.Method.DESK)
        # no commit has happened (the test's transaction is never committed): the line is already there
        assert _present_line(zhu).get().points == 5
        raise RuntimeError("the request fails after the check-in")
    assert (Event.objects.count(), LedgerLine.objects.count()) == (events_before, lines_before)
    assert plenary.invitations.get(member=zhu).state != "present"


def test_a_failing_derivation_is_logged_and_keeps_the_check_in(qiantang, plenary, monkeypatch, caplog):
    zhu = member(qiantang, "朱政")

    def broken(event, **kwargs):
        LedgerLine.objects.create(  # writes, then fails: the savepoint takes the write back
            committee=qiantang, member=zhu, year=YEAR, rule=Rule.objects.filter(rule_set__committee=qiantang,
            rule_set__year=YEAR, kind=Kind.PLENARY_PRESENT).get(), event=event, raw=5, points=5)  # fmt: skip
        raise ValueError("a broken rule")

    monkeypatch.setattr(ledger, "derive", broken)
    result = ms.check_in(invitation=ms.invitation_for(plenary, zhu), by=user("huiwu"), method=Invitation.Method.DESK)
    assert result.first and plenary.invitations.get(member=zhu).state == "present"
    assert Event.objects.filter(action="attendance.check_in", subject_id=result.invitation.pk).count() == 1
    assert not _present_line(zhu).exists()
    assert "deriving event" in caplog.text and "a broken rule" in caplog.text


def test_with_a_broker_the_worker_derives_after_commit(qiantang, plenary, settings, monkeypatch,
                                                       django_capture_on_commit_callbacks):  # fmt: skip
    from lvzhi.evaluation import tasks

    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []
    monkeypatch.setattr(tasks.derive_event, "delay", queued.append)
    zhu = member(qiantang, "朱政")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = ms.check_in(
            invitation=ms.invitation_for(plenary, zhu), by=user("huiwu"), method=Invitation.Method.DESK
        )
        assert not _present_line(zhu).exists() and queued == []  # nothing derived in the request
    for callback in callbacks:
        callback()
    event = Event.objects.get(action="attendance.check_in", subject_id=result.invitation.pk)
    assert queued == [event.pk]
    tasks.derive_event(event.pk)  # the worker
    assert _present_line(zhu).get().points == 5
