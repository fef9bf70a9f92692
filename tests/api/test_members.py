"""The members API: the field rule, filters, pagination, tenancy, and writes through the services."""

import pytest

from lvzhi.core.models import Event
from lvzhi.org.models import Member, Party, Sector, SpecialCommittee, Studio

from .conftest import api_for

pytestmark = pytest.mark.django_db

DIRECTORY_FIELDS = {"id", "name", "sector", "party", "studio"}


def _member(committee, name):
    return Member.objects.get(committee=committee, name=name)


def _events(member, action):
    return Event.objects.filter(subject_id=member.pk, action=action, subject_type__model="member")


# --------------------------------------------------------------------------- reading


@pytest.mark.parametrize("username", ["zhuzheng", "xugang"])
def test_members_get_the_directory_fields_only(username):
    r = api_for(username).get("/members", {"limit": 200})
    assert r.status_code == 200
    items = r.json()["items"]
    assert len(items) == 200
    assert all(set(m) == DIRECTORY_FIELDS for m in items)
    assert "139000" not in r.content.decode()  # no mobile number anywhere in the answer


def test_a_member_never_gets_another_members_private_data_in_detail(qiantang):
    other = _member(qiantang, "徐钢")
    r = api_for("zhuzheng").get(f"/members/{other.pk}")
    assert r.status_code == 200
    assert set(r.json()) == DIRECTORY_FIELDS
    assert other.mobile not in r.content.decode()
    assert other.employer not in r.content.decode()


def test_leaders_get_every_field_as_on_the_roster_pages(qiantang):
    other = _member(qiantang, "徐钢")
    body = api_for("jinzhiqiang").get(f"/members/{other.pk}").json()
    assert body["mobile"] == other.mobile


def test_staff_get_every_field(qiantang):
    other = _member(qiantang, "徐钢")
    body = api_for("tiwei").get(f"/members/{other.pk}").json()
    assert body["mobile"] == other.mobile
    assert body["employer"] == "钱塘区农业发展服务中心"
    assert body["post"] == "主任"
    assert body["version"] == other.version
    assert body["is_standing"] is True
    listed = api_for("office").get("/members", {"limit": 1}).json()["items"][0]
    assert {"mobile", "employer", "post", "version", "special_committees", "term"} <= set(listed)


def test_unit_staff_may_not_read_the_directory():
    r = api_for("fgj").get("/members")
    assert r.status_code == 403
    assert r.json()["detail"] == "您在本委员会没有执行此操作的权限。"


def test_pagination(qiantang):
    client = api_for("office")
    first = client.get("/members", {"limit": 10, "offset": 0}).json()
    second = client.get("/members", {"limit": 10, "offset": 10}).json()
    assert first["count"] == second["count"] == 205
    assert (first["limit"], first["offset"], second["offset"]) == (10, 0, 10)
    assert len(first["items"]) == len(second["items"]) == 10
    assert not {m["id"] for m in first["items"]} & {m["id"] for m in second["items"]}
    last = client.get("/members", {"limit": 10, "offset": 200}).json()
    assert len(last["items"]) == 5
    everyone = set()
    for offset in range(0, 205, 50):
        everyone |= {m["id"] for m in client.get("/members", {"limit": 50, "offset": offset}).json()["items"]}
    assert everyone == set(Member.objects.filter(committee=qiantang).values_list("pk", flat=True))


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "many"}])
def test_bad_pagination_is_422(params):
    r = api_for("office").get("/members", params)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] in ("limit", "offset")


