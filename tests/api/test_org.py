"""GET /api/v1/org/*: the structure of the current committee only."""

import pytest

from lvzhi.org.models import (
    ContactPoint,
    HandlingUnit,
    Party,
    Sector,
    Session,
    SpecialCommittee,
    Studio,
    SubDistrict,
    Term,
)

from .conftest import api_for

pytestmark = pytest.mark.django_db

LISTS = {
    "/org/terms": Term,
    "/org/sessions": Session,
    "/org/sectors": Sector,
    "/org/parties": Party,
    "/org/special-committees": SpecialCommittee,
    "/org/sub-districts": SubDistrict,
    "/org/studios": Studio,
    "/org/contact-points": ContactPoint,
    "/org/units": HandlingUnit,
}


@pytest.mark.parametrize("path,model", LISTS.items())
def test_each_list_shows_the_current_committee_only(qiantang, hangzhou, path, model):
    for username, committee in (("zhuzheng", qiantang), ("hz_office", hangzhou)):
        r = api_for(username).get(path)
        assert r.status_code == 200
        ids = {row["id"] for row in r.json()}
        assert ids == set(model.objects.filter(committee=committee).values_list("pk", flat=True))


def test_the_lists_carry_their_fields(qiantang):
    client = api_for("office")
    sectors = client.get("/org/sectors").json()
    assert len(sectors) == 17 and sectors[0] == {"id": sectors[0]["id"], "name": "中共", "order": sectors[0]["order"]}
    assert {s["name"] for s in client.get("/org/sub-districts").json()} == {
        "下沙街道",
        "白杨街道",
        "河庄街道",
        "义蓬街道",
        "新湾街道",
        "临江街道",
        "前进街道",
    }
    studio = client.get("/org/studios").json()[0]
    assert studio["sub_district_id"] == Studio.objects.get(pk=studio["id"]).sub_district_id
    assert [t["name"] for t in client.get("/org/terms").json()] == ["一届"]
    assert "一届一次会议" in {s["name"] for s in client.get("/org/sessions").json()}
    party = next(p for p in client.get("/org/parties").json() if p["name"] == "中国共产党")
    assert party["kind"] == "cpc"
    unit = client.get("/org/units").json()[0]
    assert {"contact_name", "contact_phone", "active"} <= set(unit)


def test_the_committee_header_applies(hangzhou):
    sectors = api_for("maoxucheng", committee=hangzhou).get("/org/sectors").json()
    assert {s["name"] for s in sectors} == {"文化艺术界", "经济界"}
