# ruff: noqa: F811 - the proposal fixtures (draft, filed) are imported from tests/proposals/conftest.py
"""/api/v1/proposals: the whole lifecycle through the API (member → office → unit → member evaluation),
with the events it writes, and every kind of refusal (403 wrong role, 404 invisible, 409 stale state,
422 bad input)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.core.models import Event
from lvzhi.proposals import services as s
from lvzhi.proposals.models import Answer, Assignment, Category, CoSigner, Evaluation, Proposal
from tests.conftest import user
from tests.proposals.conftest import draft, filed, member, unit  # noqa: F401 - fixtures

from .conftest import api_for

pytestmark = pytest.mark.django_db


def actions(pk):
    return list(
        Event.objects.filter(subject_id=pk, subject_type__model="proposal")
        .order_by("id")
        .values_list("action", flat=True)
    )


def draft_body(qiantang, **extra):
    return {
        "title": "关于地铁口停车难的建议",
        "category": Category.objects.get(committee=qiantang, name="城乡建设").pk,
        "problem": "地铁口非机动车停放混乱。",
        "analysis": "停车位不足,管理责任不清。",
        "suggestion": "增设停车位,明确管理责任。",
        **extra,
    }


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_the_whole_cycle_through_the_api(qiantang):
    zhu, xu, office, fgj = api_for("zhuzheng"), api_for("xugang"), api_for("tiwei"), api_for("fgj")

    p = ok(zhu.post("/proposals", draft_body(qiantang)), 201)
    pk = p["id"]
    assert p["state"] == "draft" and p["lead"]["name"] == "朱政" and p["lead"]["sector"] == "科技界"
    assert "mobile" not in p["lead"]
    p = ok(zhu.patch(f"/proposals/{pk}", {"title": "关于缓解地铁口停车难的建议"}))
    assert p["title"] == "关于缓解地铁口停车难的建议"

    p = ok(zhu.post(f"/proposals/{pk}/cosigners", {"members": [member(qiantang, "徐钢").pk]}))
    [invitation] = p["cosigners"]
    assert invitation["state"] == "invited"
    assert zhu.post(f"/proposals/{pk}/submit").status_code == 409  # the co-signer has not confirmed
    c = ok(xu.post(f"/proposals/{pk}/cosigners/{invitation['id']}/respond", {"confirm": True}))
    assert c["state"] == "confirmed"
    p = ok(zhu.post(f"/proposals/{pk}/submit"))
    assert p["state"] == "submitted"

    p = ok(office.post(f"/proposals/{pk}/file", {}))
    assert p["state"] == "filed" and p["number"].endswith("号")
    p = ok(office.post(f"/proposals/{pk}/assign", {"lead_unit": unit(qiantang, "区发展和改革局").pk}))
    assert p["state"] == "assigned" and p["assignments"][0]["unit"]["name"] == "区发展和改革局"

    p = ok(fgj.post(f"/proposals/{pk}/accept"))
    assert p["state"] == "handling"
    today = dt.date.today().isoformat()
    ok(fgj.post(f"/proposals/{pk}/contacts", {"method": "phone", "date": today, "note": "电话沟通办理思路。"}))
    p = ok(fgj.post(f"/proposals/{pk}/answer", {"category": "B", "text": "已列入年度计划。"}))
    assert p["state"] == "answered" and p["answers"][0]["approved"] is False
    # the proposer does not read the answer before the office approves it
    assert ok(zhu.get(f"/proposals/{pk}"))["answers"] == []

    p = ok(office.post(f"/proposals/{pk}/answer/approve", {"category": "C"}))
    assert p["state"] == "replied" and p["answers"][0]["category"] == "C"
    mine = ok(zhu.get(f"/proposals/{pk}"))
    assert mine["answers"][0]["category_label"] == "C 因条件限制留作参考" and mine["answers"][0]["approved"]

    ok(zhu.post(f"/proposals/{pk}/evaluation", {"rating": "unsatisfied", "comment": "停车位仍不足。"}))
    p = ok(xu.post(f"/proposals/{pk}/evaluation", {"rating": "basic"}))
    assert p["state"] == "rehandling" and p["round"] == 2

    p = ok(fgj.post(f"/proposals/{pk}/answer", {"category": "A", "text": "新增停车位 300 个。"}))
    p = ok(office.post(f"/proposals/{pk}/answer/approve", {}))
    ok(zhu.post(f"/proposals/{pk}/evaluation", {"rating": "satisfied"}))
    p = ok(xu.post(f"/proposals/{pk}/evaluation", {"rating": "satisfied"}))
    assert p["state"] == "closed"
    p = ok(office.post(f"/proposals/{pk}/publish", {"publish": True}))
    assert p["published_at"]

    row = Proposal.objects.get(pk=pk)
    assert row.state == "closed" and row.round == 2 and row.published_at and row.answer_category == "A"
    assert Answer.objects.filter(proposal=row).count() == 2
    assert Evaluation.objects.filter(proposal=row).count() == 4
    assert CoSigner.objects.get(proposal=row).state == "confirmed"
    assert actions(pk) == [
        "proposal.created",
        "proposal.edited",
        "proposal.cosigner_invited",
        "proposal.submit",
        "proposal.file",
        "proposal.assign",
        "proposal.start",
        "proposal.contact",
        "proposal.answer",
        "proposal.category_changed",
        "proposal.approve_answer",
        "proposal.evaluated",
        "proposal.evaluated",
        "proposal.rehandle",
        "proposal.answer",
        "proposal.approve_answer",
        "proposal.evaluated",
        "proposal.evaluated",
        "proposal.close",
        "proposal.published",
    ]
    assert Event.objects.get(subject_id=pk, action="proposal.file").actor == user("tiwei")
    timeline = ok(zhu.get(f"/proposals/{pk}"))["timeline"]
    assert [t["action"] for t in timeline] == actions(pk)


@pytest.fixture
def submitted(draft):
    s.proposal_submit(proposal=draft, by=user("zhuzheng"))
    return draft


@pytest.fixture
def xu_submitted(qiantang):
    """徐钢's proposal, submitted."""
    p = s.proposal_create(
        committee=qiantang,
        by=user("xugang"),
        lead=member(qiantang, "徐钢"),
        title="关于推进未来乡村建设的建议",
        category=Category.objects.get(committee=qiantang, name="农业农村"),
        problem="乡村公共服务不足。",
        suggestion="推进未来乡村建设。",
    )
    s.proposal_submit(proposal=p, by=user("xugang"))
    return p