def test_filters(qiantang):
    client = api_for("office")
    sector = Sector.objects.get(committee=qiantang, name="科技界")
    by_sector = client.get("/members", {"sector": sector.pk, "limit": 200}).json()
    assert by_sector["count"] == 14
    assert {m["sector"]["name"] for m in by_sector["items"]} == {"科技界"}

    party = Party.objects.get(committee=qiantang, name="中国致公党")
    by_party = client.get("/members", {"party": party.pk, "limit": 200}).json()
    assert by_party["count"] == Member.objects.filter(committee=qiantang, party=party).count() > 0
    assert {m["party"]["name"] for m in by_party["items"]} == {"中国致公党"}

    standing = client.get("/members", {"standing": "true", "limit": 200}).json()
    assert standing["count"] == Member.objects.filter(committee=qiantang, is_standing=True).count() > 0
    assert all(m["is_standing"] for m in standing["items"])

    studio = Studio.objects.filter(committee=qiantang).first()
    by_studio = client.get("/members", {"studio": studio.pk, "limit": 200}).json()
    assert by_studio["count"] == Member.objects.filter(committee=qiantang, studio=studio).count() > 0

    special = SpecialCommittee.objects.filter(committee=qiantang).first()
    by_special = client.get("/members", {"special_committee": special.pk, "limit": 200}).json()
    assert by_special["count"] == Member.objects.filter(committee=qiantang, special_committees=special).count() > 0

    by_name = client.get("/members", {"q": "朱政"}).json()
    assert [m["name"] for m in by_name["items"]] == ["朱政"]


def test_only_staff_search_by_mobile():
    assert api_for("office").get("/members", {"q": "13900000118"}).json()["count"] == 1
    assert api_for("zhuzheng").get("/members", {"q": "13900000118"}).json()["count"] == 0


def test_ended_members_are_listed_for_staff_only(qiantang):
    ended = _member(qiantang, "徐钢")
    Member.objects.filter(pk=ended.pk).update(state="ended")
    staff = api_for("office")
    assert staff.get("/members", {"state": "ended"}).json()["count"] == 1
    assert staff.get("/members", {"state": "all"}).json()["count"] == 205
    assert staff.get("/members").json()["count"] == 204
    member = api_for("zhuzheng")
    assert member.get("/members", {"state": "ended"}).json()["count"] == 204
    assert member.get(f"/members/{ended.pk}").status_code == 404
    assert staff.get(f"/members/{ended.pk}").status_code == 200


def test_a_foreign_filter_id_finds_nothing(hangzhou):
    hz_sector = Sector.objects.filter(committee=hangzhou).first()
    assert api_for("office").get("/members", {"sector": hz_sector.pk}).json()["count"] == 0


def test_another_committees_member_is_404(qiantang, hangzhou):
    hz_member = Member.objects.filter(committee=hangzhou).first()
    r = api_for("office").get(f"/members/{hz_member.pk}")
    assert r.status_code == 404
    assert api_for("office").get("/members/987654321").status_code == 404
    # the same member is found in its own committee
    assert api_for("hz_office").get(f"/members/{hz_member.pk}").status_code == 200


# --------------------------------------------------------------------------- writing


def _new(qiantang, **overrides):
    data = {
        "name": "林新",
        "mobile": "13812345678",
        "sector": Sector.objects.get(committee=qiantang, name="教育界").pk,
        "party": Party.objects.get(committee=qiantang, name="中国民主同盟").pk,
        "gender": "F",
        "birth_date": "1980-05-01",
        "employer": "钱塘区实验学校",
        "post": "校长",
        "special_committees": [SpecialCommittee.objects.filter(committee=qiantang).first().pk],
    }
    data.update(overrides)
    return data


def test_office_creates_a_member(qiantang):
    r = api_for("office").post("/members", _new(qiantang))
    assert r.status_code == 201, r.content
    body = r.json()
    member = Member.objects.get(pk=body["id"])
    assert member.committee == qiantang
    assert (member.name, member.mobile, member.employer, member.gender) == (
        "林新",
        "13812345678",
        "钱塘区实验学校",
        "F",
    )
    assert member.term.name == "一届"  # the current term by default
    assert member.special_committees.count() == 1
    assert member.user is not None and member.user.mobile == "13812345678"
    assert body["version"] == 1 and body["mobile"] == "13812345678"
    event = _events(member, "member.created").get()
    assert event.actor.username == "office"
    assert event.committee == qiantang


def test_office_updates_a_member_with_the_version_read(qiantang):
    member = _member(qiantang, "朱政")
    client = api_for("office")
    version = client.get(f"/members/{member.pk}").json()["version"]
    r = client.patch(f"/members/{member.pk}", {"version": version, "post": "总工程师", "studio": None})
    assert r.status_code == 200, r.content
    assert r.json()["post"] == "总工程师"
    assert r.json()["version"] == version + 1
    member.refresh_from_db()
    assert (member.post, member.studio, member.version) == ("总工程师", None, version + 1)
    assert member.employer == "杭州沃镭智能科技股份有限公司"  # fields not sent are kept
    event = _events(member, "member.updated").get()
    assert event.data["changes"]["post"] == ["研发总监", "总工程师"]


