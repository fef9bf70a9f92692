"""The pages: members see open activities and their sign-up state with the waiting-list position, sign up,
cancel, see the check-in QR code and check in with the code; staff create, publish, see the sign-ups with
the waiting list and the check-in links, cancel a sign-up, add outcomes; reading pages and the Excel export.
Wrong role 403, another committee's activity 404, activity meetings stay out of the meetings lists."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from lvzhi.activities import services as s
from lvzhi.activities.models import Activity, Book, Outcome, ReadingRecord, SignUp
from lvzhi.meetings.models import Invitation
from tests.conftest import client_for

from .conftest import make_activity, member, members_with_accounts

pytestmark = pytest.mark.django_db


def test_member_home_lists_open_activities_and_mine_with_the_waiting_position(qiantang):
    activity = make_activity(qiantang, capacity=1, title="满员的视察")
    a = members_with_accounts(qiantang, 1)[0]
    s.sign_up(activity=activity, member=a, by=a.user)
    zhu = member("zhuzheng")
    page = client_for("zhuzheng").get("/activities/").content.decode()
    assert "满员的视察" in page and "已报 1/1" in page
    s.sign_up(activity=activity, member=zhu, by=zhu.user)
    page = client_for("zhuzheng").get("/activities/").content.decode()
    assert "候补 · 第 1 位" in page


def test_member_signs_up_then_is_waitlisted_then_promoted_through_the_pages(qiantang):
    activity = make_activity(qiantang, capacity=1)
    a = members_with_accounts(qiantang, 1)[0]
    ca, cz = client_for(a.user.username), client_for("zhuzheng")
    r = ca.post(f"/activities/{activity.pk}/signup/", follow=True)
    assert "报名成功" in r.content.decode()
    r = cz.post(f"/activities/{activity.pk}/signup/", follow=True)
    page = r.content.decode()
    assert "候补名单(第 1 位)" in page and "候补第 1 位" in page
    r = cz.post(f"/activities/{activity.pk}/signup/", follow=True)
    assert "无需重复报名" in r.content.decode()
    ca.post(f"/activities/{activity.pk}/cancel/", follow=True)
    page = cz.get(f"/activities/{activity.pk}/").content.decode()
    assert "报名成功,请按时参加" in page and 'data-testid="qr"' in page
    assert SignUp.objects.get(activity=activity, member=member("zhuzheng")).state == "confirmed"


def test_member_self_check_in_on_the_activity_page(qiantang):
    now = timezone.now()
    activity = make_activity(
        qiantang,
        starts_at=now + dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=2),
        signup_deadline=now + dt.timedelta(minutes=20),
    )
    c = client_for("zhuzheng")
    c.post(f"/activities/{activity.pk}/signup/")
    page = c.get(f"/activities/{activity.pk}/").content.decode()
    assert 'data-testid="self-checkin"' in page
    r = c.post(f"/activities/{activity.pk}/checkin/", {"code": activity.meeting.checkin_code}, follow=True)
    assert "签到成功" in r.content.decode()
    assert Invitation.objects.get(meeting_id=activity.meeting_id, member=member("zhuzheng")).state == "present"
    r = c.post(f"/activities/{activity.pk}/checkin/", {"code": "12"}, follow=True)
    assert "签到码是六位数字" in r.content.decode()


def test_a_draft_or_out_of_scope_activity_is_404_for_members(qiantang):
    from lvzhi.org.models import Sector

    draft = make_activity(qiantang, publish=False)
    other = Sector.objects.filter(committee=qiantang).exclude(name="科技界").first()
    scoped = make_activity(qiantang, audience="sector", audience_sector=other)
    c = client_for("zhuzheng")
    assert c.get(f"/activities/{draft.pk}/").status_code == 404
    assert c.get(f"/activities/{scoped.pk}/").status_code == 404
    assert c.post(f"/activities/{scoped.pk}/signup/").status_code == 404
    assert not SignUp.objects.filter(activity=scoped).exists()


def test_another_committees_activity_is_404(hangzhou):
    activity = make_activity(hangzhou, by="hz_office")
    assert client_for("zhuanwei").get(f"/activities/staff/{activity.pk}/").status_code == 404
    assert client_for("zhuzheng").get(f"/activities/{activity.pk}/").status_code == 404
    assert (
        client_for("zhuanwei").post(f"/activities/staff/{activity.pk}/action/", {"action": "close"}).status_code == 404
    )


def test_wrong_role_is_403(activity):
    assert client_for("zhuzheng").get("/activities/staff/").status_code == 403
    assert client_for("zhuzheng").get("/activities/staff/new/").status_code == 403
    assert client_for("jinzhiqiang").get("/activities/staff/new/").status_code == 403  # a leader reads only
    assert client_for("jinzhiqiang").get(f"/activities/staff/{activity.pk}/").status_code == 200
    assert (
        client_for("tiwei")
        .post(f"/activities/staff/{activity.pk}/action/", {"action": "cancel", "reason": "x"})
        .status_code
        == 403
    )
    assert client_for("office").get("/activities/").status_code == 403  # staff have no member page
    activity.refresh_from_db()
    assert activity.state == "published"


def test_staff_create_publish_and_see_the_waiting_list(qiantang):
    c = client_for("zhuanwei")
    now = timezone.localtime() + dt.timedelta(days=5)
    fmt = "%Y-%m-%dT%H:%M"
    r = c.post(
        "/activities/staff/new/",
        {
            "kind": "research",
            "title": "乡村振兴专题调研",
            "place": "河庄街道",
            "starts_at": now.strftime(fmt),
            "ends_at": (now + dt.timedelta(hours=3)).strftime(fmt),
            "signup_deadline": (now - dt.timedelta(days=1)).strftime(fmt),
            "capacity": "1",
            "audience": "all",
            "self_checkin": "on",
        },
    )
    activity = Activity.objects.get(title="乡村振兴专题调研")
    assert r.status_code == 302 and activity.state == "draft"
    c.post(f"/activities/staff/{activity.pk}/action/", {"action": "publish"})
    activity.refresh_from_db()
    assert activity.state == "published" and activity.meeting.kind == "activity"
    a, b = members_with_accounts(qiantang, 2)
    s.sign_up(activity=activity, member=a, by=a.user)
    s.sign_up(activity=activity, member=b, by=b.user)
    page = c.get(f"/activities/staff/{activity.pk}/").content.decode()
    assert 'data-testid="waitlisted-row"' in page and b.name in page
    assert activity.meeting.checkin_code in page
    assert f"/meetings/staff/{activity.meeting_id}/door/" not in page  # zhuanwei cannot use the door page
    page = client_for("huiwu").get(f"/activities/staff/{activity.pk}/").content.decode()
    assert (
        f"/meetings/staff/{activity.meeting_id}/door/" in page
        and f"/meetings/staff/{activity.meeting_id}/live/" in page
    )
    signup = SignUp.objects.get(activity=activity, member=a)
    c.post(f"/activities/staff/{activity.pk}/signups/{signup.pk}/cancel/")
    assert SignUp.objects.get(activity=activity, member=b).state == "confirmed"


def test_the_create_form_shows_errors_and_creates_nothing(qiantang):
    n = Activity.objects.count()
    now = timezone.localtime() + dt.timedelta(days=5)
    fmt = "%Y-%m-%dT%H:%M"
    r = client_for("office").post(
        "/activities/staff/new/",
        {
            "kind": "study",
            "title": "学习",
            "place": "会议室",
            "starts_at": now.strftime(fmt),
            "ends_at": (now - dt.timedelta(hours=1)).strftime(fmt),
            "signup_deadline": (now - dt.timedelta(days=1)).strftime(fmt),
            "audience": "sector",
        },
    )
    page = r.content.decode()
    assert r.status_code == 400 and "请选择可报名的界别" in page and "结束时间须晚于开始时间" in page
    assert Activity.objects.count() == n


def test_staff_add_an_outcome_with_a_file(activity):
    pdf = SimpleUploadedFile("视察报告.pdf", b"%PDF-1.4 report")
    r = client_for("office").post(
        f"/activities/staff/{activity.pk}/outcomes/",
        {"kind": "inspection", "title": "视察报告", "summary": "", "file": pdf},
        follow=True,
    )
    assert "成果已添加" in r.content.decode()
    outcome = Outcome.objects.get(activity=activity)
    r = client_for("jinzhiqiang").get(f"/activities/files/outcome/{outcome.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")


def test_activity_meetings_stay_out_of_the_meetings_lists(activity):
    zhu = member("zhuzheng")
    s.sign_up(activity=activity, member=zhu, by=zhu.user)
    assert activity.title not in client_for("huiwu").get("/meetings/staff/").content.decode()
    assert activity.title not in client_for("zhuzheng").get("/meetings/").content.decode()
    assert activity.title in client_for("zhuanwei").get("/activities/staff/").content.decode()


def test_reading_pages(qiantang):
    book = Book.objects.filter(committee=qiantang).first()
    c = client_for("zhuzheng")
    page = c.get("/activities/reading/").content.decode()
    assert "科技界读书小组" in page and "6 人" in page
    r = c.post(
        "/activities/reading/",
        {"book": book.pk, "read_on": timezone.localdate().isoformat(), "notes": "读后有很多收获,记下三点体会。"},
        follow=True,
    )
    assert "已记录" in r.content.decode()
    assert ReadingRecord.objects.filter(member=member("zhuzheng"), book=book, notes__startswith="读后有很多").exists()
    r = c.post("/activities/reading/", {"book": book.pk, "read_on": timezone.localdate().isoformat(), "notes": "好"})
    assert r.status_code == 400 and "至少 10 个字" in r.content.decode()
    staff = client_for("office").get("/activities/staff/reading/").content.decode()
    assert "科技界读书小组" in staff and "按界别" in staff
    r = client_for("jinzhiqiang").get("/activities/staff/reading/export.xlsx")
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("委员", "界别", "读书小组", "书名") and any(row[0] == "朱政" for row in rows[1:])
    assert client_for("zhuzheng").get("/activities/staff/reading/").status_code == 403


def test_staff_reading_groups(qiantang):
    zhu = member("zhuzheng")
    c = client_for("office")
    r = c.post(
        "/activities/staff/reading/groups/new/", {"name": "青年委员读书会", "members": [zhu.pk], "convener": zhu.pk}
    )
    assert r.status_code == 302
    r = c.post("/activities/staff/reading/books/", {"title": "红楼梦", "author": "曹雪芹"}, follow=True)
    assert "图书已添加" in r.content.decode()
    assert client_for("zhuzheng").post("/activities/staff/reading/books/", {"title": "x"}).status_code == 403


def test_counts_are_right_for_an_activity_seen_only_through_my_sign_up(qiantang):
    """An activity outside my scope that I signed up to (e.g. before the scope changed) counts every sign-up."""
    activity = make_activity(qiantang, capacity=5, title="范围外的活动")
    zhu = member("zhuzheng")
    for m in [zhu, *members_with_accounts(qiantang, 2)]:
        s.sign_up(activity=activity, member=m, by=m.user)
    from lvzhi.org.models import Sector

    other = Sector.objects.filter(committee=qiantang).exclude(name="科技界").first()
    Activity.objects.filter(pk=activity.pk).update(audience="sector", audience_sector=other)
    page = client_for("zhuzheng").get("/activities/").content.decode()
    assert "范围外的活动" in page and "已报 3/5" in page


def test_meetings_staff_check_a_member_in_at_the_door_page_of_the_activity(qiantang):
    """The door page of the meetings serves the activity: the member's QR token from the activity page checks
    them in, once; the activity page counts them."""
    import re

    now = timezone.now()
    activity = make_activity(
        qiantang,
        starts_at=now + dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=2),
        signup_deadline=now + dt.timedelta(minutes=20),
    )
    cz = client_for("zhuzheng")
    cz.post(f"/activities/{activity.pk}/signup/")
    token = re.search(r'data-token="([^"]+)"', cz.get(f"/activities/{activity.pk}/").content.decode()).group(1)
    door = client_for("huiwu")
    for _ in range(2):
        r = door.post(f"/meetings/staff/{activity.meeting_id}/door/check/", {"entry": token})
        assert r.status_code == 200
    invitation = Invitation.objects.get(meeting_id=activity.meeting_id, member=member("zhuzheng"))
    assert invitation.state == "present" and invitation.checkin_method == "qr"
    from lvzhi.core.models import Event

    assert Event.objects.filter(action="attendance.check_in", subject_id=invitation.pk).count() == 1
    page = client_for("zhuanwei").get(f"/activities/staff/{activity.pk}/").content.decode()
    assert re.search(r'data-testid="present">1<', page)
    assert "已于" in cz.get(f"/activities/{activity.pk}/").content.decode()
