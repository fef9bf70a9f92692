"""Members withdraw their own leave request (while pending) and their own speech application (applied or
selected): services, the phone pages (a button with a confirmation), the API; another member's is refused,
so is one already decided, and nothing changes; a withdrawn selected speech tells the meetings staff."""

import pytest
from django.core.exceptions import PermissionDenied

from lvzhi.core.models import Event, Notification
from lvzhi.core.workflow import TransitionRefused
from lvzhi.meetings import services as s
from lvzhi.meetings import services_setup as setup
from lvzhi.meetings.models import Invitation, LeaveRequest, Speech
from tests.api.conftest import api_for
from tests.conftest import client_for, user


def inv(meeting, name):
    return Invitation.objects.select_related("member", "meeting").get(meeting=meeting, member__name=name)


def leave_of(meeting, name="朱政", username="zhuzheng"):
    return s.leave_request(invitation=inv(meeting, name), by=user(username), reason="出差")


def speech_of(meeting, name="朱政", username="zhuzheng", title="关于数字经济的发言"):
    invitation = inv(meeting, name)
    speech = s.speech_apply(meeting=meeting, member=invitation.member, by=user(username), title=title, text="正文")
    return Speech.objects.select_related("member").get(pk=speech.pk)


def fresh_leave(leave):
    return LeaveRequest.objects.select_related("invitation__member").get(pk=leave.pk)


# --------------------------------------------------------------------------- leave


def test_a_member_withdraws_their_pending_leave_and_may_ask_again(plenary):
    leave = leave_of(plenary)
    s.leave_withdraw(leave=fresh_leave(leave), by=user("zhuzheng"))
    leave.refresh_from_db()
    assert leave.state == "withdrawn"
    assert Event.objects.filter(action="leave.withdraw", subject_id=leave.pk, to_state="withdrawn").count() == 1
    assert inv(plenary, "朱政").state == "invited"  # the attendance is untouched
    again = leave_of(plenary)
    assert again.state == "pending"


def test_another_members_leave_is_refused_and_unchanged(plenary):
    leave = leave_of(plenary)
    with pytest.raises(PermissionDenied, match="只能撤回本人的请假"):
        s.leave_withdraw(leave=fresh_leave(leave), by=user("xugang"))
    with pytest.raises(PermissionDenied):
        s.leave_withdraw(leave=fresh_leave(leave), by=user("huiwu"))
    leave.refresh_from_db()
    assert leave.state == "pending"
    assert not Event.objects.filter(action="leave.withdraw").exists()


def test_a_decided_leave_cannot_be_withdrawn(plenary):
    leave = leave_of(plenary)
    s.leave_decide(leave=fresh_leave(leave), by=user("huiwu"), approve=True)
    with pytest.raises(TransitionRefused, match="已准假.*只有待审批的请假可以撤回"):
        s.leave_withdraw(leave=fresh_leave(leave), by=user("zhuzheng"))
    leave.refresh_from_db()
    assert leave.state == "approved" and inv(plenary, "朱政").state == "on_leave"


def test_the_phone_pages_offer_the_withdrawal_with_a_confirmation(plenary):
    leave = leave_of(plenary)
    member = client_for("zhuzheng")
    page = member.get(f"/meetings/{plenary.pk}/").content.decode()
    url = f"/meetings/{plenary.pk}/leave/{leave.pk}/withdraw/"
    assert f'action="{url}"' in page and 'data-testid="leave-withdraw"' in page and "data-confirm=" in page
    assert f'action="{url}"' in member.get(f"/meetings/{plenary.pk}/leave/").content.decode()
    # another member cannot reach it
    assert client_for("xugang").post(url).status_code == 404
    assert fresh_leave(leave).state == "pending"
    r = member.post(url, {"next": "leave"}, follow=True)
    assert r.redirect_chain[-1][0] == f"/meetings/{plenary.pk}/leave/"
    assert "已撤回请假" in r.content.decode()
    assert fresh_leave(leave).state == "withdrawn"
    assert 'data-testid="leave-withdraw"' not in member.get(f"/meetings/{plenary.pk}/").content.decode()
    staff_page = client_for("huiwu").get(f"/meetings/staff/{plenary.pk}/leave/").content.decode()
    assert "已撤回" in staff_page  # the staff see it among the handled requests
    # a second press says why, and changes nothing
    r = member.post(url, follow=True)
    assert "只有待审批的请假可以撤回" in r.content.decode()