def test_a_stale_version_is_409_and_changes_nothing(qiantang):
    member = _member(qiantang, "朱政")
    client = api_for("office")
    read = member.version
    assert client.patch(f"/members/{member.pk}", {"version": read, "post": "甲"}).status_code == 200
    stale = client.patch(f"/members/{member.pk}", {"version": read, "post": "乙"})
    assert stale.status_code == 409
    assert stale.json()["detail"] == "该委员的信息已被他人修改,请刷新后重新编辑。"
    member.refresh_from_db()
    assert member.post == "甲"
    assert _events(member, "member.updated").count() == 1


def test_office_ends_a_membership(qiantang):
    member = _member(qiantang, "朱政")
    r = api_for("office").post(f"/members/{member.pk}/end", {"reason": "本人申请辞去委员职务"})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "ended"
    member.refresh_from_db()
    assert member.state == "ended" and member.ended_reason == "本人申请辞去委员职务"
    event = _events(member, "member.end").get()
    assert (event.from_state, event.to_state, event.reason) == ("active", "ended", "本人申请辞去委员职务")
    # the member lost the member role: the directory is closed to them now
    assert api_for("zhuzheng").get("/members").status_code == 403


def test_ending_twice_is_409_with_the_workflow_message(qiantang):
    member = _member(qiantang, "朱政")
    client = api_for("office")
    assert client.post(f"/members/{member.pk}/end", {"reason": "辞职"}).status_code == 200
    again = client.post(f"/members/{member.pk}/end", {"reason": "辞职"})
    assert again.status_code == 409
    assert again.json()["detail"] == "当前状态为「已退出」,不能执行此操作。"
    assert _events(member, "member.end").count() == 1


def test_ending_needs_a_reason(qiantang):
    member = _member(qiantang, "朱政")
    r = api_for("office").post(f"/members/{member.pk}/end", {"reason": "   "})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "reason", "message": "此项不能为空。"}]
    member.refresh_from_db()
    assert member.state == "active"


@pytest.mark.parametrize("username", ["zhuzheng", "jinzhiqiang", "tiwei", "fgj", "maoxucheng"])
def test_only_the_office_writes_members(qiantang, username):
    member = _member(qiantang, "朱政")
    client = api_for(username, committee=qiantang)
    created = client.post("/members", _new(qiantang))
    patched = client.patch(f"/members/{member.pk}", {"version": member.version, "post": "x"})
    ended = client.post(f"/members/{member.pk}/end", {"reason": "x"})
    assert created.status_code == patched.status_code == ended.status_code == 403
    assert "权限" in created.json()["detail"]
    assert not Member.objects.filter(mobile="13812345678").exists()
    member.refresh_from_db()
    assert (member.post, member.state) == ("研发总监", "active")


def test_the_role_is_checked_before_the_input():
    r = api_for("zhuzheng").post("/members", {"name": "x" * 500})
    assert r.status_code == 403


def test_office_of_another_committee_cannot_write_here(qiantang):
    member = _member(qiantang, "朱政")
    r = api_for("hz_office").patch(f"/members/{member.pk}", {"version": member.version, "post": "x"})
    assert r.status_code == 404
    assert api_for("hz_office").post(f"/members/{member.pk}/end", {"reason": "x"}).status_code == 404


# --------------------------------------------------------------------------- bad input


def _errors(response):
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_missing_fields_are_422_in_chinese(qiantang):
    r = api_for("office").post("/members", {"name": "林新"})
    assert r.status_code == 422
    body = r.json()
    assert body["detail"] == "输入有误,请检查后重试。"
    assert _errors(r) == {"mobile": "此项为必填项。", "sector": "此项为必填项。", "party": "此项为必填项。"}


def test_bad_input_is_422_in_english_too(qiantang):
    r = api_for("office", language="en").post("/members", {"name": "x" * 51, "mobile": "12", "sector": "a"})
    assert r.status_code == 422
    assert set(_errors(r)) == {"name", "mobile", "sector", "party"}
    assert api_for("office").post("/members", {"name": "x" * 51}).status_code == 422