@pytest.fixture
def assigned(qiantang, filed):
    s.proposal_assign(proposal=filed, by=user("tiwei"), lead_unit=unit(qiantang, "区发展和改革局"))
    return filed


def test_lists_show_what_each_caller_may_see(qiantang, assigned, xu_submitted):
    def ids(username, **params):
        return {i["id"] for i in ok(api_for(username).get("/proposals", {"limit": 200, **params}))["items"]}

    fgj_unit = unit(qiantang, "区发展和改革局")
    theirs = set(
        Assignment.objects.filter(unit=fgj_unit).exclude(state="cancelled").values_list("proposal_id", flat=True)
    )
    assert assigned.pk in ids("fgj") and ids("fgj") == theirs
    assert assigned.pk not in ids("jyj") and xu_submitted.pk not in ids("jyj")
    xu_ids = ids("xugang")
    assert xu_submitted.pk in xu_ids and assigned.pk not in xu_ids
    assert all(
        Proposal.objects.get(pk=pk).lead.name == "徐钢"
        or CoSigner.objects.filter(proposal_id=pk, member__name="徐钢").exists()
        for pk in xu_ids
    )
    office = ids("tiwei")
    assert {assigned.pk, xu_submitted.pk} <= office
    assert not Proposal.objects.filter(pk__in=office, state="draft", kind="individual").exists()
    assert assigned.pk in ids("tiwei", state="assigned") and xu_submitted.pk not in ids("tiwei", state="assigned")
    assert ids("tiwei", unit=fgj_unit.pk) == theirs
    page = ok(api_for("tiwei").get("/proposals", {"limit": 1, "offset": 1}))
    assert page["count"] == len(office) and len(page["items"]) == 1


