# ruff: noqa: F811 - the plenary fixture is imported from tests/meetings/conftest.py
"""/api/v1/meetings: staff create, invite and publish; members register, fetch their QR code, check in,
ask for leave and apply to speak; staff check in by QR (idempotent), decide leave and speeches, read the
live attendance. Every refusal: forged or foreign codes 409, wrong role 403, other committee 404, bad
input 422, and nothing is recorded by a refusal."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.core.models import Event
from lvzhi.meetings import services as s
from lvzhi.meetings.models import Invitation, LeaveRequest, Meeting, Speech
from lvzhi.org.models import Member, Session
from tests.conftest import user
from tests.meetings.conftest import plenary  # noqa: F401 - fixture

from .conftest import api_for

pytestmark = pytest.mark.django_db


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def inv(meeting, name):
    return Invitation.objects.get(meeting=meeting, member__name=name)


def events(action, **filters):
    return Event.objects.filter(action=action, **filters)


def meeting_body(qiantang, **extra):
    now = timezone.now()
    return {
        "kind": "standing",
        "title": "一届三次常委会议",
        "place": "区政协三楼会议室",
        "session": None,
        "starts_at": (now + dt.timedelta(days=2)).isoformat(),
        "ends_at": (now + dt.timedelta(days=2, hours=3)).isoformat(),
        "materials": ["会议指南"],
        **extra,
    }


def test_staff_create_invite_publish_and_members_see_it(qiantang):
    staff, zhu, xu = api_for("huiwu"), api_for("zhuzheng"), api_for("xugang")
    m = ok(staff.post("/meetings", meeting_body(qiantang)), 201)
    pk = m["id"]
    assert m["state"] == "draft" and m["kind_label"] == "常委会议" and len(m["checkin_code"]) == 6
    assert events("meeting.created", subject_id=pk).count() == 1
    # a draft is invisible to members, even once invited
    got = ok(staff.post(f"/meetings/{pk}/invite", {"scope": "standing"}))
    standing = Member.objects.filter(committee=qiantang, state="active", is_standing=True).count()
    assert got == {"invited": standing, "total": standing}
    assert xu.get(f"/meetings/{pk}").status_code == 404
    # inviting again adds nobody
    assert ok(staff.post(f"/meetings/{pk}/invite", {"scope": "standing"}))["invited"] == 0

    m = ok(staff.post(f"/meetings/{pk}/publish"))
    assert m["state"] == "published" and m["attendance"]["invited"] == standing
    assert staff.post(f"/meetings/{pk}/publish").status_code == 409  # published already

    mine = ok(xu.get(f"/meetings/{pk}"))
    assert mine["mine"]["state"] == "invited" and mine["attendance"] is None and mine["checkin_code"] == ""
    assert pk in [x["id"] for x in ok(xu.get("/meetings"))["items"]]
    # 朱政 is no standing member: not invited, the meeting is not his
    assert pk not in [x["id"] for x in ok(zhu.get("/meetings"))["items"]]
    assert zhu.get(f"/meetings/{pk}").status_code == 404

    m = ok(staff.patch(f"/meetings/{pk}", {"place": "区行政中心第二会议室"}))
    assert m["place"] == "区行政中心第二会议室"
    assert events("meeting.updated", subject_id=pk).get().data == {"fields": ["place"]}


def test_bad_meeting_input_is_refused_and_changes_nothing(qiantang):
    staff = api_for("huiwu")
    before = Meeting.objects.count()
    now = timezone.now()
    r = staff.post("/meetings", meeting_body(qiantang, ends_at=(now - dt.timedelta(days=1)).isoformat()))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "ends_at"
    r = staff.post("/meetings", meeting_body(qiantang, kind="party"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "kind"
    hz_session = Session.objects.exclude(committee=qiantang).first()
    if hz_session is not None:
        r = staff.post("/meetings", meeting_body(qiantang, session=hz_session.pk))
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "session"
    assert Meeting.objects.count() == before


def test_members_and_units_may_not_manage(qiantang, plenary):
    for name in ("zhuzheng", "fgj", "tiwei"):
        client = api_for(name)
        assert client.post("/meetings", meeting_body(qiantang)).status_code == 403
        assert client.post(f"/meetings/{plenary.pk}/close").status_code == 403
        r = client.post(f"/meetings/{plenary.pk}/check-in", {"token": s.qr_token(inv(plenary, "朱政"))})
        assert r.status_code == 403
    assert api_for("fgj").get("/meetings").status_code == 403  # a unit attends no meetings
    plenary.refresh_from_db()
    assert plenary.state == "published" and inv(plenary, "朱政").state == "invited"


def test_qr_check_in_is_idempotent(qiantang, plenary):
    zhu, staff = api_for("zhuzheng"), api_for("huiwu")
    qr = ok(zhu.get(f"/meetings/{plenary.pk}/my-qr"))
    assert qr["invitation"]["member"]["name"] == "朱政"

    first = ok(staff.post(f"/meetings/{plenary.pk}/check-in", {"token": qr["token"]}))
    assert first["already"] is False and "签到成功" in first["message"]
    assert first["invitation"]["state"] == "present" and first["invitation"]["checkin_method"] == "qr"
    again = ok(staff.post(f"/meetings/{plenary.pk}/check-in", {"token": qr["token"]}))
    when = timezone.localtime(dt.datetime.fromisoformat(first["checked_in_at"])).strftime("%H:%M")
    assert again["already"] is True and f"已于 {when} 签到" in again["message"]
    assert again["checked_in_at"] == first["checked_in_at"]

    zhu_inv = inv(plenary, "朱政")
    assert zhu_inv.state == "present" and zhu_inv.checked_in_by == user("huiwu")
    assert events("attendance.check_in", subject_id=zhu_inv.pk).count() == 1
    assert ok(staff.get(f"/meetings/{plenary.pk}/attendance"))["present"] == 1


def test_forged_and_foreign_codes_answer_409_and_record_nothing(qiantang, hangzhou, plenary):
    staff = api_for("huiwu")
    zhu = inv(plenary, "朱政")
    token = s.qr_token(zhu)
    r = staff.post(f"/meetings/{plenary.pk}/check-in", {"token": token[:-2] + ("xx" if token[-2:] != "xx" else "yy")})
    assert r.status_code == 409 and "无效" in r.json()["detail"]

    other = s.meeting_create(
        committee=qiantang,
        by=user("huiwu"),
        kind="forum",
        title="专题座谈会",
        place="二楼",
        starts_at=plenary.starts_at,
        ends_at=plenary.ends_at,
        doors_open_at=plenary.doors_open_at,
    )
    s.meeting_invite(meeting=other, by=user("huiwu"), members=[zhu.member])
    s.meeting_publish(meeting=other, by=user("huiwu"))
    r = staff.post(f"/meetings/{other.pk}/check-in", {"token": token})
    assert r.status_code == 409 and r.json()["detail"] == "这是其他会议的签到码。"

    # a code of another committee (茅徐程 is a member of both)
    hz = s.meeting_create(
        committee=hangzhou,
        by=user("hz_office"),
        kind="forum",
        title="市政协座谈会",
        place="市政协",
        starts_at=plenary.starts_at,
        ends_at=plenary.ends_at,
        doors_open_at=plenary.doors_open_at,
    )
    hz_member = Member.objects.filter(committee=hz.committee, state="active").first()
    s.meeting_invite(meeting=hz, by=user("hz_office"), members=[hz_member])
    hz_token = s.qr_token(Invitation.objects.get(meeting=hz))
    r = staff.post(f"/meetings/{plenary.pk}/check-in", {"token": hz_token})
    assert r.status_code == 409 and r.json()["detail"] == "这是其他委员会的签到码。"

    r = staff.post(f"/meetings/{plenary.pk}/check-in", {"token": ""})
    assert r.status_code == 422
    assert not Invitation.objects.filter(meeting=plenary, state="present").exists()
    ids = Invitation.objects.filter(meeting=plenary).values("pk")
    assert not events("attendance.check_in", subject_id__in=ids).exists()


def test_another_committees_meeting_is_404(qiantang, hangzhou, plenary):
    hz = api_for("hz_office", committee=hangzhou)
    token = s.qr_token(inv(plenary, "朱政"))
    assert hz.get(f"/meetings/{plenary.pk}").status_code == 404
    assert hz.post(f"/meetings/{plenary.pk}/check-in", {"token": token}).status_code == 404
    assert hz.post(f"/meetings/{plenary.pk}/close").status_code == 404
    assert hz.patch(f"/meetings/{plenary.pk}", {"title": "改名"}).status_code == 404
    assert plenary.pk not in [m["id"] for m in ok(hz.get("/meetings"))["items"]]
    # 茅徐程 acting in 杭州市政协 does not see 钱塘's plenary either
    assert api_for("maoxucheng", committee=hangzhou).get(f"/meetings/{plenary.pk}").status_code == 404
    assert inv(plenary, "朱政").state == "invited"


def test_self_check_in_by_code(qiantang, plenary):
    zhu = api_for("zhuzheng")
    wrong = "000000" if plenary.checkin_code != "000000" else "111111"
    r = zhu.post(f"/meetings/{plenary.pk}/check-in/code", {"code": wrong})
    assert r.status_code == 409 and "签到码不正确" in r.json()["detail"]
    assert inv(plenary, "朱政").state == "invited"
    got = ok(zhu.post(f"/meetings/{plenary.pk}/check-in/code", {"code": plenary.checkin_code}))
    assert got["already"] is False and got["invitation"]["checkin_method"] == "code"
    got = ok(zhu.post(f"/meetings/{plenary.pk}/check-in/code", {"code": plenary.checkin_code}))
    assert got["already"] is True
    assert events("attendance.check_in", subject_id=inv(plenary, "朱政").pk).count() == 1
    # staff hold no member's invitation: the member-only endpoint refuses them
    assert api_for("huiwu").post(f"/meetings/{plenary.pk}/check-in/code", {"code": "1"}).status_code == 403


def test_check_in_outside_the_window_is_refused(qiantang, plenary):
    Meeting.objects.filter(pk=plenary.pk).update(doors_open_at=timezone.now() + dt.timedelta(minutes=10))
    r = api_for("huiwu").post(f"/meetings/{plenary.pk}/check-in", {"token": s.qr_token(inv(plenary, "朱政"))})
    assert r.status_code == 409 and "签到尚未开始" in r.json()["detail"]
    assert inv(plenary, "朱政").state == "invited"


def test_registration_leave_speech_and_attendance(qiantang, plenary):
    zhu, xu, staff = api_for("zhuzheng"), api_for("xugang"), api_for("huiwu")
    r = zhu.post(f"/meetings/{plenary.pk}/register", {"materials": ["会议指南"], "signed_name": "别人"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "signed_name"
    assert inv(plenary, "朱政").registered_at is None
    got = ok(zhu.post(f"/meetings/{plenary.pk}/register", {"materials": ["会议指南", "出席证"], "signed_name": "朱政"}))
    assert (
        got["state"] == "registered"
        and got["commitment_signed"]
        and got["materials_received"] == ["会议指南", "出席证"]
    )
    assert events("attendance.register", subject_id=got["id"]).count() == 1

    # the desk registers 徐钢
    xu_inv = inv(plenary, "徐钢")
    got = ok(
        staff.post(
            f"/meetings/{plenary.pk}/invitations/{xu_inv.pk}/register",
            {"materials": ["会议指南"], "signed_name": "徐钢"},
        )
    )
    assert got["state"] == "registered"

    leave = ok(xu.post(f"/meetings/{plenary.pk}/leave", {"reason": "出差在外"}), 201)
    assert leave["state"] == "pending" and leave["late"] is True
    assert xu.post(f"/meetings/{plenary.pk}/leave", {"reason": "再请一次"}).status_code == 409
    assert LeaveRequest.objects.filter(invitation=xu_inv).count() == 1
    assert [x["id"] for x in ok(zhu.get(f"/meetings/{plenary.pk}/leave"))] == []  # not his
    assert xu.post(f"/meetings/{plenary.pk}/leave/{leave['id']}/decide", {"approve": True}).status_code == 403
    r = staff.post(f"/meetings/{plenary.pk}/leave/{leave['id']}/decide", {"approve": False})
    assert r.status_code == 409 and "理由" in r.json()["detail"]  # refusing needs a reason
    decided = ok(staff.post(f"/meetings/{plenary.pk}/leave/{leave['id']}/decide", {"approve": True}))
    assert decided["state"] == "approved" and inv(plenary, "徐钢").state == "on_leave"
    assert events("attendance.leave", subject_id=xu_inv.pk).count() == 1

    sp = ok(zhu.post(f"/meetings/{plenary.pk}/speeches", {"title": "关于科创走廊", "text": "发言稿全文。"}), 201)
    assert sp["state"] == "applied" and sp["member"]["name"] == "朱政"
    assert staff.post(f"/meetings/{plenary.pk}/speeches/{sp['id']}/decide", {"action": "select"}).status_code == 422
    got = ok(staff.post(f"/meetings/{plenary.pk}/speeches/{sp['id']}/decide", {"action": "select", "order": 1}))
    assert got["state"] == "selected" and got["order"] == 1
    assert Speech.objects.get(pk=sp["id"]).state == "selected"
    assert [x["id"] for x in ok(xu.get(f"/meetings/{plenary.pk}/speeches"))] == []

    ok(staff.post(f"/meetings/{plenary.pk}/check-in", {"token": s.qr_token(inv(plenary, "朱政"))}))
    counts = ok(staff.get(f"/meetings/{plenary.pk}/attendance"))
    assert (counts["invited"], counts["registered"], counts["present"], counts["on_leave"]) == (205, 2, 1, 1)
    assert sum(x["present"] for x in counts["by_sector"]) == 1
    found = ok(staff.get(f"/meetings/{plenary.pk}/invitations", {"q": "13900000118"}))
    assert [i["member"]["name"] for i in found["items"]] == ["朱政"]

    ok(staff.post(f"/meetings/{plenary.pk}/close"))
    counts = ok(staff.get(f"/meetings/{plenary.pk}/attendance"))
    assert (counts["present"], counts["on_leave"], counts["absent"]) == (1, 1, 203)
    r = staff.post(f"/meetings/{plenary.pk}/check-in", {"token": s.qr_token(inv(plenary, "茅徐程"))})
    assert r.status_code == 409 and inv(plenary, "茅徐程").state == "absent"


def test_detail_has_agenda_documents_and_groups(qiantang, plenary):
    from lvzhi.meetings.models import AgendaItem

    AgendaItem.objects.create(committee=qiantang, meeting=plenary, order=1, title="听取常委会工作报告")
    ok(api_for("huiwu").post(f"/meetings/{plenary.pk}/groups/by-sector", {"group_count": 4}))
    m = ok(api_for("zhuzheng").get(f"/meetings/{plenary.pk}"))
    assert [a["title"] for a in m["agenda"]] == ["听取常委会工作报告"]
    assert len(m["groups"]) == 4 and sum(g["members"] for g in m["groups"]) == 205
    assert m["mine"]["group"]["name"] in [g["name"] for g in m["groups"]]
    assert api_for("huiwu").post(f"/meetings/{plenary.pk}/groups/by-sector", {"group_count": 0}).status_code == 422


def test_the_door_sees_a_closed_or_moved_meeting_at_the_next_scan(qiantang, plenary):
    """The check-in desk reads its meeting from a cache (lvzhi/meetings/caching.py): a change made
    between two scans must hold at the second."""
    staff = api_for("huiwu")
    ok(staff.post(f"/meetings/{plenary.pk}/check-in", {"token": s.qr_token(inv(plenary, "朱政"))}))
    s.meeting_update(meeting=plenary, by=user("huiwu"), doors_open_at=timezone.now() + dt.timedelta(minutes=10))
    r = staff.post(f"/meetings/{plenary.pk}/check-in", {"token": s.qr_token(inv(plenary, "徐钢"))})
    assert r.status_code == 409 and "签到尚未开始" in r.json()["detail"]
    s.meeting_update(meeting=plenary, by=user("huiwu"), doors_open_at=timezone.now() - dt.timedelta(minutes=10))
    ok(staff.post(f"/meetings/{plenary.pk}/check-in", {"token": s.qr_token(inv(plenary, "徐钢"))}))
    s.meeting_close(meeting=plenary, by=user("huiwu"))
    r = staff.post(f"/meetings/{plenary.pk}/check-in", {"token": s.qr_token(inv(plenary, "朱政"))})
    assert r.status_code == 409 and inv(plenary, "徐钢").state == "present"