# --------------------------------------------------------------------------- speeches


def test_a_member_withdraws_an_applied_speech(plenary):
    speech = speech_of(plenary)
    s.speech_withdraw(speech=speech, by=user("zhuzheng"))
    speech.refresh_from_db()
    assert speech.state == "withdrawn"
    assert Event.objects.filter(action="speech.withdraw", subject_id=speech.pk).count() == 1


def test_a_withdrawn_selected_speech_moves_the_rest_up_and_tells_the_staff(plenary, django_capture_on_commit_callbacks):
    first = speech_of(plenary, title="第一个发言")
    second = speech_of(plenary, name="徐钢", username="xugang", title="第二个发言")
    setup.speech_select(speech=first, by=user("huiwu"))
    setup.speech_select(speech=second, by=user("huiwu"))
    with django_capture_on_commit_callbacks(execute=True):
        s.speech_withdraw(speech=Speech.objects.select_related("member").get(pk=first.pk), by=user("zhuzheng"))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.order) == ("withdrawn", None)
    assert (second.state, second.order) == ("selected", 1)
    note = Notification.objects.get(user=user("huiwu"), title__startswith="大会发言已撤回")
    assert "朱政" in note.title and note.url == f"/meetings/staff/{plenary.pk}/speeches/"
    event = Event.objects.get(action="speech.withdraw", subject_id=first.pk)
    assert event.data["was"] == "selected" and event.from_state == "selected"


def test_an_applied_speech_withdrawn_tells_nobody(plenary, django_capture_on_commit_callbacks):
    speech = speech_of(plenary)
    with django_capture_on_commit_callbacks(execute=True):
        s.speech_withdraw(speech=speech, by=user("zhuzheng"))
    assert not Notification.objects.filter(title__startswith="大会发言已撤回").exists()


def test_another_members_speech_and_decided_speeches_are_refused(plenary):
    speech = speech_of(plenary)
    with pytest.raises(PermissionDenied, match="只能撤回本人的发言申请"):
        s.speech_withdraw(speech=speech, by=user("xugang"))
    s.speech_decide(speech=speech, by=user("huiwu"), action="decline", reason="名额已满")
    with pytest.raises(TransitionRefused, match="未安排.*只有已申请或已安排的大会发言可以撤回"):
        s.speech_withdraw(speech=Speech.objects.select_related("member").get(pk=speech.pk), by=user("zhuzheng"))
    written = speech_of(plenary, title="书面")
    s.speech_decide(speech=written, by=user("huiwu"), action="to_written")
    with pytest.raises(TransitionRefused):
        s.speech_withdraw(speech=Speech.objects.select_related("member").get(pk=written.pk), by=user("zhuzheng"))
    assert set(Speech.objects.filter(meeting=plenary).values_list("state", flat=True)) == {"declined", "written"}
    assert not Event.objects.filter(action="speech.withdraw").exists()


def test_a_speech_of_a_closed_meeting_cannot_be_withdrawn(plenary):
    speech = speech_of(plenary)
    s.meeting_close(meeting=plenary, by=user("huiwu"))
    with pytest.raises(TransitionRefused, match="会议已结束"):
        s.speech_withdraw(speech=speech, by=user("zhuzheng"))
    speech.refresh_from_db()
    assert speech.state == "applied"