def test_an_over_long_name_is_422(qiantang):
    before = Member.objects.count()
    r = api_for("office").post("/members", _new(qiantang, name="林" * 51))
    assert r.status_code == 422
    assert _errors(r) == {"name": "不能超过 50 个字符。"}
    assert Member.objects.count() == before


def test_a_sector_of_another_committee_is_422(qiantang, hangzhou):
    hz_sector = Sector.objects.filter(committee=hangzhou).first()
    r = api_for("office").post("/members", _new(qiantang, sector=hz_sector.pk))
    assert r.status_code == 422
    assert _errors(r) == {"sector": "所选项目不属于本委员会。"}
    assert not Member.objects.filter(mobile="13812345678").exists()


def test_a_special_committee_of_another_committee_is_422(qiantang, hangzhou):
    r = api_for("office").post("/members", _new(qiantang, special_committees=[987654]))
    assert r.status_code == 422
    assert _errors(r) == {"special_committees": "所选项目不属于本委员会。"}


def test_a_duplicate_mobile_is_422(qiantang):
    r = api_for("office").post("/members", _new(qiantang, mobile="13900000118"))
    assert r.status_code == 422
    assert _errors(r) == {"mobile": "手机号已被本委员会的其他委员使用。"}


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("mobile", "1234", "请输入 11 位手机号码。"),
        ("gender", "X", "请从给定的选项中选择:'M', 'F' or ''。"),
        ("birth_date", "yesterday", "请输入有效的日期(年-月-日)。"),
        ("sector", 2**70, "数值超出允许范围。"),
        ("name", "林\x00新", "不能包含控制字符。"),
        ("is_standing", "perhaps", "请输入 true 或 false。"),
        ("unknown", 1, "不认识的字段。"),
    ],
)
def test_wrong_values_are_422_with_a_message(qiantang, field, value, message):
    r = api_for("office").post("/members", _new(qiantang, **{field: value}))
    assert r.status_code == 422
    assert _errors(r) == {field: message}


def test_a_body_that_is_not_an_object_is_422():
    r = api_for("office").post("/members", [1, 2, 3])
    assert r.status_code == 422


def test_patch_refuses_null_for_a_required_field(qiantang):
    member = _member(qiantang, "朱政")
    r = api_for("office").patch(f"/members/{member.pk}", {"version": member.version, "sector": None})
    assert r.status_code == 422
    assert _errors(r) == {"sector": "此项不能为空。"}
    assert api_for("office").patch(f"/members/{member.pk}", {"post": "x"}).status_code == 422  # no version
    member.refresh_from_db()
    assert member.version == 1 and member.post == "研发总监"


@pytest.mark.parametrize("username", ["office", "zhuzheng"])
def test_the_list_takes_a_fixed_number_of_queries(django_assert_max_num_queries, username):
    client = api_for(username)
    with django_assert_max_num_queries(8):
        small = client.get("/members", {"limit": 5})
    with django_assert_max_num_queries(8):
        large = client.get("/members", {"limit": 200})
    assert len(small.json()["items"]) == 5 and len(large.json()["items"]) == 200


def test_the_list_answers_in_the_documented_shape_and_matches_the_detail(qiantang):
    """The list is built from plain values (not validated again by its schema): it must still fit
    MemberPageOut and say of each member what the detail says, for staff and members alike."""
    from lvzhi.org.api import MemberDirectoryOut, MemberFullOut, MemberPageOut

    xugang = _member(qiantang, "徐钢")
    xugang.special_committees.set(SpecialCommittee.objects.for_committee(qiantang)[:2])
    for username, schema in [("office", MemberFullOut), ("zhuzheng", MemberDirectoryOut)]:
        client = api_for(username)
        body = client.get("/members", {"q": "徐钢"}).json()
        MemberPageOut.model_validate(body)
        (listed,) = body["items"]
        assert set(listed) == set(schema.model_fields)
        assert listed == client.get(f"/members/{xugang.pk}").json()
    full = api_for("office").get("/members", {"q": "徐钢"}).json()["items"][0]
    assert [s["name"] for s in full["special_committees"]] == [
        s.name for s in xugang.special_committees.order_by("order", "id")
    ]
    assert len(full["special_committees"]) == 2 and full["term"]["id"] == xugang.term_id