def test_a_member_may_not_file_or_assign(submitted):
    r = api_for("zhuzheng").post(f"/proposals/{submitted.pk}/file", {})
    assert r.status_code == 403 and r.json()["detail"]
    assert api_for("zhuzheng").post(f"/proposals/{submitted.pk}/assign", {"lead_unit": 1}).status_code == 403
    assert api_for("fgj").post(f"/proposals/{submitted.pk}/reject", {"reason": "x"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == "submitted" and submitted.number == ""


def test_another_member_cannot_edit_the_draft_nor_see_it(draft):
    assert api_for("xugang").get(f"/proposals/{draft.pk}").status_code == 404
    assert api_for("xugang").patch(f"/proposals/{draft.pk}", {"title": "改"}).status_code == 404
    assert api_for("tiwei").get(f"/proposals/{draft.pk}").status_code == 404  # staff do not read drafts


def test_a_co_signer_sees_but_may_not_edit_or_submit(qiantang, draft):
    s.cosigner_invite(proposal=draft, members=[member(qiantang, "徐钢")], by=user("zhuzheng"))
    xu = api_for("xugang")
    assert xu.get(f"/proposals/{draft.pk}").status_code == 200
    assert xu.patch(f"/proposals/{draft.pk}", {"title": "改"}).status_code == 403
    assert xu.post(f"/proposals/{draft.pk}/submit").status_code == 403
    assert Proposal.objects.get(pk=draft.pk).title == draft.title


def test_another_unit_gets_404(assigned):
    jyj = api_for("jyj")
    assert jyj.get(f"/proposals/{assigned.pk}").status_code == 404
    assert jyj.post(f"/proposals/{assigned.pk}/accept").status_code == 404
    assert Assignment.objects.get(proposal=assigned).state == "assigned"


def test_another_committee_gets_404(hangzhou, submitted):
    assert api_for("hz_office").get(f"/proposals/{submitted.pk}").status_code == 404
    # 茅徐程 acting in 杭州市政协 does not see a 钱塘 proposal, not even his own committee's by id
    assert api_for("maoxucheng", committee=hangzhou).get(f"/proposals/{submitted.pk}").status_code == 404
    assert api_for("zhuzheng").get("/proposals/99999999999999999999").status_code in (404, 422)


def test_a_stale_step_is_409_and_changes_nothing(submitted):
    office = api_for("tiwei")
    ok(office.post(f"/proposals/{submitted.pk}/file", {}))
    number = Proposal.objects.get(pk=submitted.pk).number
    r = office.post(f"/proposals/{submitted.pk}/file", {})
    assert r.status_code == 409 and "已立案" in r.json()["detail"]
    r = office.post(f"/proposals/{submitted.pk}/reject", {"reason": "没有具体内容或建议"})
    assert r.status_code == 409
    row = Proposal.objects.get(pk=submitted.pk)
    assert row.state == "filed" and row.number == number
    assert actions(submitted.pk).count("proposal.file") == 1


def test_evaluating_before_the_reply_is_409(assigned):
    r = api_for("zhuzheng").post(f"/proposals/{assigned.pk}/evaluation", {"rating": "satisfied"})
    assert r.status_code == 409
    assert not Evaluation.objects.filter(proposal=assigned).exists()


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"title": "好", "colour": "red"}, "colour"),
        ({"title": "好", "category": "abc"}, "category"),
    ],
)
def test_bad_drafts_are_422_and_create_nothing(qiantang, body, field):
    before = Proposal.objects.count()
    r = api_for("zhuzheng").post("/proposals", body)
    assert r.status_code == 422
    assert field in {e["field"] for e in r.json()["errors"]}
    assert Proposal.objects.count() == before