def test_the_speech_page_offers_the_withdrawal(plenary):
    speech = speech_of(plenary)
    member = client_for("zhuzheng")
    url = f"/meetings/{plenary.pk}/speech/{speech.pk}/withdraw/"
    page = member.get(f"/meetings/{plenary.pk}/speech/").content.decode()
    assert f'action="{url}"' in page and 'data-testid="speech-withdraw"' in page
    assert f'action="{url}"' in member.get(f"/meetings/{plenary.pk}/").content.decode()
    assert client_for("xugang").post(url).status_code == 404
    assert client_for("huiwu").post(url).status_code in (403, 404)
    speech.refresh_from_db()
    assert speech.state == "applied"
    r = member.post(url, {"next": "speech"}, follow=True)
    assert "已撤回发言申请" in r.content.decode()
    speech.refresh_from_db()
    assert speech.state == "withdrawn"
    staff_page = client_for("huiwu").get(f"/meetings/staff/{plenary.pk}/speeches/").content.decode()
    assert "已撤回" in staff_page and speech.title in staff_page


# --------------------------------------------------------------------------- API


def test_the_api_withdraws_own_leave_and_speech_only(plenary):
    leave, speech = leave_of(plenary), speech_of(plenary)
    base = f"/meetings/{plenary.pk}"
    other = api_for("xugang")
    r = other.post(f"{base}/leave/{leave.pk}/withdraw")
    assert r.status_code == 403 and "本人" in r.json()["detail"]
    assert other.post(f"{base}/speeches/{speech.pk}/withdraw").status_code == 403
    assert api_for("huiwu").post(f"{base}/leave/{leave.pk}/withdraw").status_code == 403  # not a member
    assert fresh_leave(leave).state == "pending"
    mine = api_for("zhuzheng")
    got = mine.post(f"{base}/leave/{leave.pk}/withdraw")
    assert got.status_code == 200 and got.json()["state"] == "withdrawn" and got.json()["state_label"] == "已撤回"
    again = mine.post(f"{base}/leave/{leave.pk}/withdraw")
    assert again.status_code == 409 and "只有待审批的请假可以撤回" in again.json()["detail"]
    got = mine.post(f"{base}/speeches/{speech.pk}/withdraw")
    assert got.status_code == 200 and got.json()["state"] == "withdrawn"
    assert mine.post(f"{base}/speeches/{speech.pk}/withdraw").status_code == 409
    assert mine.post(f"{base}/speeches/999999/withdraw").status_code == 404


def test_a_withdrawal_and_a_decision_at_the_same_moment_one_wins_cleanly(transactional_demo):
    import datetime as dt
    import threading

    from django.db import connection
    from django.utils import timezone

    from lvzhi.org.models import Committee, Member

    qt = Committee.objects.get(name="杭州市钱塘区政协")
    now = timezone.now()
    meeting = s.meeting_create(
        committee=qt,
        by=user("huiwu"),
        kind="forum",
        title="座谈会",
        place="会议室",
        starts_at=now + dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=1, hours=2),
        doors_open_at=now + dt.timedelta(days=1, minutes=-30),
    )
    s.meeting_invite(meeting=meeting, by=user("huiwu"), members=Member.objects.filter(committee=qt, name="朱政"))
    s.meeting_publish(meeting=meeting, by=user("huiwu"))
    leave = leave_of(meeting)
    barrier, won, refused, errors = threading.Barrier(2), [], [], []

    def run(name, call):
        try:
            barrier.wait()
            call()
            won.append(name)
        except TransitionRefused:
            refused.append(name)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=run,
            args=("approve", lambda: s.leave_decide(leave=fresh_leave(leave), by=user("huiwu"), approve=True)),
        ),
        threading.Thread(
            target=run, args=("withdraw", lambda: s.leave_withdraw(leave=fresh_leave(leave), by=user("zhuzheng")))
        ),
    ]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == [] and len(won) == 1 and len(refused) == 1
    leave.refresh_from_db()
    attendance = Invitation.objects.get(meeting=meeting).state
    if won == ["approve"]:
        assert (leave.state, attendance) == ("approved", "on_leave")
    else:
        assert (leave.state, attendance) == ("withdrawn", "invited")
    assert Event.objects.filter(subject_id=leave.pk, action__in=["leave.approve", "leave.withdraw"]).count() == 1
