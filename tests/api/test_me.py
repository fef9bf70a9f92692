"""GET /api/v1/me and /committees, acting in a committee with X-Committee, and GET /healthz."""

import pytest
from django.test import Client

from lvzhi.org.models import Committee, Member

from .conftest import api_for

pytestmark = pytest.mark.django_db


def test_me_shows_the_user_roles_and_own_profile(qiantang):
    body = api_for("xugang").get("/me").json()
    assert body["user"]["username"] == "xugang"
    assert body["user"]["display_name"] == "徐钢"
    assert body["committee"]["id"] == qiantang.pk
    assert set(body["roles"]) == {"member", "standing"}
    assert [c["id"] for c in body["committees"]] == [qiantang.pk]
    profile = body["member"]
    assert profile["name"] == "徐钢"
    assert profile["sector"]["name"] == "致公党"
    assert profile["is_standing"] is True
    assert profile["mobile"] == Member.objects.get(committee=qiantang, name="徐钢").mobile  # one's own mobile


def test_me_of_staff_has_no_member_profile(qiantang):
    body = api_for("office").get("/me").json()
    assert body["member"] is None
    assert set(body["roles"]) == {"staff_office", "staff_meetings"}


def test_committees_lists_levels_parents_and_roles(qiantang, hangzhou):
    body = api_for("maoxucheng").get("/committees").json()
    by_id = {c["id"]: c for c in body}
    assert set(by_id) == {qiantang.pk, hangzhou.pk}
    assert by_id[qiantang.pk]["level"] == 4
    assert by_id[qiantang.pk]["parent_id"] == hangzhou.pk
    assert by_id[hangzhou.pk]["level"] == 3
    assert by_id[hangzhou.pk]["roles"] == ["member"]
    assert "全国政协" not in {c["name"] for c in body}


def test_the_committee_header_switches_the_committee(qiantang, hangzhou):
    hz = api_for("maoxucheng", committee=hangzhou)
    assert hz.get("/me").json()["committee"]["id"] == hangzhou.pk
    hz_members = hz.get("/members").json()
    assert hz_members["count"] == Member.objects.filter(committee=hangzhou, state="active").count()
    assert {m["id"] for m in hz_members["items"]} == set(
        Member.objects.filter(committee=hangzhou, state="active").values_list("pk", flat=True)
    )
    hz_sectors = {s["name"] for s in hz.get("/org/sectors").json()}
    assert hz_sectors == {"文化艺术界", "经济界"}

    qt = api_for("maoxucheng", committee=qiantang)
    qt_members = qt.get("/members", {"limit": 200}).json()
    assert qt_members["count"] == 205
    assert not {m["id"] for m in qt_members["items"]} & {m["id"] for m in hz_members["items"]}
    assert "文化艺术界" not in {s["name"] for s in qt.get("/org/sectors").json()}


def test_without_the_header_the_first_committee_is_used(qiantang, hangzhou):
    from lvzhi.core.middleware import committees_of
    from tests.conftest import user

    first = committees_of(user("maoxucheng"))[0]
    assert api_for("maoxucheng").get("/me").json()["committee"]["id"] == first.pk
    assert api_for("zhuzheng").get("/me").json()["committee"]["id"] == qiantang.pk


@pytest.mark.parametrize("header", ["hangzhou", "nonexistent", "abc", "-1", "99999999999999999999999"])
def test_a_committee_without_a_role_is_404(hangzhou, header):
    value = {"hangzhou": str(hangzhou.pk), "nonexistent": "987654"}.get(header, header)
    r = api_for("zhuzheng", committee=value).get("/members")
    assert r.status_code == 404
    assert r.json()["detail"] == "委员会不存在"


def test_a_higher_committee_is_not_reachable_from_a_lower_one(qiantang):
    zhejiang = Committee.objects.get(name="浙江省政协")
    assert api_for("office", committee=zhejiang).get("/org/sectors").status_code == 404


def test_the_session_committee_is_used_by_the_pages(hangzhou):
    from tests.conftest import client_for

    client = client_for("maoxucheng")
    session = client.session
    session["lvzhi_committee_id"] = hangzhou.pk
    session.save()
    assert client.get("/api/v1/me").json()["committee"]["id"] == hangzhou.pk


def test_healthz_answers_ok():
    r = Client().get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_healthz_answers_503_without_a_database(monkeypatch):
    from django.db import connection

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken)
    r = Client().get("/healthz")
    assert r.status_code == 503


def test_a_user_without_any_committee_gets_me_but_no_data():
    from lvzhi.accounts.models import User

    User.objects.create_user("lonely", password="Lonely@2024x")
    client = api_for("lonely")
    me = client.get("/me").json()
    assert me["committee"] is None and me["committees"] == [] and me["roles"] == []
    r = client.get("/members")
    assert r.status_code == 403
    assert r.json()["detail"] == "您还没有加入任何委员会。"