def test_a_category_of_another_committee_is_422(qiantang, hangzhou):
    other = Category.objects.create(committee=hangzhou, name="外委类别")
    r = api_for("zhuzheng").post("/proposals", draft_body(qiantang, category=other.pk))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "category"


def test_bad_steps_are_422(qiantang, xu_submitted, assigned):
    office = api_for("tiwei")
    assert office.post(f"/proposals/{xu_submitted.pk}/reject", {"reason": ""}).status_code == 422
    assert office.post(f"/proposals/{xu_submitted.pk}/convert", {"to": "x", "reason": "r"}).status_code == 422
    r = office.post(f"/proposals/{xu_submitted.pk}/assign", {"lead_unit": 999999})
    assert r.status_code == 409 or r.status_code == 422
    fgj = api_for("fgj")
    ok(fgj.post(f"/proposals/{assigned.pk}/accept"))
    r = fgj.post(f"/proposals/{assigned.pk}/answer", {"category": "Z", "text": "答复"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "category"
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    r = fgj.post(f"/proposals/{assigned.pk}/contacts", {"method": "phone", "date": future, "note": "x"})
    assert r.status_code == 422
    assert (
        fgj.post(f"/proposals/{assigned.pk}/contacts", {"method": "fax", "date": future, "note": "x"}).status_code
        == 422
    )
    assert not Answer.objects.filter(proposal=assigned).exists()
    assert api_for("zhuzheng").get("/proposals", {"state": "nonsense"}).status_code == 422


def test_review_steps_reject_send_back_convert_merge(qiantang, submitted):
    office = api_for("tiwei")
    p = ok(office.post(f"/proposals/{submitted.pk}/send-back", {"reason": "请补充分析。"}))
    assert p["state"] == "revising"
    ok(api_for("zhuzheng").post(f"/proposals/{submitted.pk}/submit"))
    other = s.proposal_create(
        committee=qiantang,
        by=user("xugang"),
        lead=member(qiantang, "徐钢"),
        title="关于科技金融服务的建议",
        category=Category.objects.get(committee=qiantang, name="科技创新"),
        problem="问题",
        suggestion="建议",
    )
    s.proposal_submit(proposal=other, by=user("xugang"))
    p = ok(office.post(f"/proposals/{submitted.pk}/merge", {"others": [other.pk]}))
    assert Proposal.objects.get(pk=other.pk).state == "merged"
    assert any(c["member"]["name"] == "徐钢" and c["state"] == "confirmed" for c in p["cosigners"])
    ok(office.post(f"/proposals/{submitted.pk}/file", {}))
    third = s.proposal_create(
        committee=qiantang,
        by=user("zhuzheng"),
        lead=member(qiantang, "朱政"),
        title="t",
        category=None,
        problem="p",
        suggestion="s",
    )
    third.category = Category.objects.get(committee=qiantang, name="其他")
    third.save()
    s.proposal_submit(proposal=third, by=user("zhuzheng"))
    p = ok(office.post(f"/proposals/{third.pk}/convert", {"to": "report", "reason": "更适合作为社情民意。"}))
    assert p["state"] == "to_report"


def test_a_unit_returns_and_a_co_unit_gives_its_opinion(qiantang, filed):
    office = api_for("tiwei")
    ok(office.post(f"/proposals/{filed.pk}/assign", {"lead_unit": unit(qiantang, "区发展和改革局").pk}))
    p = ok(api_for("fgj").post(f"/proposals/{filed.pk}/return", {"reason": "不属于本单位职责。"}))
    assert p["state"] == "returned"
    p = ok(
        office.post(
            f"/proposals/{filed.pk}/assign",
            {"lead_unit": unit(qiantang, "区教育局").pk, "co_units": [unit(qiantang, "区发展和改革局").pk]},
        )
    )
    assert p["state"] == "assigned"
    ok(api_for("jyj").post(f"/proposals/{filed.pk}/accept"))
    ok(api_for("fgj").post(f"/proposals/{filed.pk}/accept"))
    r = api_for("jyj").post(f"/proposals/{filed.pk}/answer", {"category": "A", "text": "x"})
    assert r.status_code == 409  # the co-unit has not given its opinion
    p = ok(api_for("fgj").post(f"/proposals/{filed.pk}/co-opinion", {"opinion": "同意。"}))
    assert any(a["opinion"] == "同意。" for a in p["assignments"])


def test_the_answer_with_a_reply_letter_as_multipart(qiantang, assigned):
    fgj = api_for("fgj")
    ok(fgj.post(f"/proposals/{assigned.pk}/accept"))
    letter = SimpleUploadedFile("答复函.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    r = fgj.client.post(
        f"/api/v1/proposals/{assigned.pk}/answer/letter",
        {"category": "A", "text": "已办理。", "letter": letter},
        headers=fgj.headers,
    )
    p = ok(r)
    assert p["state"] == "answered" and p["answers"][0]["letter_id"]
    fake = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    s.answer_send_back(proposal=Proposal.objects.get(pk=assigned.pk), by=user("tiwei"), reason="请修改")
    r = fgj.client.post(
        f"/api/v1/proposals/{assigned.pk}/answer/letter",
        {"category": "A", "text": "已办理。", "letter": fake},
        headers=fgj.headers,
    )
    assert r.status_code == 422
    assert not Answer.objects.filter(proposal=assigned).exists()


def test_key_excellent_progress_and_publish_refusals(qiantang, filed):
    office = api_for("tiwei")
    leader = user("jinzhiqiang")
    p = ok(office.post(f"/proposals/{filed.pk}/key", {"key": True, "supervisor": leader.pk}))
    assert p["is_key"] and p["supervisor"]
    r = office.post(f"/proposals/{filed.pk}/key", {"key": True, "supervisor": user("zhuzheng").pk})
    assert r.status_code == 422
    ok(api_for("jinzhiqiang").post(f"/proposals/{filed.pk}/progress", {"text": "已召开督办会。"}))
    assert api_for("zhuzheng").post(f"/proposals/{filed.pk}/progress", {"text": "x"}).status_code in (403, 404)
    p = ok(office.post(f"/proposals/{filed.pk}/excellent", {"year": 2024}))
    assert p["excellent_year"] == 2024
    assert office.post(f"/proposals/{filed.pk}/excellent", {"year": 1800}).status_code == 422
    r = office.post(f"/proposals/{filed.pk}/publish", {"publish": True})
    assert r.status_code == 409  # not answered yet
    assert Proposal.objects.get(pk=filed.pk).published_at is None


def test_the_office_writes_a_collective_proposal_and_members_cannot(qiantang):
    body = draft_body(qiantang, collective_name="科技界")
    p = ok(api_for("tiwei").post("/proposals", body), 201)
    assert p["kind"] == "collective" and p["lead"] is None and p["collective_name"] == "科技界"
    assert api_for("zhuzheng").post("/proposals", body).status_code == 403
    assert api_for("fgj").post("/proposals", draft_body(qiantang)).status_code == 403


def test_similar_and_suggest_answer_without_a_500(qiantang, filed):
    r = api_for("zhuzheng").post("/proposals/similar", {"text": "构建开放型区域创新体系"})
    assert r.status_code == 200 and "items" in r.json()
    r = api_for("tiwei").post("/proposals/suggest", {"text": "构建开放型区域创新体系"})
    assert r.status_code == 200 and set(r.json()) == {"available", "category", "unit"}
    assert api_for("zhuzheng").post("/proposals/suggest", {"text": "x"}).status_code == 403
    assert api_for("zhuzheng").post("/proposals/similar", {"text": ""}).status_code == 422
