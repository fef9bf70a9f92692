"""Sign-up within capacity, the waiting list beyond it, promotion on cancellation, every refusal (nothing
changes), and two members taking the last seat at the same moment (real threads, row lock)."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from lvzhi.activities import services as s
from lvzhi.activities.models import Activity, SignUp
from lvzhi.core.models import Event, Notification
from lvzhi.core.workflow import TransitionRefused
from lvzhi.meetings.models import Invitation, Meeting
from lvzhi.org.models import Committee, Member, Sector
from tests.conftest import user

from .conftest import make_activity, member, members_with_accounts

pytestmark = pytest.mark.django_db


def states(activity):
    return list(SignUp.objects.filter(activity=activity).order_by("id").values_list("member__name", "state"))


def test_publishing_creates_a_published_activity_meeting(activity):
    meeting = activity.meeting
    assert meeting.kind == Meeting.Kind.ACTIVITY and meeting.state == "published"
    assert meeting.title == activity.title and meeting.starts_at == activity.starts_at
    assert Activity.objects.get(meeting=meeting) == activity


def test_capacity_then_waiting_list_in_order(activity, qiantang):
    a, b, c, d = members_with_accounts(qiantang, 4)
    for m in (a, b, c, d):
        s.sign_up(activity=activity, member=m, by=m.user)
    assert states(activity) == [
        (a.name, "confirmed"),
        (b.name, "confirmed"),
        (c.name, "waitlisted"),
        (d.name, "waitlisted"),
    ]
    assert [s.waitlist_position(x) for x in SignUp.objects.filter(activity=activity, state="waitlisted")] == [1, 2]
    # only the confirmed are invited to the meeting behind the activity (the check-in list)
    invited = set(Invitation.objects.filter(meeting=activity.meeting).values_list("member_id", flat=True))
    assert invited == {a.pk, b.pk}


def test_cancelling_a_confirmed_seat_promotes_the_first_waitlisted(
    activity, qiantang, django_capture_on_commit_callbacks
):
    a, b, c, d = members_with_accounts(qiantang, 4)
    for m in (a, b, c, d):
        s.sign_up(activity=activity, member=m, by=m.user)
    with django_capture_on_commit_callbacks(execute=True):
        s.sign_up_cancel(signup=SignUp.objects.get(activity=activity, member=a), by=a.user)
    assert dict(SignUp.objects.filter(activity=activity).values_list("member__name", "state")) == {
        a.name: "cancelled",
        b.name: "confirmed",
        c.name: "confirmed",
        d.name: "waitlisted",
    }
    invited = set(Invitation.objects.filter(meeting=activity.meeting).values_list("member_id", flat=True))
    assert invited == {b.pk, c.pk}
    assert Notification.objects.filter(user=c.user, title__contains="候补成功").exists()
    assert s.waitlist_position(SignUp.objects.get(activity=activity, member=d)) == 1
    assert Event.objects.filter(action="signup.promote", data__activity=activity.pk).count() == 1


def test_cancelling_a_waitlisted_sign_up_promotes_nobody(activity, qiantang):
    a, b, c = members_with_accounts(qiantang, 3)
    for m in (a, b, c):
        s.sign_up(activity=activity, member=m, by=m.user)
    s.sign_up_cancel(signup=SignUp.objects.get(activity=activity, member=c), by=c.user)
    assert [st for _, st in states(activity)] == ["confirmed", "confirmed", "cancelled"]


def test_a_larger_capacity_promotes_and_a_smaller_one_is_refused(activity, qiantang):
    a, b, c = members_with_accounts(qiantang, 3)
    for m in (a, b, c):
        s.sign_up(activity=activity, member=m, by=m.user)
    with pytest.raises(Exception) as refused:
        s.activity_update(activity=activity, by=user("zhuanwei"), capacity=1)
    assert "名额不能少于 2" in str(refused.value)
    s.activity_update(activity=activity, by=user("zhuanwei"), capacity=3)
    assert [st for _, st in states(activity)] == ["confirmed"] * 3


def test_signing_up_again_after_cancelling_goes_to_the_end(activity, qiantang):
    a, b, c = members_with_accounts(qiantang, 3)
    for m in (a, b):
        s.sign_up(activity=activity, member=m, by=m.user)
    s.sign_up_cancel(signup=SignUp.objects.get(activity=activity, member=a), by=a.user)
    s.sign_up(activity=activity, member=c, by=c.user)
    again = s.sign_up(activity=activity, member=a, by=a.user)
    assert again.state == "waitlisted"


# --------------------------------------------------------------------------- refusals change nothing


def _refused(activity, m, by=None, text=""):
    before = (SignUp.objects.count(), Invitation.objects.filter(meeting_id=activity.meeting_id).count())
    events = Event.objects.count()
    with pytest.raises((TransitionRefused, PermissionDenied)) as exc:
        s.sign_up(activity=activity, member=m, by=by or m.user)
    assert text in str(getattr(exc.value, "message", exc.value))
    assert (SignUp.objects.count(), Invitation.objects.filter(meeting_id=activity.meeting_id).count()) == before
    assert Event.objects.count() == events


def test_signing_up_twice_is_refused(activity):
    zhu = member("zhuzheng")
    s.sign_up(activity=activity, member=zhu, by=zhu.user)
    _refused(activity, zhu, text="已报名")


def test_waitlisted_twice_is_refused_with_the_position(qiantang):
    activity = make_activity(qiantang, capacity=1)
    a, b = members_with_accounts(qiantang, 2)
    s.sign_up(activity=activity, member=a, by=a.user)
    s.sign_up(activity=activity, member=b, by=b.user)
    _refused(activity, b, text="候补名单中(第 1 位)")


def test_after_the_deadline_is_refused(qiantang):
    now = timezone.now()
    activity = make_activity(qiantang, signup_deadline=now - dt.timedelta(minutes=1))
    _refused(activity, member("zhuzheng"), text="报名已于")


def test_a_draft_closed_or_cancelled_activity_is_refused(qiantang):
    draft = make_activity(qiantang, publish=False)
    _refused(draft, member("zhuzheng"), text="未在报名中")
    cancelled = make_activity(qiantang)
    s.activity_cancel(activity=cancelled, by=user("zhuanwei"), reason="天气原因")
    cancelled.refresh_from_db()
    _refused(cancelled, member("zhuzheng"), text="未在报名中")


def test_a_closed_activity_is_refused(qiantang):
    now = timezone.now()
    activity = make_activity(
        qiantang, starts_at=now - dt.timedelta(hours=1), signup_deadline=now - dt.timedelta(hours=2)
    )
    s.activity_close(activity=activity, by=user("zhuanwei"))
    activity.refresh_from_db()
    _refused(activity, member("zhuzheng"), text="未在报名中")


def test_a_member_outside_the_scope_is_refused(qiantang):
    other = Sector.objects.filter(committee=qiantang).exclude(name="科技界").first()
    activity = make_activity(qiantang, audience="sector", audience_sector=other)
    _refused(activity, member("zhuzheng"), text=f"本活动限{other.name}报名")


def test_signing_up_someone_else_is_refused(activity):
    _refused(activity, member("zhuzheng"), by=user("xugang"))


def test_a_member_of_another_committee_is_refused(activity):
    mao_hz = Member.objects.get(committee__name="杭州市政协", user__username="maoxucheng")
    _refused(activity, mao_hz, text="不在报名范围内")


def test_cancel_after_check_in_is_refused(qiantang):
    from lvzhi.meetings import services as meetings

    now = timezone.now()
    activity = make_activity(
        qiantang,
        starts_at=now + dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=3),
        signup_deadline=now + dt.timedelta(minutes=20),
    )
    zhu = member("zhuzheng")
    signup = s.sign_up(activity=activity, member=zhu, by=zhu.user)
    meeting = Meeting.objects.get(pk=activity.meeting_id)
    meetings.check_in_by_code(meeting=meeting, member=zhu, code=meeting.checkin_code, by=zhu.user)
    with pytest.raises(TransitionRefused, match="已签到"):
        s.sign_up_cancel(signup=signup, by=zhu.user)
    assert SignUp.objects.get(pk=signup.pk).state == "confirmed"


def test_cancelling_the_activity_tells_everyone_signed_up(activity, qiantang, django_capture_on_commit_callbacks):
    a, b, c = members_with_accounts(qiantang, 3)
    for m in (a, b, c):
        s.sign_up(activity=activity, member=m, by=m.user)
    with django_capture_on_commit_callbacks(execute=True):
        s.activity_cancel(activity=activity, by=user("zhuanwei"), reason="台风预警,活动取消")
    for m in (a, b, c):
        assert Notification.objects.filter(user=m.user, title__contains="活动取消", body="台风预警,活动取消").exists()
    assert Meeting.objects.get(pk=activity.meeting_id).state == "cancelled"


def test_cancel_needs_a_reason(activity):
    with pytest.raises(TransitionRefused, match="理由"):
        s.activity_cancel(activity=activity, by=user("zhuanwei"), reason="  ")
    activity.refresh_from_db()
    assert activity.state == "published"


def test_a_member_cannot_publish(qiantang):
    activity = make_activity(qiantang, publish=False)
    with pytest.raises(TransitionRefused, match="权限"):
        s.activity_publish(activity=activity, by=user("zhuzheng"))
    activity.refresh_from_db()
    assert activity.state == "draft" and activity.meeting_id is None


def test_bad_input_is_refused_with_a_message(qiantang):
    from django.core.exceptions import ValidationError

    now = timezone.now()
    n = Activity.objects.count()
    with pytest.raises(ValidationError) as exc:
        make_activity(
            qiantang,
            publish=False,
            ends_at=now,
            starts_at=now + dt.timedelta(hours=1),
            signup_deadline=now + dt.timedelta(days=5),
            audience="studio",
        )
    messages = exc.value.message_dict
    assert "ends_at" in messages and "signup_deadline" in messages and "audience_studio" in messages
    assert Activity.objects.count() == n


# --------------------------------------------------------------------------- concurrency


def test_two_members_taking_the_last_seat_at_once_one_confirmed_one_waitlisted(transactional_demo):
    qt = Committee.objects.get(name="杭州市钱塘区政协")
    activity = make_activity(qt, capacity=3)
    first, a, b = members_with_accounts(qt, 3)
    s.sign_up(activity=activity, member=first, by=first.user)
    s.sign_up(activity=activity, member=members_with_accounts(qt, 4)[3], by=members_with_accounts(qt, 4)[3].user)
    results, errors, barrier = [], [], threading.Barrier(2)

    def take(m):
        try:
            barrier.wait()
            results.append(s.sign_up(activity=activity, member=m, by=m.user).state)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(m,)) for m in (a, b)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    assert sorted(results) == ["confirmed", "waitlisted"]
    assert SignUp.objects.filter(activity=activity, state="confirmed").count() == 3
    assert SignUp.objects.filter(activity=activity, state="waitlisted").count() == 1
    assert Invitation.objects.filter(meeting_id=activity.meeting_id).count() == 3


def test_the_same_member_twice_at_once_signs_up_once(transactional_demo):
    qt = Committee.objects.get(name="杭州市钱塘区政协")
    activity = make_activity(qt, capacity=5)
    (m,) = members_with_accounts(qt, 1)
    results, barrier = [], threading.Barrier(2)

    def take():
        try:
            barrier.wait()
            results.append(s.sign_up(activity=activity, member=m, by=m.user).state)
        except TransitionRefused as e:
            results.append(e.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(results) == ["confirmed", "您已报名本活动,无需重复报名。"]
    assert SignUp.objects.filter(activity=activity, member=m).count() == 1


def test_signing_up_sends_no_meeting_notice(activity, django_capture_on_commit_callbacks):
    zhu = member("zhuzheng")
    with django_capture_on_commit_callbacks(execute=True):
        s.sign_up(activity=activity, member=zhu, by=zhu.user)
    assert not Notification.objects.filter(user=zhu.user, title__contains=activity.title).exists()
