"""/api/v1/consultations: the plan, events, discussion, outcome and the departments' follow-up through the
API, with its answers to refusals (409), bad input (422), wrong role (403) and other committees (404)."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.consultations.models import Plan, Post, Response, Topic
from tests.api.conftest import api_for

from .conftest import member, rec, unit

pytestmark = pytest.mark.django_db


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json() if response.content else None


def test_plan_topics_and_approval(qiantang):
    staff, office = api_for("zhuanwei"), api_for("office")
    plan = ok(staff.post("/consultations/plans", {"year": 2027}), 201)
    kjj = unit(qiantang, "区科技局")
    topic = ok(
        staff.post(
            f"/consultations/plans/{plan['id']}/topics",
            {"title": "数字经济", "kind": "themed", "month": 4, "unit_ids": [kjj.pk]},
        ),
        201,
    )
    assert topic["units"] == [{"id": kjj.pk, "name": "区科技局"}] and topic["kind_label"] == "专题协商"
    ok(staff.post(f"/consultations/plans/{plan['id']}/submit", {}))
    assert staff.post(f"/consultations/plans/{plan['id']}/approve", {}).status_code == 409
    body = ok(office.post(f"/consultations/plans/{plan['id']}/approve", {}))
    assert body["state"] == "approved"
    r = staff._call("put", f"/consultations/topics/{topic['id']}", {"title": "改", "kind": "themed", "month": 5})
    assert r.status_code == 409 and "议题不能再修改" in r.json()["detail"]
    assert Topic.objects.get(pk=topic["id"]).title == "数字经济"


def test_bad_input_is_422_and_changes_nothing(qiantang):
    staff = api_for("zhuanwei")
    plan = Plan.objects.get(committee=qiantang, year=2026)
    r = staff.post("/consultations/plans", {"year": 2026})
    assert r.status_code == 422 and "已经存在" in r.content.decode()
    r = staff.post("/consultations/plans", {"year": 2040, "colour": "red"})
    assert r.status_code == 422
    r = staff.post(f"/consultations/plans/{plan.pk}/topics", {"title": "x", "kind": "party", "month": 1})
    assert r.status_code == 422
    assert not Plan.objects.filter(year=2040).exists()


def test_wrong_role_403_and_other_committee_404(qiantang, hangzhou, outcome):
    member_api, unit_api = api_for("zhuzheng"), api_for("fgj")
    assert member_api.get("/consultations/plans").status_code == 403
    assert unit_api.get("/consultations/open-recommendations").status_code == 403
    assert member_api.post("/consultations/plans", {"year": 2031}).status_code == 403
    assert api_for("zhuanwei").get("/consultations/unit/responses").status_code == 403
    hz = api_for("hz_office")
    assert hz.get(f"/consultations/outcomes/{outcome.pk}").status_code == 404
    assert hz.post(f"/consultations/outcomes/{outcome.pk}/publish", {}).status_code == 404


def test_event_discussion_and_moderation(qiantang, online):
    zhu, xu, staff = api_for("zhuzheng"), api_for("xugang"), api_for("zhuanwei")
    mine = ok(zhu.get("/consultations/mine"))
    assert any(c["id"] == online.pk and c["discussion"] == "open" for c in mine)
    post = ok(zhu.post(f"/consultations/events/{online.pk}/posts", {"text": "建议增设托育点"}), 201)
    r = xu.post(f"/consultations/events/{online.pk}/posts", {"text": "未受邀"})
    assert r.status_code == 409 and "没有受邀" in r.json()["detail"]
    assert xu.get(f"/consultations/events/{online.pk}").status_code == 404
    spam = ok(zhu.post(f"/consultations/events/{online.pk}/posts", {"text": "广告"}), 201)
    assert staff.post(f"/consultations/posts/{spam['id']}/hide", {"reason": ""}).status_code == 422
    ok(staff.post(f"/consultations/posts/{spam['id']}/hide", {"reason": "广告"}))
    seen = [p["text"] for p in ok(zhu.get(f"/consultations/events/{online.pk}/posts"))]
    assert seen == ["建议增设托育点"]
    assert len(ok(staff.get(f"/consultations/events/{online.pk}/posts"))) == 2
    assert post["member"]["name"] == "朱政"
    opinion = ok(zhu.post(f"/consultations/events/{online.pk}/opinions", {"title": "意见", "text": "内容"}), 201)
    assert opinion["kind"] == "written"
    Post.objects.filter(consultation=online).update(hidden=False)


def test_posting_after_the_window_is_409(qiantang, online):
    online.opens_at = timezone.now() - dt.timedelta(days=2)
    online.closes_at = timezone.now() - dt.timedelta(days=1)
    online.save()
    r = api_for("zhuzheng").post(f"/consultations/events/{online.pk}/posts", {"text": "晚了"})
    assert r.status_code == 409 and "截止" in r.json()["detail"]
    assert not Post.objects.filter(consultation=online).exists()


def test_the_whole_loop_through_the_api(qiantang):
    staff = api_for("zhuanwei")
    plan = Plan.objects.get(committee=qiantang, year=2026)
    topic = plan.topics.get(kind="counterpart")
    event = ok(staff.post("/consultations/events", {"topic_id": topic.pk, "held_on": "2026-10-20"}), 201)
    assert event["title"] == topic.title and event["kind"] == "counterpart"
    zhu = member(qiantang, "zhuzheng")
    assert ok(staff.post(f"/consultations/events/{event['id']}/participants", {"member_ids": [zhu.pk]}))["added"] == 1
    ok(staff.post(f"/consultations/events/{event['id']}/speeches",
                  {"member_id": zhu.pk, "kind": "oral", "title": "发言", "text": "内容"}), 201)  # fmt: skip
    r = staff.post("/consultations/outcomes", {"consultation_id": event["id"], "title": "成果", "summary": "报告"})
    assert r.status_code == 409 and "举行后" in r.json()["detail"]
    ok(staff.post(f"/consultations/events/{event['id']}/hold", {}))
    outcome = ok(
        staff.post("/consultations/outcomes", {"consultation_id": event["id"], "title": "成果", "summary": "报告",
                                               "drafter_ids": [zhu.pk]}),
        201,
    )  # fmt: skip
    jyj = unit(qiantang, "区教育局")
    ok(staff.post(f"/consultations/outcomes/{outcome['id']}/recommendations",
                  {"text": "均衡配置师资", "unit_ids": [jyj.pk]}), 201)  # fmt: skip
    sent = ok(staff.post(f"/consultations/outcomes/{outcome['id']}/send", {}))
    assert sent["state"] == "sent" and sent["recommendations"][0]["responses"][0]["state"] == "sent"
    rec_id = sent["recommendations"][0]["id"]

    wrong = api_for("fgj")
    r = wrong.post(f"/consultations/recommendations/{rec_id}/answer", {"adoption": "adopted", "answer": "采纳"})
    assert r.status_code == 409 and "没有送交区发展和改革局办理" in r.json()["detail"]

    dept = api_for("jyj")
    assert any(x["recommendation_id"] == rec_id for x in ok(dept.get("/consultations/unit/responses")))
    r = dept.post(f"/consultations/recommendations/{rec_id}/answer", {"adoption": "not_adopted", "answer": "不采纳"})
    assert r.status_code == 422 and "理由" in r.content.decode()
    ok(dept.post(f"/consultations/recommendations/{rec_id}/answer", {"adoption": "partly", "answer": "部分采纳"}))
    body = ok(dept.post(f"/consultations/recommendations/{rec_id}/steps",
                        {"date": timezone.localdate().isoformat(), "text": "调配教师 20 名"}), 201)  # fmt: skip
    assert body["state"] == "implementing" and body["steps"][0]["text"] == "调配教师 20 名"
    body = ok(dept.post(f"/consultations/recommendations/{rec_id}/feedback", {"feedback": "已完成"}))
    assert body["state"] == "closed"
    published = ok(staff.post(f"/consultations/outcomes/{outcome['id']}/publish", {}))
    assert published["state"] == "published"
    reopened = ok(staff.post(f"/consultations/responses/{body['id']}/reopen", {"reason": "请补充落实细节"}))
    assert reopened["state"] == "implementing"


def test_open_recommendations_api(qiantang, outcome):
    staff = api_for("zhuanwei")
    page = ok(staff.get("/consultations/open-recommendations", {"limit": 2}))
    total = Response.objects.filter(committee=qiantang, state__in=["sent", "answered", "implementing"]).count()
    assert page["count"] == total and len(page["items"]) == 2
    overdue = ok(staff.get("/consultations/open-recommendations", {"overdue": "true"}))
    assert overdue["count"] == overdue["overdue"] >= 1
    assert all(x["overdue"] and x["age_days"] > 90 for x in overdue["items"])
    fgj = unit(qiantang, "区发展和改革局")
    mine = ok(staff.get("/consultations/open-recommendations", {"unit_id": fgj.pk}))
    assert {x["unit"]["name"] for x in mine["items"]} == {"区发展和改革局"}
    assert {x["recommendation_id"] for x in mine["items"]} >= {rec(outcome, 1).pk, rec(outcome, 3).pk}


def test_supervision_api(qiantang):
    staff = api_for("zhuanwei")
    jsj = unit(qiantang, "区建设局")
    sup = ok(staff.post("/consultations/supervisions", {"year": 2026, "title": "监督", "unit_ids": [jsj.pk]}), 201)
    xu = member(qiantang, "xugang").pk
    body = {"date": "2026-05-01", "place": "现场", "member_ids": [xu]}
    ok(staff.post(f"/consultations/supervisions/{sup['id']}/inspections", body), 201)
    body = ok(staff.post(f"/consultations/supervisions/{sup['id']}/findings", {"text": "问题", "unit_id": jsj.pk}), 201)
    assert body["inspections"][0]["members"][0]["name"] == "徐钢" and body["findings"][0]["unit"]["name"] == "区建设局"
    o = ok(
        staff.post("/consultations/outcomes", {"supervision_id": sup["id"], "title": "监督成果", "summary": "x"}), 201
    )
    assert o["supervision_id"] == sup["id"]


def test_material_upload_through_the_api(qiantang, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import make_consultation

    settings.MEDIA_ROOT = tmp_path
    cons = make_consultation(qiantang, held=False)
    staff = api_for("zhuanwei")
    url = f"/api/v1/consultations/events/{cons.pk}/materials"
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    r = staff.client.post(url, {"file": bad}, headers=staff.headers)
    assert r.status_code == 422 and "文件类型不能上传" in r.content.decode()
    pdf = SimpleUploadedFile("材料.pdf", b"%PDF-1.4", content_type="application/pdf")
    body = ok(staff.client.post(url, {"file": pdf, "purpose": "material"}, headers=staff.headers), 201)
    assert body["name"] == "材料.pdf" and body["url"] == f"/consultations/materials/{body['id']}/"
    member = api_for("zhuzheng")
    r = member.client.post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF")}, headers=member.headers)
    assert r.status_code == 403
    assert cons.materials.count() == 1
