"""Door check-in (签到): a scanned code or a typed mobile/name; success, duplicates and every refusal."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.core.models import Event
from lvzhi.meetings import services as s
from lvzhi.meetings.models import Invitation
from lvzhi.org.models import Member
from tests.conftest import client_for, user

HX = {"HTTP_HX_REQUEST": "true"}


def inv(meeting, name):
    return Invitation.objects.select_related("member").get(meeting=meeting, member__name=name)


def check(client, meeting, entry, htmx=True):
    return client.post(f"/meetings/staff/{meeting.pk}/door/check/", {"entry": entry}, **(HX if htmx else {}))


_before = {}


@pytest.fixture(autouse=True)
def _count_from_here(db):
    """The demo may hold check-ins of its own: count the ones made by each test."""
    _before["n"] = Event.objects.filter(action="attendance.check_in").count()


def checkins():
    return Event.objects.filter(action="attendance.check_in").count() - _before["n"]


def make_meeting(committee, *, by="huiwu", invite=("朱政",), opens=-10, starts=10, ends=120, publish=True):
    now = timezone.now()
    meeting = s.meeting_create(
        committee=committee,
        by=user(by),
        kind="forum",
        title="专题座谈会",
        place="三楼会议室",
        starts_at=now + dt.timedelta(minutes=starts),
        ends_at=now + dt.timedelta(minutes=ends),
        doors_open_at=now + dt.timedelta(minutes=opens),
    )
    s.meeting_invite(
        meeting=meeting, by=user(by), members=Member.objects.filter(committee=committee, name__in=list(invite))
    )
    if publish:
        s.meeting_publish(meeting=meeting, by=user(by))
    return meeting


@pytest.fixture
def huiwu(db):
    return client_for("huiwu")


def test_the_door_page_is_a_phone_page_with_the_scanner(plenary, huiwu):
    page = huiwu.get(f"/meetings/staff/{plenary.pk}/door/").content.decode()
    assert "js/checkin_door.js" in page and 'id="scan-video"' in page
    assert f'hx-post="/meetings/staff/{plenary.pk}/door/check/"' in page
    assert "已签到 <strong>0</strong> / 应到 205 人" in page


def test_a_scanned_code_checks_the_member_in(plenary, huiwu):
    zhu = inv(plenary, "朱政")
    response = check(huiwu, plenary, s.qr_token(zhu))
    page = response.content.decode()
    zhu.refresh_from_db()
    assert response.status_code == 200 and zhu.state == "present" and zhu.checkin_method == "qr"
    assert zhu.checked_in_by == user("huiwu")
    when = timezone.localtime(zhu.checked_in_at).strftime("%H:%M")
    assert 'data-status="ok"' in page and f"签到成功 {when}" in page and "朱政" in page
    assert "<html" not in page  # a fragment
    assert "已签到 <strong>1</strong> / 应到 205 人" in page
    assert checkins() == 1


def test_a_second_scan_says_already_with_the_time_and_records_nothing(plenary, huiwu):
    token = s.qr_token(inv(plenary, "朱政"))
    check(huiwu, plenary, token)
    first_at = inv(plenary, "朱政").checked_in_at
    page = check(huiwu, plenary, token).content.decode()
    assert 'data-status="again"' in page
    assert f"已于 {timezone.localtime(first_at).strftime('%H:%M')} 签到" in page
    assert inv(plenary, "朱政").checked_in_at == first_at
    assert checkins() == 1


@pytest.mark.parametrize(
    "entry, refusal",
    [("13900000118", None), ("139 0000 0118", None), ("朱政", None)],
)
def test_a_typed_mobile_or_name_checks_the_member_in(plenary, huiwu, entry, refusal):
    page = check(huiwu, plenary, entry).content.decode()
    zhu = inv(plenary, "朱政")
    assert 'data-status="ok"' in page and zhu.state == "present" and zhu.checkin_method == "desk"


def test_without_javascript_the_door_answers_the_whole_page(plenary, huiwu):
    page = check(huiwu, plenary, "13900000118", htmx=False).content.decode()
    assert "<html" in page and 'data-status="ok"' in page and 'id="door-form"' in page


def assert_refused(response, message, *invitations):
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="refused"' in page, page
    assert message in page
    for invitation in invitations:
        invitation.refresh_from_db()
        assert invitation.state == "invited" and invitation.checked_in_at is None
    assert checkins() == 0


def test_a_forged_code_is_refused(plenary, huiwu):
    zhu = inv(plenary, "朱政")
    assert_refused(check(huiwu, plenary, s.qr_token(zhu)[:-3] + "abc"), "二维码无效", zhu)
    assert_refused(check(huiwu, plenary, "lvzhi:checkin:1"), "二维码无效", zhu)


def test_another_meetings_code_is_refused(qiantang, plenary, huiwu):
    other = make_meeting(qiantang)
    zhu_other = inv(other, "朱政")
    assert_refused(check(huiwu, plenary, s.qr_token(zhu_other)), "其他会议", zhu_other, inv(plenary, "朱政"))


def test_another_committees_code_is_refused(hangzhou, plenary, huiwu):
    city = make_meeting(hangzhou, by="hz_office", invite=["茅徐程"])
    mao_city = city.invitations.get()
    assert_refused(check(huiwu, plenary, s.qr_token(mao_city)), "其他委员会", mao_city, inv(plenary, "茅徐程"))


def test_a_member_not_invited_is_refused(qiantang, huiwu):
    meeting = make_meeting(qiantang, invite=["徐钢"])
    assert_refused(check(huiwu, meeting, "13900000118"), "朱政 不在本次会议的邀请名单中", inv(meeting, "徐钢"))
    assert_refused(check(huiwu, meeting, "朱政"), "不在本次会议的邀请名单中")


def test_an_unknown_mobile_or_name_is_refused(plenary, huiwu):
    assert_refused(check(huiwu, plenary, "13000000000"), "没有手机号为 13000000000 的委员")
    assert_refused(check(huiwu, plenary, "无此人"), "没有名为「无此人」的委员")
    assert_refused(check(huiwu, plenary, "   "), "请扫描委员的签到二维码")


def test_a_check_in_before_the_doors_open_is_refused(qiantang, huiwu):
    meeting = make_meeting(qiantang, opens=30, starts=60, ends=120)
    zhu = inv(meeting, "朱政")
    assert_refused(check(huiwu, meeting, s.qr_token(zhu)), "签到尚未开始", zhu)
    assert_refused(check(huiwu, meeting, "13900000118"), "签到尚未开始", zhu)


def test_a_check_in_after_the_meeting_is_refused(qiantang, huiwu):
    meeting = make_meeting(qiantang, opens=-180, starts=-150, ends=-30)
    zhu = inv(meeting, "朱政")
    assert_refused(check(huiwu, meeting, s.qr_token(zhu)), "会议已结束", zhu)


def test_a_closed_meeting_refuses_check_in(qiantang, huiwu):
    meeting = make_meeting(qiantang, invite=["朱政", "徐钢"])
    token = s.qr_token(inv(meeting, "朱政"))
    s.meeting_close(meeting=meeting, by=user("huiwu"))
    page = check(huiwu, meeting, token).content.decode()
    assert 'data-status="refused"' in page and "会议未发布或已结束" in page
    assert inv(meeting, "朱政").state == "absent" and checkins() == 0


def test_a_member_on_leave_is_refused(plenary, huiwu):
    xu = inv(plenary, "徐钢")
    leave = s.leave_request(invitation=xu, by=user("xugang"), reason="出差")
    s.leave_decide(leave=leave, by=user("huiwu"), approve=True)
    page = check(huiwu, plenary, s.qr_token(xu)).content.decode()
    assert 'data-status="refused"' in page and "已请假" in page
    xu.refresh_from_db()
    assert xu.state == "on_leave" and checkins() == 0


@pytest.mark.parametrize("name", ["zhuzheng", "fgj"])
def test_members_and_units_may_not_check_anyone_in(plenary, name):
    client = client_for(name)
    zhu = inv(plenary, "朱政")
    assert client.get(f"/meetings/staff/{plenary.pk}/door/").status_code == 403
    assert check(client, plenary, s.qr_token(zhu)).status_code == 403
    zhu.refresh_from_db()
    assert zhu.state == "invited" and checkins() == 0


def test_another_committees_meeting_is_not_found(hangzhou, huiwu):
    city = make_meeting(hangzhou, by="hz_office", invite=["茅徐程"])
    assert huiwu.get(f"/meetings/staff/{city.pk}/door/").status_code == 404
    assert check(huiwu, city, s.qr_token(city.invitations.get())).status_code == 404
    assert checkins() == 0


def test_the_door_answers_only_posts(plenary, huiwu):
    assert huiwu.get(f"/meetings/staff/{plenary.pk}/door/check/").status_code == 405
