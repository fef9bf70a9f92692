"""The meeting staff's set-up pages: list, create/edit with the invited set, the meeting page and its
workflow actions, access (403 for members and units, 404 across committees)."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.core.models import Event, Notification
from lvzhi.meetings import services as s
from lvzhi.meetings.models import Invitation, Meeting
from lvzhi.org.models import Member, Sector, Session
from tests.conftest import client_for, user


@pytest.fixture
def huiwu(db):
    return client_for("huiwu")


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def form_data(qiantang, **over):
    start = timezone.now() + dt.timedelta(days=3)
    data = {
        "kind": "standing",
        "session": Session.objects.get(committee=qiantang, number=1).pk,
        "title": "常委会第五次会议",
        "place": "区政协三楼会议室",
        "starts_at": _local(start),
        "ends_at": _local(start + dt.timedelta(hours=2)),
        "doors_open_at": _local(start - dt.timedelta(minutes=30)),
        "registration_required": "on",
        "materials": "会议指南\n出席证\n会议指南\n",
        "commitment_text": "我承诺遵守会议纪律。",
        "self_checkin": "on",
        "scope": "all",
    }
    data.update(over)
    return data


def draft(qiantang, **over) -> Meeting:
    start = timezone.now() + dt.timedelta(days=2)
    values = {
        "kind": "forum",
        "title": "专题座谈会",
        "place": "二楼会议室",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        "doors_open_at": start - dt.timedelta(minutes=30),
    }
    values.update(over)
    return s.meeting_create(committee=qiantang, by=user("huiwu"), **values)


# --------------------------------------------------------------------------- access


def test_it_lists_meetings_for_huiwu(plenary, huiwu, django_assert_max_num_queries):
    later = draft(plenary.committee, title="稍后的座谈会")
    with django_assert_max_num_queries(12):
        response = huiwu.get("/meetings/staff/")
    assert response.status_code == 200
    text = response.content.decode()
    assert plenary.title in text and later.title in text
    assert text.index(plenary.title) < text.index(later.title)  # the sooner first
    assert "205" in text  # invited count


@pytest.mark.parametrize("name", ["zhuzheng", "fgj"])
@pytest.mark.parametrize("page", ["", "new/", "{pk}/", "{pk}/agenda/", "{pk}/groups/", "{pk}/speeches/", "{pk}/edit/"])
def test_it_refuses_members_and_units(plenary, name, page):
    response = client_for(name).get("/meetings/staff/" + page.format(pk=plenary.pk))
    assert response.status_code == 403


def test_it_refuses_a_member_posting_an_action(plenary):
    response = client_for("zhuzheng").post(f"/meetings/staff/{plenary.pk}/action/", {"action": "close"})
    assert response.status_code == 403
    plenary.refresh_from_db()
    assert plenary.state == "published"


@pytest.mark.parametrize(
    "page", ["{pk}/", "{pk}/agenda/", "{pk}/groups/", "{pk}/speeches/", "{pk}/edit/", "{pk}/export/attendance.xlsx"]
)
def test_it_hides_another_committees_meeting(plenary, page):
    response = client_for("hz_office").get("/meetings/staff/" + page.format(pk=plenary.pk))
    assert response.status_code == 404


def test_another_committees_staff_cannot_close_it(plenary):
    response = client_for("hz_office").post(f"/meetings/staff/{plenary.pk}/action/", {"action": "close"})
    assert response.status_code == 404
    plenary.refresh_from_db()
    assert plenary.state == "published"


def test_the_meeting_page_shows_code_counts_and_links(plenary, huiwu):
    response = huiwu.get(f"/meetings/staff/{plenary.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert plenary.checkin_code in text
    for part in ("desk", "door", "live", "leave"):
        assert f"/meetings/staff/{plenary.pk}/{part}/" in text
    assert 'data-testid="action-close"' in text and 'data-testid="action-cancel"' in text
    assert 'data-testid="action-publish"' not in text  # published already


# --------------------------------------------------------------------------- create and edit


def test_it_creates_a_meeting_inviting_the_whole_committee(qiantang, huiwu):
    response = huiwu.post("/meetings/staff/new/", form_data(qiantang))
    meeting = Meeting.objects.get(committee=qiantang, title="常委会第五次会议")
    assert response.status_code == 302 and response["Location"] == f"/meetings/staff/{meeting.pk}/"
    assert meeting.state == "draft"
    assert meeting.materials == ["会议指南", "出席证"]
    assert meeting.self_checkin and meeting.registration_required
    assert len(meeting.checkin_code) == 6 and meeting.checkin_code.isdigit()
    active = Member.objects.filter(committee=qiantang, state="active").count()
    assert meeting.invitations.count() == active == 205
    assert Event.objects.filter(action="meeting.invited", subject_id=meeting.pk, data__count=205).exists()


@pytest.mark.parametrize(
    "scope,expected",
    [
        ("standing", lambda c: Member.objects.filter(committee=c, state="active", is_standing=True).count()),
        ("sector", lambda c: Member.objects.filter(committee=c, state="active", sector__name="科技界").count()),
        ("list", lambda c: 3),
    ],
)
def test_invite_options_give_the_right_counts(qiantang, huiwu, scope, expected):
    extra = {"scope": scope}
    if scope == "sector":
        extra["sector"] = Sector.objects.get(committee=qiantang, name="科技界").pk
    if scope == "list":
        extra["members"] = [m.pk for m in Member.objects.filter(committee=qiantang, state="active")[:3]]
    huiwu.post("/meetings/staff/new/", form_data(qiantang, **extra))
    meeting = Meeting.objects.get(committee=qiantang, title="常委会第五次会议")
    count = expected(qiantang)
    assert 0 < count < 205
    assert meeting.invitations.count() == count
    if scope == "standing":
        assert not meeting.invitations.filter(member__is_standing=False).exists()


def test_it_refuses_bad_times_and_creates_nothing(qiantang, huiwu):
    start = timezone.now() + dt.timedelta(days=3)
    before = Meeting.objects.count()
    response = huiwu.post(
        "/meetings/staff/new/",
        form_data(qiantang, ends_at=_local(start - dt.timedelta(hours=1)), starts_at=_local(start)),
    )
    assert response.status_code == 200
    assert "结束时间须晚于开始时间" in response.content.decode()
    response = huiwu.post(
        "/meetings/staff/new/",
        form_data(qiantang, doors_open_at=_local(start + dt.timedelta(hours=1)), starts_at=_local(start)),
    )
    assert "开始签到时间不能晚于会议开始时间" in response.content.decode()
    response = huiwu.post("/meetings/staff/new/", form_data(qiantang, starts_at="明天上午"))
    assert response.status_code == 200
    assert Meeting.objects.count() == before


def test_it_refuses_a_sector_of_another_committee(qiantang, hangzhou, huiwu):
    foreign = Sector.objects.filter(committee=hangzhou).first()
    before = Meeting.objects.count()
    response = huiwu.post("/meetings/staff/new/", form_data(qiantang, scope="sector", sector=foreign.pk))
    assert response.status_code == 200
    assert Meeting.objects.count() == before


def test_a_sector_scope_needs_a_sector(qiantang, huiwu):
    response = huiwu.post("/meetings/staff/new/", form_data(qiantang, scope="sector"))
    assert "请选择界别" in response.content.decode()
    assert not Meeting.objects.filter(title="常委会第五次会议").exists()


def test_it_edits_a_meeting(qiantang, huiwu):
    meeting = draft(qiantang)
    data = form_data(qiantang, title="专题座谈会(调整)", place="一楼报告厅")
    response = huiwu.post(f"/meetings/staff/{meeting.pk}/edit/", data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "专题座谈会(调整)" and meeting.place == "一楼报告厅"
    assert Event.objects.filter(action="meeting.updated", subject_id=meeting.pk).exists()
    page = huiwu.get(f"/meetings/staff/{meeting.pk}/edit/").content.decode()
    assert "一楼报告厅" in page and 'name="scope"' not in page


def test_it_invites_more_members_without_doubles(qiantang, huiwu):
    meeting = draft(qiantang)
    sector = Sector.objects.get(committee=qiantang, name="科技界")
    in_sector = Member.objects.filter(committee=qiantang, state="active", sector=sector).count()
    huiwu.post(f"/meetings/staff/{meeting.pk}/invite/", {"scope": "sector", "sector": sector.pk})
    huiwu.post(f"/meetings/staff/{meeting.pk}/invite/", {"scope": "sector", "sector": sector.pk})
    assert meeting.invitations.count() == in_sector


# --------------------------------------------------------------------------- workflow actions


def test_publish_notifies_the_invited(qiantang, huiwu, django_capture_on_commit_callbacks):
    meeting = draft(qiantang)
    members = list(Member.objects.filter(committee=qiantang, state="active", user__isnull=False)[:4])
    s.meeting_invite(meeting=meeting, by=user("huiwu"), members=members)
    with django_capture_on_commit_callbacks(execute=True):
        response = huiwu.post(f"/meetings/staff/{meeting.pk}/action/", {"action": "publish"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == "published"
    assert Event.objects.filter(action="meeting.publish", subject_id=meeting.pk).exists()
    notes = Notification.objects.filter(title__contains=meeting.title)
    assert {n.user_id for n in notes} == {m.user_id for m in members}


def test_close_marks_absences(plenary, huiwu):
    inv = Invitation.objects.filter(meeting=plenary).select_related("member").first()
    s.check_in(invitation=inv, by=user("huiwu"), method="desk")
    response = huiwu.post(f"/meetings/staff/{plenary.pk}/action/", {"action": "close"}, follow=True)
    plenary.refresh_from_db()
    assert plenary.state == "closed"
    assert Invitation.objects.filter(meeting=plenary, state="absent").count() == 204
    assert Invitation.objects.get(pk=inv.pk).state == "present"
    ids = list(Invitation.objects.filter(meeting=plenary).values_list("pk", flat=True))
    assert Event.objects.filter(action="attendance.mark_absent", subject_id__in=ids).count() == 204
    assert "204" in response.content.decode()


def test_cancel_needs_a_reason(qiantang, huiwu):
    meeting = draft(qiantang)
    response = huiwu.post(f"/meetings/staff/{meeting.pk}/action/", {"action": "cancel"}, follow=True)
    meeting.refresh_from_db()
    assert meeting.state == "draft"
    assert "需要填写理由" in response.content.decode()
    huiwu.post(f"/meetings/staff/{meeting.pk}/action/", {"action": "cancel", "reason": "改期"})
    meeting.refresh_from_db()
    assert meeting.state == "cancelled"
    assert Event.objects.get(action="meeting.cancel", subject_id=meeting.pk).reason == "改期"


def test_a_closed_meeting_cannot_be_published_or_edited(plenary, huiwu):
    s.meeting_close(meeting=plenary, by=user("huiwu"))
    response = huiwu.post(f"/meetings/staff/{plenary.pk}/action/", {"action": "publish"}, follow=True)
    assert "不能执行此操作" in response.content.decode()
    page = huiwu.get(f"/meetings/staff/{plenary.pk}/").content.decode()
    assert 'data-testid="action-' not in page


def test_a_leader_reads_without_the_write_controls(plenary):
    leader = client_for("jinzhiqiang")
    page = leader.get(f"/meetings/staff/{plenary.pk}/").content.decode()
    assert plenary.checkin_code in page and 'data-testid="action-' not in page
    for sub in ("agenda/", "groups/", "speeches/"):
        assert leader.get(f"/meetings/staff/{plenary.pk}/{sub}").status_code == 200
    assert leader.post(f"/meetings/staff/{plenary.pk}/action/", {"action": "close"}).status_code == 403
    assert leader.post(f"/meetings/staff/{plenary.pk}/groups/", {"op": "auto", "count": "3"}).status_code == 403
    assert not plenary.groups.exists()
