"""The registration desk (报到台): search, verify, hand out materials, paper commitment letter, QR card."""

import datetime as dt

import pytest
import segno
from django.utils import timezone

from lvzhi.core.models import Event
from lvzhi.meetings import services as s
from lvzhi.meetings.models import Invitation
from lvzhi.org.models import Member
from tests.conftest import client_for, user


def inv(meeting, name):
    return Invitation.objects.select_related("member").get(meeting=meeting, member__name=name)


def desk_url(meeting, invitation=None):
    base = f"/meetings/staff/{meeting.pk}/desk/"
    return base if invitation is None else f"{base}{invitation.pk}/"


@pytest.fixture
def huiwu(db):
    return client_for("huiwu")


def test_it_finds_a_member_by_name(plenary, huiwu):
    page = huiwu.get(desk_url(plenary), {"q": "朱政"}).content.decode()
    assert "朱政" in page and "13900000118" in page
    assert page.count("<tr data-state=") == 1


def test_it_finds_a_member_by_mobile(plenary, huiwu):
    page = huiwu.get(desk_url(plenary), {"q": "13900000118"}).content.decode()
    assert page.count("<tr data-state=") == 1 and "朱政" in page


def test_it_finds_members_by_sector(qiantang, plenary, huiwu):
    page = huiwu.get(desk_url(plenary), {"q": "科技界"}).content.decode()
    in_sector = Member.objects.filter(committee=qiantang, sector__name="科技界", state="active").count()
    assert in_sector == 14
    assert page.count("<tr data-state=") == in_sector
    assert "朱政" in page


def test_it_says_when_nobody_matches(plenary, huiwu):
    page = huiwu.get(desk_url(plenary), {"q": "无此人"}).content.decode()
    assert 'data-testid="desk-none"' in page and "<tr data-state=" not in page


def test_it_finds_only_invited_members(qiantang, huiwu):
    meeting = _forum(qiantang, invite=["徐钢"])
    page = huiwu.get(desk_url(meeting), {"q": "朱政"}).content.decode()
    assert 'data-testid="desk-none"' in page


def test_it_registers_a_member_at_the_desk(plenary, huiwu):
    zhu = inv(plenary, "朱政")
    page = huiwu.get(desk_url(plenary, zhu)).content.decode()
    assert "我承诺严格遵守会议纪律" in page and 'data-testid="register-form"' in page
    response = huiwu.post(
        desk_url(plenary, zhu),
        {"details_checked": "on", "materials": ["会议指南", "出席证"], "commitment_signed": "on"},
    )
    assert response.status_code == 302
    zhu.refresh_from_db()
    assert zhu.state == "registered" and zhu.registered_at is not None
    assert zhu.materials_received == ["会议指南", "出席证"]
    assert zhu.commitment_signed_name == "朱政" and zhu.commitment_signed_at is not None
    event = Event.objects.get(action="attendance.register", subject_id=zhu.pk)
    assert event.actor == user("huiwu") and event.data["materials"] == ["会议指南", "出席证"]
    page = huiwu.get(desk_url(plenary, zhu)).content.decode()
    assert "朱政 报到完成" in page and 'data-testid="registration-done"' in page
    assert 'data-testid="register-form"' not in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"materials": ["会议指南"], "commitment_signed": "on"}, "核对个人信息"),
        ({"details_checked": "on", "materials": ["会议指南"]}, "纸质承诺书"),
        ({"details_checked": "on", "materials": ["假材料"], "commitment_signed": "on"}, "假材料"),
    ],
)
def test_bad_registration_input_changes_nothing(plenary, huiwu, data, message):
    zhu = inv(plenary, "朱政")
    response = huiwu.post(desk_url(plenary, zhu), data)
    assert response.status_code == 400 and message in response.content.decode()
    zhu.refresh_from_db()
    assert zhu.state == "invited" and zhu.registered_at is None
    assert not Event.objects.filter(action="attendance.register", subject_id=zhu.pk).exists()


