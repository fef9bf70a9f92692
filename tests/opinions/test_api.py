"""/api/v1/opinions: writers create, submit and read theirs; staff edit, publish, forward, record
adoption and instruction; refusals: forwarded twice 409, adoption twice 409, wrong role 403, another
committee 404, too long 422; residents' data null for those who may not see it."""

import pytest

from lvzhi.opinions.models import Adoption, OpinionReport
from tests.api.conftest import api_for

from .conftest import SITUATION, SUGGESTION, write

pytestmark = pytest.mark.django_db

BODY = {"title": "关于增设社区老年食堂的建议", "topic": "社会民生", "situation": SITUATION, "suggestion": SUGGESTION}


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_writer_creates_submits_and_reads(qiantang):
    api = api_for("lianluo")
    created = ok(api.post("/opinions", {**BODY, "resident_name": "李大爷", "resident_phone": "13900001111"}), 201)
    assert created["state"] == "draft" and created["source"] == "contact_point"
    assert created["resident_phone"] == "13900001111"
    submitted = ok(api.post(f"/opinions/{created['id']}/submit"))
    assert submitted["state"] == "submitted" and submitted["original_title"] == BODY["title"]
    assert any(r["id"] == created["id"] for r in ok(api.get("/opinions/mine")))


def test_too_long_is_422_and_nothing_saved(qiantang):
    before = OpinionReport.objects.count()
    answer = api_for("zhuzheng").post("/opinions", {**BODY, "situation": "长" * 1600})
    assert answer.status_code == 422 and "1500" in answer.content.decode()
    assert OpinionReport.objects.count() == before


def test_staff_flow_with_refusals(qiantang, hangzhou):
    report = write(qiantang)
    staff = api_for("xinxi")
    ok(staff.post(f"/opinions/{report.pk}/edit", {"title": "关于地铁口停放秩序的建议"}))
    ok(staff.post(f"/opinions/{report.pk}/accept"))
    issue = ok(staff.post("/opinion-issues", {"title": "专刊"}), 201)
    published = ok(staff.post(f"/opinion-issues/{issue['id']}/publish", {"reports": [report.pk]}))
    assert published["reports"] == [report.pk]
    copy = ok(staff.post(f"/opinions/{report.pk}/forward", {"note": "请编发"}), 201)
    assert copy["committee"]["id"] == hangzhou.pk
    again = staff.post(f"/opinions/{report.pk}/forward", {})
    assert again.status_code == 409 and "不能重复报送" in again.json()["detail"]
    city = api_for("hz_office")
    body = {"level": "city", "body": "杭州市委办公厅", "date": "2026-01-05"}
    ok(city.post(f"/opinions/{copy['id']}/adoptions", body), 201)
    twice = city.post(f"/opinions/{copy['id']}/adoptions", {**body, "body": "别处"})
    assert twice.status_code == 409 and "同一层级只记录一次" in twice.json()["detail"]
    detail = ok(
        city.post(
            f"/opinions/{copy['id']}/instructions",
            {"level": "city", "leader": "市长", "text": "请研究。", "date": "2026-01-06"},
        ),
        201,
    )
    assert detail["adoptions"][0]["level"] == "city" and detail["instructions"][0]["leader"] == "市长"
    mine = ok(api_for("zhuzheng").get(f"/opinions/{report.pk}"))
    assert mine["adoptions"][0]["body"] == "杭州市委办公厅" and mine["forwards"][0]["committee"]["id"] == hangzhou.pk
    assert Adoption.objects.filter(root=report).count() == 1
    stats = ok(staff.get("/opinion-stats"))
    assert stats["adopted_by_level"]["city"] >= 1 and stats["totals"]["published"] >= 1


def test_wrong_role_other_committee_and_bad_input(qiantang):
    report = write(qiantang, "lianluo", resident_phone="13812345678")
    assert api_for("zhuzheng").get("/opinions").status_code == 403
    assert api_for("jinzhiqiang").post(f"/opinions/{report.pk}/accept").status_code == 403
    assert api_for("hz_office").get(f"/opinions/{report.pk}").status_code == 404
    assert api_for("xugang").get(f"/opinions/{report.pk}").status_code == 404
    leader = ok(api_for("jinzhiqiang").get(f"/opinions/{report.pk}"))
    assert leader["resident_phone"] is None
    assert ok(api_for("xinxi").get(f"/opinions/{report.pk}"))["resident_phone"] == "13812345678"
    bad = api_for("xinxi").post(
        f"/opinions/{report.pk}/adoptions", {"level": "town", "body": "x", "date": "2026-01-01"}
    )
    assert bad.status_code == 422
    assert api_for("xinxi").post(f"/opinions/{report.pk}/send-back", {"reason": ""}).status_code == 422
    queue = ok(api_for("xinxi").get("/opinions", {"state": "submitted"}))
    assert any(r["id"] == report.pk for r in queue["items"])


def test_similar_api(qiantang):
    write(qiantang, "xugang")
    matches = ok(api_for("zhuzheng").post("/opinion-similar", {"title": "地铁口电动车停放", "situation": SITUATION}))
    assert matches and matches[0]["title"] == "关于规范地铁口电动自行车停放的建议"


def test_ids_and_paging_beyond_any_database_are_404_or_clamped(qiantang):
    staff = api_for("xinxi")
    assert staff.get(f"/opinions/{2**80}").status_code == 404
    assert staff.post(f"/opinions/{2**70}/accept").status_code == 404
    assert staff.get("/opinions", {"offset": 2**80, "year": 2**70}).status_code == 200
    assert api_for("zhuzheng").post(f"/opinions/{2**80}/submit").status_code == 404
