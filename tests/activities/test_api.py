"""/api/v1/activities and /api/v1/reading: staff create and publish; members sign up (confirmed or
waitlisted), cancel (the first waitlisted is promoted), fetch their QR token, check in with the code, submit
reports and photos, record reading; refusals 409 / 422 / 403 / 404, and a refusal records nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lvzhi.activities.models import Activity, ReadingRecord, SignUp
from lvzhi.core.models import Event
from tests.api.conftest import api_for

from .conftest import make_activity, member, members_with_accounts

pytestmark = pytest.mark.django_db


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_staff_create_and_publish(qiantang):
    now = timezone.now()
    api = api_for("zhuanwei")
    body = {
        "kind": "research",
        "title": "营商环境专题调研",
        "place": "区政务服务中心",
        "starts_at": (now + dt.timedelta(days=4)).isoformat(),
        "ends_at": (now + dt.timedelta(days=4, hours=2)).isoformat(),
        "signup_deadline": (now + dt.timedelta(days=3)).isoformat(),
        "capacity": 1,
    }
    created = ok(api.post("/activities", body), 201)
    assert created["state"] == "draft" and created["meeting_id"] is None
    published = ok(api.post(f"/activities/{created['id']}/publish"))
    assert published["state"] == "published" and published["meeting_id"]
    bad = api.post("/activities", {**body, "ends_at": body["starts_at"], "capacity": 0})
    assert bad.status_code == 422
    assert api_for("zhuzheng").post("/activities", body).status_code == 403
    assert Activity.objects.filter(title="营商环境专题调研").count() == 1


def test_sign_up_waitlist_and_promotion(qiantang):
    activity = make_activity(qiantang, capacity=1)
    a = members_with_accounts(qiantang, 1)[0]
    first = ok(api_for(a.user.username).post(f"/activities/{activity.pk}/signup"))
    assert first["mine"]["state"] == "confirmed" and first["confirmed"] == 1
    zhu = api_for("zhuzheng")
    second = ok(zhu.post(f"/activities/{activity.pk}/signup"))
    assert second["mine"]["state"] == "waitlisted" and second["mine"]["position"] == 1
    listed = {a["id"]: a for a in ok(zhu.get("/activities", {"open": "true"}))}
    assert listed[activity.pk]["mine"]["position"] == 1 and listed[activity.pk]["confirmed"] == 1
    assert listed[activity.pk]["waitlisted"] == 1
    events = Event.objects.count()
    again = zhu.post(f"/activities/{activity.pk}/signup")
    assert again.status_code == 409 and "无需重复报名" in again.json()["detail"]
    assert Event.objects.count() == events
    assert zhu.get(f"/activities/{activity.pk}/my-qr").status_code == 409
    ok(api_for(a.user.username).post(f"/activities/{activity.pk}/signup/cancel"))
    mine = ok(zhu.get(f"/activities/{activity.pk}"))["mine"]
    assert mine["state"] == "confirmed" and mine["position"] is None
    assert ok(zhu.get(f"/activities/{activity.pk}/my-qr"))["token"]
    rows = ok(api_for("jinzhiqiang").get(f"/activities/{activity.pk}/signups"))
    assert [(r["member"], r["state"]) for r in rows] == [("朱政", "confirmed"), (a.name, "cancelled")]


def test_refusals_and_scopes(qiantang, hangzhou):
    now = timezone.now()
    late = make_activity(qiantang, signup_deadline=now - dt.timedelta(minutes=5))
    r = api_for("zhuzheng").post(f"/activities/{late.pk}/signup")
    assert r.status_code == 409 and "报名已于" in r.json()["detail"]
    draft = make_activity(qiantang, publish=False)
    assert api_for("zhuzheng").get(f"/activities/{draft.pk}").status_code == 404
    foreign = make_activity(hangzhou, by="hz_office")
    assert api_for("zhuanwei").get(f"/activities/{foreign.pk}").status_code == 404
    assert api_for("zhuanwei").post(f"/activities/{foreign.pk}/publish").status_code == 404
    assert api_for("zhuzheng").get(f"/activities/{late.pk}/signups").status_code == 403
    assert api_for("zhuzheng").post(f"/activities/{late.pk}/close").status_code == 403
    assert not SignUp.objects.filter(activity=late).exists()


def test_check_in_with_the_code(qiantang):
    now = timezone.now()
    activity = make_activity(
        qiantang,
        starts_at=now + dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=2),
        signup_deadline=now + dt.timedelta(minutes=20),
    )
    zhu = api_for("zhuzheng")
    ok(zhu.post(f"/activities/{activity.pk}/signup"))
    first = ok(zhu.post(f"/activities/{activity.pk}/checkin", {"code": activity.meeting.checkin_code}))
    second = ok(zhu.post(f"/activities/{activity.pk}/checkin", {"code": activity.meeting.checkin_code}))
    assert first["already"] is False and second["already"] is True
    assert zhu.post(f"/activities/{activity.pk}/checkin", {"code": "12"}).status_code == 422


def test_report_and_photo_multipart(qiantang):
    now = timezone.now()
    activity = make_activity(
        qiantang,
        starts_at=now + dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=2),
        signup_deadline=now + dt.timedelta(minutes=20),
    )
    zhu = api_for("zhuzheng")
    ok(zhu.post(f"/activities/{activity.pk}/signup"))
    Activity.objects.filter(pk=activity.pk).update(starts_at=now - dt.timedelta(minutes=1))
    r = zhu.client.post(
        f"/api/v1/activities/{activity.pk}/reports",
        {
            "title": "视察报告",
            "text": "视察中看到工程建设有序推进,建议进一步加强安全管理和质量监督。",
            "files": [SimpleUploadedFile("r.pdf", b"%PDF-1.4 x")],
        },
        headers=zhu.headers,
    )
    report = ok(r, 201)
    assert report["lead_id"] == member("zhuzheng").pk and report["files"] == ["r"]
    r = zhu.client.post(
        f"/api/v1/activities/{activity.pk}/photos",
        {"photo": SimpleUploadedFile("p.txt", b"hello"), "caption": "x"},
        headers=zhu.headers,
    )
    assert r.status_code == 422 and "JPG" in r.json()["detail"] + str(r.json()["errors"])
    r = zhu.client.post(
        f"/api/v1/activities/{activity.pk}/photos",
        {"photo": SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n0000"), "caption": "现场"},
        headers=zhu.headers,
    )
    assert ok(r, 201)["caption"] == "现场"
    photos = ok(zhu.get(f"/activities/{activity.pk}/photos"))
    assert len(photos) == 1
    other = api_for(members_with_accounts(qiantang, 1)[0].user.username)
    assert (
        other.client.delete(
            f"/api/v1/activities/{activity.pk}/photos/{photos[0]['id']}", headers=other.headers
        ).status_code
        == 403
    )
    assert (
        zhu.client.delete(f"/api/v1/activities/{activity.pk}/photos/{photos[0]['id']}", headers=zhu.headers).status_code
        == 204
    )
    assert ok(zhu.get(f"/activities/{activity.pk}/photos")) == []


def test_reading_api(qiantang):
    zhu = api_for("zhuzheng")
    books = ok(zhu.get("/reading/books"))
    groups = ok(zhu.get("/reading/groups"))
    assert books and [g["name"] for g in groups] == ["科技界读书小组"]
    body = {
        "book": books[0]["id"],
        "read_on": timezone.localdate().isoformat(),
        "notes": "记下三点读书体会,与同事交流。",
        "group": groups[0]["id"],
    }
    record = ok(zhu.post("/reading/records", body), 201)
    assert record["book"]["id"] == books[0]["id"]
    assert zhu.post("/reading/records", body).status_code == 422  # the same book the same day
    n = ReadingRecord.objects.count()
    assert zhu.post("/reading/records", {**body, "notes": "短"}).status_code == 422
    assert ReadingRecord.objects.count() == n
    stats = ok(api_for("office").get("/reading/participation"))
    assert stats["records"] == n and {r["name"] for r in stats["by_group"]} >= {"科技界读书小组"}
    assert zhu.get("/reading/participation").status_code == 403
    assert ok(api_for("office").post("/reading/books", {"title": "资治通鉴", "author": "司马光"}), 201)["id"]
    assert zhu.post("/reading/books", {"title": "x"}).status_code == 403
