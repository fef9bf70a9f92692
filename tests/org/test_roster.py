"""The staff roster pages: list with filters, detail, create, edit, end and reinstate."""

import pytest

from lvzhi.core.models import Event
from lvzhi.org.models import Member, Membership, Sector
from tests.conftest import client_for, user


def zhu(qiantang) -> Member:
    return Member.objects.for_committee(qiantang).get(name="朱政")


def form_data(member: Member, **overrides) -> dict:
    data = {
        "name": member.name,
        "gender": member.gender,
        "birth_date": member.birth_date.isoformat() if member.birth_date else "",
        "ethnicity": member.ethnicity,
        "mobile": member.mobile,
        "term": member.term_id,
        "sector": member.sector_id,
        "party": member.party_id,
        "employer": member.employer,
        "post": member.post,
        "special_committees": [sc.pk for sc in member.special_committees.all()],
        "sub_district": member.sub_district_id or "",
        "studio": member.studio_id or "",
        "version": member.version,
    }
    if member.is_standing:
        data["is_standing"] = "on"
    data.update(overrides)
    return data


# --- the list


def test_it_lists_the_active_members_with_their_private_fields(office_client, qiantang):
    response = office_client.get("/org/members/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "共 205 名委员" in html
    assert html.count("<tr>") == 51  # header + 50 a page
    # 朱政's row is on page 4 (科技界); search finds it with the mobile shown
    html = office_client.get("/org/members/", {"q": "13900000118"}).content.decode()
    assert "朱政" in html and "13900000118" in html and "共 1 名委员" in html


def test_filters_combine_and_stay_in_the_query_string(office_client, qiantang):
    sector = Sector.objects.for_committee(qiantang).get(name="致公党")
    response = office_client.get("/org/members/", {"sector": sector.pk, "standing": "1"})
    html = response.content.decode()
    expected = Member.objects.for_committee(qiantang).filter(sector=sector, is_standing=True, state="active")
    assert expected.count() >= 1
    assert f"共 {expected.count()} 名委员" in html
    assert "徐钢" in html
    assert f"export.xlsx?sector={sector.pk}&amp;standing=1" in html


def test_pages_keep_the_filters(office_client, qiantang):
    html = office_client.get("/org/members/", {"state": "active", "page": 2}).content.decode()
    assert "第 2 / 5 页" in html
    assert "?state=active&amp;page=3" in html


def test_the_state_filter_shows_ended_members(office_client, qiantang):
    member = zhu(qiantang)
    from lvzhi.org.services import member_end

    member_end(member=member, by=user("office"), reason="辞职")
    assert "没有符合条件的委员" in office_client.get("/org/members/", {"q": "朱政"}).content.decode()
    html = office_client.get("/org/members/", {"q": "朱政", "state": "ended"}).content.decode()
    assert f'href="/org/members/{member.pk}/">朱政</a>' in html and "共 1 名委员" in html


def test_an_invalid_filter_is_ignored_not_a_500(office_client):
    response = office_client.get("/org/members/", {"sector": "abc", "page": "x", "state": "nope"})
    assert response.status_code == 200
    assert "共 205 名委员" in response.content.decode()


def test_the_list_needs_a_bounded_number_of_queries(office_client, django_assert_max_num_queries):
    # session, user, committee, roles, count, four filter choice lists, one page: no query per row
    with django_assert_max_num_queries(15):
        response = office_client.get("/org/members/", {"q": "", "state": "all"})
    assert response.status_code == 200


@pytest.mark.parametrize("username", ["zhuzheng", "fgj"])
def test_it_refuses_members_and_unit_staff(db, username):
    client = client_for(username)
    for url in ["/org/members/", "/org/members/new/", "/org/members/export.xlsx", "/org/members/import/"]:
        assert client.get(url).status_code == 403, url


def test_a_leader_sees_the_roster_but_cannot_edit(qiantang):
    client = client_for("jinzhiqiang")
    html = client.get("/org/members/").content.decode()
    assert "共 205 名委员" in html and "新增委员" not in html
    assert client.get(f"/org/members/{zhu(qiantang).pk}/edit/").status_code == 403


def test_another_committee_sees_only_its_own_members(qiantang, hangzhou):
    client = client_for("hz_office")
    html = client.get("/org/members/").content.decode()
    assert "共 12 名委员" in html and "朱政" not in html and "茅徐程" in html
    assert client.get(f"/org/members/{zhu(qiantang).pk}/").status_code == 404
    assert client.get(f"/org/members/{zhu(qiantang).pk}/edit/").status_code == 404
    assert client.post(f"/org/members/{zhu(qiantang).pk}/end/", {"reason": "x"}).status_code == 404
    assert zhu(qiantang).state == "active"


# --- detail


def test_the_detail_page_shows_profile_roles_and_timeline(office_client, qiantang):
    member = Member.objects.for_committee(qiantang).get(name="徐钢")
    html = office_client.get(f"/org/members/{member.pk}/").content.decode()
    assert "钱塘区农业发展服务中心" in html and member.mobile in html
    assert "常委" in html and "委员" in html  # roles
    assert 'data-testid="timeline"' in html
    assert "终止委员资格" in html


# --- create


def test_it_creates_a_member_with_an_account_role_and_event(office_client, qiantang):
    base = zhu(qiantang)
    data = form_data(base, name="新委员", mobile="13812345678", version="")
    response = office_client.post("/org/members/new/", data)
    member = Member.objects.for_committee(qiantang).get(mobile="13812345678")
    assert response.status_code == 302 and response["Location"] == f"/org/members/{member.pk}/"
    assert member.user.mobile == "13812345678"
    assert Membership.objects.filter(user=member.user, committee=qiantang, role="member").exists()
    assert set(member.special_committees.all()) == set(base.special_committees.all())
    assert Event.objects.filter(action="member.created", subject_id=member.pk, actor=user("office")).exists()


def test_it_refuses_a_duplicate_mobile(office_client, qiantang):
    data = form_data(zhu(qiantang), name="重复", mobile="13900000001")
    response = office_client.post("/org/members/new/", data)
    assert response.status_code == 200
    assert "手机号已被本委员会的其他委员使用" in response.content.decode()
    assert not Member.objects.filter(name="重复").exists()


def test_it_refuses_an_invalid_mobile_and_a_missing_name(office_client, qiantang):
    data = form_data(zhu(qiantang), name="", mobile="2390000")
    html = office_client.post("/org/members/new/", data).content.decode()
    assert "手机号应为以 1 开头的 11 位数字" in html
    assert "这个字段是必填项" in html
    assert not Member.objects.filter(mobile="2390000").exists()


def test_it_refuses_a_sector_of_another_committee(office_client, qiantang, hangzhou):
    foreign = Sector.objects.for_committee(hangzhou).first()
    data = form_data(zhu(qiantang), name="外来", mobile="13812345679", sector=foreign.pk)
    response = office_client.post("/org/members/new/", data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Member.objects.filter(mobile="13812345679").exists()


def test_it_refuses_an_over_long_name(office_client, qiantang):
    data = form_data(zhu(qiantang), name="长" * 51, mobile="13812345670")
    html = office_client.post("/org/members/new/", data).content.decode()
    assert "50" in html and not Member.objects.filter(mobile="13812345670").exists()


# --- edit


def test_it_edits_a_member_and_records_the_change(office_client, qiantang):
    member = zhu(qiantang)
    response = office_client.post(f"/org/members/{member.pk}/edit/", form_data(member, post="首席科学家"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.post == "首席科学家" and member.version == 2
    event = Event.objects.get(action="member.updated", subject_id=member.pk)
    assert event.data["changes"]["post"] == ["研发总监", "首席科学家"]


def test_the_edit_form_carries_the_version(office_client, qiantang):
    member = zhu(qiantang)
    html = office_client.get(f"/org/members/{member.pk}/edit/").content.decode()
    assert 'type="hidden" name="version" value="1"' in html


def test_a_stale_version_is_refused_and_nothing_is_saved(office_client, qiantang):
    member = zhu(qiantang)
    response = office_client.post(
        f"/org/members/{member.pk}/edit/", form_data(member, post="过期的修改", version=0), follow=True
    )
    assert "该委员的信息已被他人修改" in response.content.decode()
    member.refresh_from_db()
    assert member.post == "研发总监" and member.version == 1


def test_the_edit_refuses_a_studio_of_another_committee_by_pk(office_client, qiantang, hangzhou):
    from lvzhi.org.models import Studio, SubDistrict

    sd = SubDistrict.objects.create(committee=hangzhou, name="杭州某街道")
    foreign = Studio.objects.create(committee=hangzhou, name="杭州工作室", sub_district=sd)
    member = zhu(qiantang)
    html = office_client.post(f"/org/members/{member.pk}/edit/", form_data(member, studio=foreign.pk)).content
    assert "选择一个有效的选项" in html.decode()
    member.refresh_from_db()
    assert member.studio_id != foreign.pk and member.version == 1


# --- end and reinstate


def test_it_ends_and_reinstates_a_membership_with_a_reason(office_client, qiantang):
    member = zhu(qiantang)
    response = office_client.post(f"/org/members/{member.pk}/end/", {"reason": "工作调动"}, follow=True)
    assert "已终止 朱政 的委员资格" in response.content.decode()
    member.refresh_from_db()
    assert member.state == "ended" and member.ended_reason == "工作调动"
    assert not Membership.objects.filter(user=member.user, committee=qiantang, role="member").exists()
    response = office_client.post(f"/org/members/{member.pk}/reinstate/", {"reason": "误操作"}, follow=True)
    assert "已恢复 朱政 的委员资格" in response.content.decode()
    member.refresh_from_db()
    assert member.state == "active"
    assert Membership.objects.filter(user=member.user, committee=qiantang, role="member").exists()
    assert list(
        Event.objects.filter(subject_id=member.pk, action__startswith="member.").values_list("action", flat=True)
    ) == ["member.end", "member.reinstate"]


def test_ending_needs_a_reason(office_client, qiantang):
    member = zhu(qiantang)
    response = office_client.post(f"/org/members/{member.pk}/end/", {"reason": "   "}, follow=True)
    assert "请填写理由" in response.content.decode()
    member.refresh_from_db()
    assert member.state == "active"


def test_ending_needs_post_and_the_right_role(qiantang):
    member = zhu(qiantang)
    assert client_for("office").get(f"/org/members/{member.pk}/end/").status_code == 405
    assert client_for("jinzhiqiang").post(f"/org/members/{member.pk}/end/", {"reason": "x"}).status_code == 403
    assert client_for("zhuzheng").post(f"/org/members/{member.pk}/end/", {"reason": "x"}).status_code == 403
    member.refresh_from_db()
    assert member.state == "active"


def test_the_service_refuses_a_missing_sector_and_a_foreign_one(qiantang, hangzhou):
    from django.core.exceptions import ValidationError

    from lvzhi.org.services import member_create

    base = zhu(qiantang)
    values = dict(name="服务层", mobile="13812345671", party=base.party, term=base.term)
    with pytest.raises(ValidationError, match="必填"):
        member_create(committee=qiantang, by=user("office"), **values)
    with pytest.raises(ValidationError, match="不属于本委员会"):
        member_create(
            committee=qiantang, by=user("office"), sector=Sector.objects.for_committee(hangzhou).first(), **values
        )
    assert not Member.objects.filter(mobile="13812345671").exists()
