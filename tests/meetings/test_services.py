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
