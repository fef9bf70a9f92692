"""The member's meeting pages (phone): my meetings, the meeting with agenda, documents, group, room and
seat; registration; my check-in QR code; self check-in; leave; speeches. Every refusal changes nothing."""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from lvzhi.core.models import Event
from lvzhi.meetings import services as s
from lvzhi.meetings.models import AgendaItem, Document, Group, Invitation, LeaveRequest, Meeting, Speech
from lvzhi.meetings.views_member import qr_svg
from lvzhi.org.models import Member
from tests.conftest import client_for, user


def inv(meeting, name):
    return Invitation.objects.get(meeting=meeting, member__name=name)


def make_meeting(committee, *, invite, title="常委会第五次会议", publish=True, by="huiwu", **values):
    now = timezone.now()
    defaults = dict(
        kind="standing",
        title=title,
        place="区政协三楼会议室",
        starts_at=now + dt.timedelta(days=2),
        ends_at=now + dt.timedelta(days=2, hours=3),
        doors_open_at=now + dt.timedelta(days=2, minutes=-30),
    )
    defaults.update(values)
    meeting = s.meeting_create(committee=committee, by=user(by), **defaults)
    s.meeting_invite(meeting=meeting, by=user(by), members=invite)
    if publish:
        s.meeting_publish(meeting=meeting, by=user(by))
    meeting.refresh_from_db()
    return meeting


def member(committee, name):
    return Member.objects.get(committee=committee, name=name)


# --------------------------------------------------------------------------- my meetings


def test_my_meetings_lists_only_meetings_i_am_invited_to_in_this_committee(qiantang, hangzhou, plenary):
    other = make_meeting(qiantang, invite=[member(qiantang, "徐钢")], title="只邀请徐钢的座谈会")
    draft = make_meeting(qiantang, invite=[member(qiantang, "茅徐程")], title="尚未发布的会议", publish=False)
    city = make_meeting(hangzhou, invite=[member(hangzhou, "茅徐程")], title="杭州市政协常委会议", by="hz_office")
    client = client_for("maoxucheng")  # acts in 钱塘 first

    page = client.get("/meetings/").content.decode()
    assert plenary.title in page
    assert other.title not in page and draft.title not in page and city.title not in page
    assert "未报到" in page
    assert client.get(f"/meetings/{city.pk}/").status_code == 404  # another committee's meeting
    assert client.get(f"/meetings/{draft.pk}/").status_code == 404  # not published yet

    xu = client_for("xugang").get("/meetings/").content.decode()
    assert other.title in xu and plenary.title in xu


def test_upcoming_first_and_past_below_with_my_state_in_words(qiantang, plenary):
    zhu = member(qiantang, "朱政")
    past = make_meeting(
        qiantang,
        invite=[zhu],
        title="上月的主席会议",
        kind="chairman",
        starts_at=timezone.now() - dt.timedelta(days=30),
        ends_at=timezone.now() - dt.timedelta(days=30) + dt.timedelta(hours=2),
        doors_open_at=timezone.now() - dt.timedelta(days=30, minutes=30),
    )
    s.meeting_close(meeting=past, by=user("huiwu"))
    page = client_for("zhuzheng").get("/meetings/").content.decode()
    upcoming, _, below = page.partition('data-testid="past"')
    assert plenary.title in upcoming and past.title in below
    assert "缺席" in below  # closed without a check-in: absent


def test_a_staff_account_without_a_member_role_is_refused(plenary):
    assert client_for("huiwu").get("/meetings/").status_code == 403


# --------------------------------------------------------------------------- the meeting page