def test_a_second_registration_is_refused(plenary, huiwu):
    zhu = inv(plenary, "朱政")
    s.registration_complete(invitation=zhu, by=user("zhuzheng"), materials=["会议指南"], signed_name="朱政")
    response = huiwu.post(
        desk_url(plenary, zhu),
        {"details_checked": "on", "materials": ["出席证"], "commitment_signed": "on"},
        follow=True,
    )
    assert "不能执行此操作" in response.content.decode()
    zhu.refresh_from_db()
    assert zhu.materials_received == ["会议指南"]
    assert Event.objects.filter(action="attendance.register", subject_id=zhu.pk).count() == 1


def test_it_shows_the_members_qr_code_group_and_seat(plenary, huiwu):
    s.groups_by_sector(meeting=plenary, by=user("huiwu"), group_count=3)
    zhu = inv(plenary, "朱政")
    zhu.seat = "3排12座"
    zhu.save(update_fields=["seat"])
    zhu.group.room = "301会议室"
    zhu.group.save(update_fields=["room"])

    def svg():  # the signed code carries a timestamp (to the second): accept the code of either side
        return segno.make(s.qr_token(zhu), error="m").svg_inline(scale=6, border=2, title="朱政")

    before = svg()
    page = huiwu.get(desk_url(plenary, zhu)).content.decode()
    assert before in page or svg() in page
    assert zhu.group.name in page and "301会议室" in page and "3排12座" in page


def test_a_meeting_without_a_commitment_letter_needs_no_tick(qiantang, huiwu):
    meeting = _forum(qiantang, invite=["朱政"])
    zhu = inv(meeting, "朱政")
    assert "纸质承诺书" not in huiwu.get(desk_url(meeting, zhu)).content.decode()
    assert huiwu.post(desk_url(meeting, zhu), {"details_checked": "on"}).status_code == 302
    zhu.refresh_from_db()
    assert zhu.state == "registered" and zhu.commitment_signed_name == ""


@pytest.mark.parametrize("name", ["zhuzheng", "fgj"])
def test_it_refuses_members_and_units(plenary, name):
    client = client_for(name)
    zhu = inv(plenary, "朱政")
    assert client.get(desk_url(plenary)).status_code == 403
    assert client.post(desk_url(plenary, zhu), {"details_checked": "on", "commitment_signed": "on"}).status_code == 403
    zhu.refresh_from_db()
    assert zhu.state == "invited"


def test_another_committees_meeting_is_not_found(hangzhou, huiwu):
    meeting = _hangzhou_meeting(hangzhou)
    invitation = meeting.invitations.get()
    assert huiwu.get(desk_url(meeting)).status_code == 404
    assert huiwu.get(desk_url(meeting, invitation)).status_code == 404


def test_an_invitation_of_another_meeting_is_not_found(qiantang, plenary, huiwu):
    other = _forum(qiantang, invite=["朱政"])
    assert huiwu.get(desk_url(plenary, inv(other, "朱政"))).status_code == 404


def _forum(committee, *, invite, commitment=""):
    now = timezone.now()
    meeting = s.meeting_create(
        committee=committee,
        by=user("huiwu"),
        kind="forum",
        title="专题座谈会",
        place="三楼会议室",
        starts_at=now + dt.timedelta(minutes=10),
        ends_at=now + dt.timedelta(hours=2),
        doors_open_at=now - dt.timedelta(minutes=10),
        commitment_text=commitment,
    )
    s.meeting_invite(
        meeting=meeting, by=user("huiwu"), members=Member.objects.filter(committee=committee, name__in=invite)
    )
    s.meeting_publish(meeting=meeting, by=user("huiwu"))
    return meeting


def _hangzhou_meeting(hangzhou):
    now = timezone.now()
    meeting = s.meeting_create(
        committee=hangzhou,
        by=user("hz_office"),
        kind="standing",
        title="市政协常委会议",
        place="杭州",
        starts_at=now + dt.timedelta(minutes=10),
        ends_at=now + dt.timedelta(hours=2),
        doors_open_at=now - dt.timedelta(minutes=10),
    )
    s.meeting_invite(
        meeting=meeting, by=user("hz_office"), members=Member.objects.filter(committee=hangzhou, name="茅徐程")
    )
    s.meeting_publish(meeting=meeting, by=user("hz_office"))
    return meeting
