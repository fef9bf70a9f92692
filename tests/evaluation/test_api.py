"""The API: every action of the pages, with the same refusals."""

from django.utils import timezone

from lvzhi.evaluation.models import AnnualReport, LedgerLine, RuleSet, Warning
from tests.conftest import client_for

from .conftest import member

YEAR = timezone.localdate().year
API = "/api/v1/evaluation"


def test_my_score_with_lines_and_sources(qiantang):
    r = client_for("zhuzheng").get(f"{API}/me?year=2021")
    assert r.status_code == 200
    body = r.json()
    assert body["member"]["name"] == "朱政" and body["rank"] >= 1
    kinds = {x["kind"] for x in body["lines"]}
    assert {"plenary_present", "speech_plenary", "proposal_filed"} <= kinds
    plenary = next(x for x in body["lines"] if x["kind"] == "plenary_present")
    assert plenary["source"]["url"].startswith("/meetings/") and plenary["points"] == "5.0"
    assert sum(float(c["total"]) for c in body["categories"]) == float(body["total"])


def test_record_and_report_flow(qiantang):
    c = client_for("zhuzheng")
    assert c.get(f"{API}/me/record").json()[-1]["year"] <= 2021
    report = c.get(f"{API}/me/report/2021").json()
    assert report["state"] == "draft" and "一、参加会议" in report["text"]
    r = c.put(
        f"{API}/me/report/2021",
        {"title": "述职", "text": "正文", "version": report["version"]},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["text"] == "正文"
    r = c.put(f"{API}/me/report/2021", {"title": "述职", "text": "x", "version": 1}, content_type="application/json")
    assert r.status_code == 409  # stale version
    assert c.post(f"{API}/me/report/2021/submit").json()["state"] == "submitted"
    assert c.post(f"{API}/me/report/2021/submit").status_code == 409


def test_rules_read_update_and_refusals(qiantang):
    office = client_for("office")
    body = office.get(f"{API}/rules/{YEAR}").json()
    assert any(r["kind"] == "proposal_filed" and r["joint_weight"] == "0.20" for r in body["rules"])
    r = office.put(
        f"{API}/rules/{YEAR}",
        {"rules": {"activity_present": {"cap": -3}}, "absence_limit": 2, "min_score": 0},
        content_type="application/json",
    )
    assert r.status_code == 422 and "负数" in r.json()["detail"] + str(r.json()["errors"])
    r = office.put(f"{API}/rules/2021", {"rules": {"plenary_present": {"points": 9}}}, content_type="application/json")
    assert r.status_code == 409
    r = office.put(
        f"{API}/rules/{YEAR}",
        {"rules": {"reading_record": {"points": 2, "cap": None}}, "absence_limit": 2, "min_score": 0},
        content_type="application/json",
    )
    assert r.status_code == 200
    rule = next(x for x in r.json()["rules"] if x["kind"] == "reading_record")
    assert rule["points"] == "2.0" and rule["cap"] is None
    assert client_for("zhuzheng").put(f"{API}/rules/{YEAR}", {}, content_type="application/json").status_code == 403


def test_rebuild_close_and_new_year(qiantang):
    office = client_for("office")
    r = office.post(f"{API}/years/{YEAR}/rebuild")
    assert (
        r.status_code == 200 and r.json()["lines"] == LedgerLine.objects.filter(committee=qiantang, year=YEAR).count()
    )
    assert office.post(f"{API}/years/2021/rebuild").status_code == 409
    assert office.post(f"{API}/years/2021/close").status_code == 409  # closed already
    r = office.post(f"{API}/years", {"year": YEAR + 1}, content_type="application/json")
    assert r.status_code == 201 and r.json()["state"] == "open"
    assert RuleSet.objects.filter(committee=qiantang, year=YEAR + 1).exists()
    assert client_for("hz_office").post(f"{API}/years/{YEAR}/rebuild").status_code == 404


def test_scores_filters_and_adjustments(qiantang):
    office = client_for("office")
    sector = member(qiantang, "朱政").sector
    body = office.get(f"{API}/scores?year=2021&sector={sector.pk}&limit=200").json()
    assert body["count"] == len(body["items"]) and all(x["sector"] == sector.name for x in body["items"])
    zhu = member(qiantang, "朱政")
    r = office.post(
        f"{API}/adjustments",
        {"member": zhu.pk, "year": YEAR, "points": 3, "reason": ""},
        content_type="application/json",
    )
    assert r.status_code == 422
    r = office.post(
        f"{API}/adjustments",
        {"member": zhu.pk, "year": YEAR, "points": 3, "reason": "补登"},
        content_type="application/json",
    )
    assert r.status_code == 201
    lines = office.get(f"{API}/members/{zhu.pk}?year={YEAR}").json()["lines"]
    assert any(x["kind"] == "adjustment" and x["points"] == "3.0" for x in lines)
    assert client_for("zhuzheng").get(f"{API}/scores").status_code == 403


def test_warnings_decide_and_reviews(qiantang):
    office = client_for("office")
    warnings = office.get(f"{API}/warnings?state=open").json()
    assert warnings
    wid = warnings[0]["id"]
    r = office.post(
        f"{API}/warnings/{wid}/decide", {"action": "dismiss", "reason": ""}, content_type="application/json"
    )
    assert r.status_code == 409
    r = office.post(
        f"{API}/warnings/{wid}/decide", {"action": "dismiss", "reason": "已核实"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["state"] == "dismissed"
    assert Warning.objects.get(pk=wid).decision == "已核实"
    report = AnnualReport.objects.get(committee=qiantang, member__name="徐钢", year=2021)
    r = client_for("huiwu").post(
        f"{API}/reports/{report.pk}/reviews", {"text": "建议加强调研"}, content_type="application/json"
    )
    assert r.status_code == 201 and len(r.json()["reviews"]) == 2
    assert (
        client_for("zhuzheng")
        .post(f"{API}/reports/{report.pk}/reviews", {"text": "x"}, content_type="application/json")
        .status_code
        == 403
    )


def test_reports_list_by_role(qiantang):
    assert client_for("jinzhiqiang").get(f"{API}/reports?year=2021").status_code == 200  # a leader reads them
    assert client_for("zhuzheng").get(f"{API}/reports").status_code == 403  # a member does not
    assert client_for("xugang").get(f"{API}/reports").json() == []  # a standing member: none to review (staff only)