def test_the_meeting_page_shows_agenda_documents_group_room_and_seat(qiantang, plenary, member_client):
    item = AgendaItem.objects.create(committee=qiantang, meeting=plenary, order=1, title="听取常委会工作报告")
    doc = Document(committee=qiantang, meeting=plenary, agenda_item=item, name="常委会工作报告", size=9)
    doc.file.save("report.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    group = Group.objects.create(committee=qiantang, meeting=plenary, name="第三组", room="305会议室")
    Invitation.objects.filter(pk=inv(plenary, "朱政").pk).update(group=group, seat="5排12号")

    page = member_client.get(f"/meetings/{plenary.pk}/").content.decode()
    for text in ("听取常委会工作报告", "常委会工作报告", "第三组", "305会议室", "5排12号", plenary.place, "未报到"):
        assert text in page
    url = f"/meetings/documents/{doc.pk}/"
    assert url in page
    response = member_client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 x"
    assert "report.pdf" in response["Content-Disposition"] or "pdf" in response["Content-Disposition"]


def test_a_meeting_i_am_not_invited_to_is_404_with_its_documents(qiantang, member_client):
    other = make_meeting(qiantang, invite=[member(qiantang, "徐钢")])
    doc = Document(committee=qiantang, meeting=other, name="会议指南", size=4)
    doc.file.save("guide.pdf", ContentFile(b"%PDF"), save=True)
    for path in ("", "register/", "qr/", "leave/", "speech/"):
        assert member_client.get(f"/meetings/{other.pk}/{path}").status_code == 404, path
    assert member_client.get(f"/meetings/documents/{doc.pk}/").status_code == 404
    assert member_client.post(f"/meetings/{other.pk}/leave/", {"reason": "有事"}).status_code == 404
    assert not LeaveRequest.objects.filter(invitation__meeting=other).exists()


# --------------------------------------------------------------------------- registration


def test_registration_verifies_ticks_materials_and_signs(plenary, member_client):
    page = member_client.get(f"/meetings/{plenary.pk}/register/").content.decode()
    assert "13900000118" in page and "科技界" in page and "我承诺严格遵守会议纪律。" in page
    response = member_client.post(
        f"/meetings/{plenary.pk}/register/",
        {"details_ok": "on", "materials": ["会议指南", "出席证"], "signed_name": "朱政"},
    )
    assert response.status_code == 302
    zhu = inv(plenary, "朱政")
    assert zhu.state == "registered" and zhu.materials_received == ["会议指南", "出席证"]
    assert zhu.commitment_signed_name == "朱政" and zhu.commitment_signed_at
    assert Event.objects.filter(action="attendance.register", subject_id=zhu.pk).count() == 1
    assert "报到成功" in member_client.get(response.url).content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"details_ok": "on", "materials": ["会议指南"], "signed_name": "徐钢"}, "请输入您的姓名"),
        ({"details_ok": "on", "materials": ["会议指南", "纪念品"], "signed_name": "朱政"}, "纪念品"),
        ({"materials": ["会议指南"], "signed_name": "朱政"}, "我已核对以上信息"),
        ({"details_ok": "on", "materials": ["会议指南"], "signed_name": ""}, "签署承诺书"),
    ],
)
def test_registration_refuses_bad_input_and_records_nothing(plenary, member_client, data, message):
    response = member_client.post(f"/meetings/{plenary.pk}/register/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    zhu = inv(plenary, "朱政")
    assert zhu.state == "invited" and zhu.registered_at is None and zhu.materials_received == []
    assert not Event.objects.filter(action="attendance.register", subject_id=zhu.pk).exists()


# --------------------------------------------------------------------------- my QR code


def test_the_qr_page_draws_my_code_inline_and_the_code_checks_me_in(plenary, member_client):
    response = member_client.get(f"/meetings/{plenary.pk}/qr/")
    page = response.content.decode()
    assert "<svg" in page and "<img" not in page.split('data-testid="qr"')[1].split("</figure>")[0]
    assert "朱政" in page and plenary.title in page
    token = re.search(r'data-token="([^"]+)"', page).group(1)
    assert qr_svg(token) in page  # the drawn code is this token
    assert "private" in response["Cache-Control"]
    result = s.check_in_by_qr(meeting=plenary, token=token, by=user("huiwu"))
    assert result.first and result.invitation.member.name == "朱政"
    assert inv(plenary, "朱政").state == "present"


def test_no_code_for_a_finished_meeting(plenary, member_client):
    s.meeting_close(meeting=plenary, by=user("huiwu"))
    page = member_client.get(f"/meetings/{plenary.pk}/qr/").content.decode()
    assert "<svg" not in page and "会议已结束" in page


# --------------------------------------------------------------------------- self check-in


def test_self_check_in_with_the_right_code(plenary, member_client):
    response = member_client.post(f"/meetings/{plenary.pk}/checkin/", {"code": plenary.checkin_code}, follow=True)
    assert "签到成功" in response.content.decode()
    zhu = inv(plenary, "朱政")
    assert zhu.state == "present" and zhu.checkin_method == "code"
    again = member_client.post(f"/meetings/{plenary.pk}/checkin/", {"code": plenary.checkin_code}, follow=True)
    assert "无需重复签到" in again.content.decode()
    assert Event.objects.filter(action="attendance.check_in", subject_id=zhu.pk).count() == 1


@pytest.mark.parametrize("code, message", [("wrong", "签到码是六位数字"), ("", "请输入"), (None, "签到码不正确")])
def test_self_check_in_with_a_wrong_code_records_nothing(plenary, member_client, code, message):
    if code is None:
        code = "000000" if plenary.checkin_code != "000000" else "111111"
    response = member_client.post(f"/meetings/{plenary.pk}/checkin/", {"code": code}, follow=True)
    assert message in response.content.decode()
    zhu = inv(plenary, "朱政")
    assert zhu.state == "invited"
    assert not Event.objects.filter(action="attendance.check_in", subject_id=zhu.pk).exists()


def test_self_check_in_when_the_meeting_does_not_allow_it(plenary, member_client):
    Meeting.objects.filter(pk=plenary.pk).update(self_checkin=False)
    page = member_client.get(f"/meetings/{plenary.pk}/").content.decode()
    assert 'data-testid="self-checkin"' not in page
    response = member_client.post(f"/meetings/{plenary.pk}/checkin/", {"code": plenary.checkin_code}, follow=True)
    assert "未开放自助签到" in response.content.decode()
    assert inv(plenary, "朱政").state == "invited"


def test_self_check_in_before_the_doors_open(qiantang, member_client):
    meeting = make_meeting(qiantang, invite=[member(qiantang, "朱政")], self_checkin=True)
    response = member_client.post(f"/meetings/{meeting.pk}/checkin/", {"code": meeting.checkin_code}, follow=True)
    assert "签到尚未开始" in response.content.decode()
    assert inv(meeting, "朱政").state == "invited"


# --------------------------------------------------------------------------- leave and speeches


def test_leave_request_then_not_twice(plenary, member_client):
    response = member_client.post(f"/meetings/{plenary.pk}/leave/", {"reason": "赴外地出差"}, follow=True)
    page = response.content.decode()
    assert "请假已提交" in page and "待审批" in page
    zhu = inv(plenary, "朱政")
    assert zhu.leave_requests.get().reason == "赴外地出差"
    assert Event.objects.filter(action="meeting.leave_requested", subject_id=zhu.pk).count() == 1

    again = member_client.post(f"/meetings/{plenary.pk}/leave/", {"reason": "再请一次"}, follow=True)
    assert "等待审批" in again.content.decode()
    assert zhu.leave_requests.count() == 1

    s.leave_decide(leave=zhu.leave_requests.get(), by=user("huiwu"), approve=True)
    page = member_client.get(f"/meetings/{plenary.pk}/").content.decode()
    assert "已准假" in page and 'data-testid="qr"' not in page


def test_leave_without_a_reason_is_refused(plenary, member_client):
    response = member_client.post(f"/meetings/{plenary.pk}/leave/", {"reason": "  "})
    assert response.status_code == 400 and "请填写请假事由" in response.content.decode()
    assert not LeaveRequest.objects.filter(invitation__meeting=plenary).exists()


def test_speech_application_and_its_state(plenary, member_client):
    response = member_client.post(
        f"/meetings/{plenary.pk}/speech/",
        {"kind": "oral", "title": "加快建设钱塘科创走廊", "text": "各位委员:……"},
        follow=True,
    )
    page = response.content.decode()
    assert "发言申请已提交" in page and "加快建设钱塘科创走廊" in page and "已申请" in page
    speech = Speech.objects.get(meeting=plenary, member__name="朱政")
    assert speech.kind == "oral" and speech.state == "applied"
    s.speech_decide(speech=speech, by=user("huiwu"), action="select", order=1)
    assert "已安排大会发言" in member_client.get(f"/meetings/{plenary.pk}/").content.decode()


def test_a_written_speech_is_filed_as_written(plenary, member_client):
    member_client.post(f"/meetings/{plenary.pk}/speech/", {"kind": "written", "title": "书面意见", "text": "内容"})
    assert Speech.objects.get(meeting=plenary, member__name="朱政").state == "written"


@pytest.mark.parametrize(
    "data", [{"kind": "oral", "title": "", "text": "x"}, {"kind": "song", "title": "t", "text": "x"}]
)
def test_speech_bad_input_is_refused(plenary, member_client, data):
    response = member_client.post(f"/meetings/{plenary.pk}/speech/", data)
    assert response.status_code == 400
    assert not Speech.objects.filter(meeting=plenary).exists()
