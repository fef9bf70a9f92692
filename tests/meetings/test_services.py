import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lvzhi.core.models import Event
from lvzhi.core.workflow import TransitionRefused
from lvzhi.meetings import queries
from lvzhi.meetings import services as s
from lvzhi.meetings.models import Invitation
from lvzhi.org.models import Member
from tests.conftest import user


def inv(meeting, name):
    return Invitation.objects.get(meeting=meeting, member__name=name)


def test_the_seeds_day_in_services(qiantang, plenary):
    assert queries.attendance(plenary)["invited"] == 205
    zhu = inv(plenary, "朱政")
    with pytest.raises(ValidationError):
        s.registration_complete(invitation=zhu, by=user("zhuzheng"), materials=["会议指南"], signed_name="别人")
    s.registration_complete(invitation=zhu, by=user("zhuzheng"), materials=["会议指南", "出席证"], signed_name="朱政")
    first = s.check_in_by_qr(meeting=plenary, token=s.qr_token(zhu), by=user("huiwu"))
    again = s.check_in_by_qr(meeting=plenary, token=s.qr_token(zhu), by=user("huiwu"))
    assert first.first and not again.first and "已于" in again.message
    assert Event.objects.filter(action="attendance.check_in", subject_id=zhu.pk).count() == 1

    xu = inv(plenary, "徐钢")
    leave = s.leave_request(invitation=xu, by=user("xugang"), reason="出差在外")
    assert leave.late  # the doors are open already
    s.leave_decide(leave=leave, by=user("huiwu"), approve=True)
    mao = Member.objects.get(committee=qiantang, name="茅徐程")
    s.check_in_by_code(meeting=plenary, member=mao, code=plenary.checkin_code, by=user("maoxucheng"))
    s.meeting_close(meeting=plenary, by=user("huiwu"))
    counts = queries.attendance(plenary)
    assert (counts["present"], counts["on_leave"], counts["absent"]) == (2, 1, 202)


def test_forged_and_foreign_codes_are_refused_and_record_nothing(qiantang, plenary):
    zhu = inv(plenary, "朱政")
    with pytest.raises(TransitionRefused, match="无效"):
        s.check_in_by_qr(meeting=plenary, token=s.qr_token(zhu)[:-2] + "xx", by=user("huiwu"))
    with pytest.raises(TransitionRefused, match="签到码不正确"):
        s.check_in_by_code(
            meeting=plenary,
            member=zhu.member,
            code="000000" if plenary.checkin_code != "000000" else "111111",
            by=user("zhuzheng"),
        )
    zhu.refresh_from_db()
    assert zhu.state == "invited"


def test_concurrent_desks_never_double_a_check_in(transactional_demo):
    from lvzhi.org.models import Committee

    qt = Committee.objects.get(name="杭州市钱塘区政协")
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    meeting = s.meeting_create(
        committee=qt,
        by=user("huiwu"),
        kind="forum",
        title="座谈会",
        place="会议室",
        starts_at=now,
        ends_at=now + dt.timedelta(hours=1),
        doors_open_at=now - dt.timedelta(minutes=10),
    )
    s.meeting_invite(meeting=meeting, by=user("huiwu"), members=Member.objects.filter(committee=qt, name="朱政"))
    s.meeting_publish(meeting=meeting, by=user("huiwu"))
    token = s.qr_token(Invitation.objects.get(meeting=meeting))
    results, barrier = [], threading.Barrier(4)

    def desk():
        try:
            barrier.wait()
            results.append(s.check_in_by_qr(meeting=meeting, token=token, by=user("huiwu")).first)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(results) == [False, False, False, True]
    invitation = Invitation.objects.get(meeting=meeting)
    assert Event.objects.filter(action="attendance.check_in", subject_id=invitation.pk).count() == 1


def test_an_expired_code_is_refused_and_records_nothing(plenary, settings):
    import time

    zhu = inv(plenary, "朱政")
    real_time = time.time
    try:
        time.time = lambda: real_time() - 8 * 24 * 3600  # issued eight days ago
        token = s.qr_token(zhu)
    finally:
        time.time = real_time
    with pytest.raises(TransitionRefused, match="过期"):
        s.check_in_by_qr(meeting=plenary, token=token, by=user("huiwu"))
    zhu.refresh_from_db()
    assert zhu.state == "invited"


# --------------------------------------------------------------------------- the engine's compare-and-set


def _invitation_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if '"meetings_invitation"' in q["sql"]]


def test_a_check_in_is_one_conditional_update_without_a_locking_read(plenary):
    from django.test.utils import CaptureQueriesContext

    zhu = inv(plenary, "朱政")
    with CaptureQueriesContext(connection) as captured:
        result = s.check_in(invitation=zhu, by=user("huiwu"), method=Invitation.Method.DESK)
    touching = _invitation_queries(captured)
    assert result.first and len(touching) == 1 and touching[0].startswith("UPDATE")
    assert '"state" = ' in touching[0].split("WHERE", 1)[1]  # only from the state it was read in
    zhu.refresh_from_db()
    assert zhu.state == "present" and zhu.checked_in_at is not None and zhu.checkin_method == "desk"
    event = Event.objects.get(action="attendance.check_in", subject_id=zhu.pk)
    assert (event.from_state, event.to_state) == ("invited", "present")


def test_a_row_changed_since_it_was_read_is_taken_under_the_lock_from_its_current_state(plenary):
    stale = inv(plenary, "朱政")
    assert stale.state == "invited"
    Invitation.objects.filter(pk=stale.pk).update(state="registered")  # registered meanwhile, elsewhere
    result = s.check_in(invitation=stale, by=user("huiwu"), method=Invitation.Method.DESK)
    assert result.first and inv(plenary, "朱政").state == "present"
    event = Event.objects.get(action="attendance.check_in", subject_id=stale.pk)
    assert event.from_state == "registered"  # what the database held, not what the caller read


def test_a_member_checked_in_by_another_desk_since_the_read_is_already_present(plenary):
    stale, other = inv(plenary, "朱政"), inv(plenary, "朱政")
    assert s.check_in(invitation=other, by=user("huiwu"), method=Invitation.Method.DESK).first
    again = s.check_in(invitation=stale, by=user("huiwu"), method=Invitation.Method.QR)
    assert not again.first and "已于" in again.message
    assert Event.objects.filter(action="attendance.check_in", subject_id=stale.pk).count() == 1
    assert inv(plenary, "朱政").checkin_method == "desk"


def test_a_receiver_of_the_models_saves_keeps_the_locking_path(plenary):
    from django.db.models.signals import post_save

    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append((instance.pk, instance.state))

    post_save.connect(receiver, sender=Invitation, dispatch_uid="test-cas-receiver")
    try:
        zhu = inv(plenary, "朱政")
        assert s.check_in(invitation=zhu, by=user("huiwu"), method=Invitation.Method.DESK).first
    finally:
        post_save.disconnect(dispatch_uid="test-cas-receiver", sender=Invitation)
    assert seen == [(zhu.pk, "present")]


def test_the_conditional_update_refuses_a_role_without_the_transition_and_changes_nothing(plenary):
    from lvzhi.core.workflow import apply
    from lvzhi.meetings.workflow import ATTENDANCE

    zhu = inv(plenary, "朱政")
    with pytest.raises(TransitionRefused, match="没有执行「签到」的权限"):
        apply(ATTENDANCE, zhu, "check_in", by=user("huiwu"), roles={"nobody"})
    assert inv(plenary, "朱政").state == "invited"
    assert not Event.objects.filter(action="attendance.check_in", subject_id=zhu.pk).exists()
