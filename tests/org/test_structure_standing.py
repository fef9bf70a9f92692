"""The standing committee page: list, add a member, remove a member; roles follow."""

import pytest

from lvzhi.core.models import Event
from lvzhi.core.roles import Role
from lvzhi.org.models import Member, Membership
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _member(qiantang, name_of_user: str) -> Member:
    return Member.objects.get(committee=qiantang, user__username=name_of_user)


def test_it_lists_the_standing_members(office_client, qiantang):
    html = office_client.get("/org/standing/").content.decode()
    table = html.split('data-testid="standing-list"', 1)[1]
    xugang = _member(qiantang, "xugang")
    assert xugang.name in table and "致公党" in table
    assert _member(qiantang, "zhuzheng").name not in table
    count = Member.objects.for_committee(qiantang).filter(is_standing=True, state="active").count()
    assert f"常委 {count} 人" in html


def test_it_adds_a_member_to_the_standing_committee(office_client, qiantang):
    zhuzheng = _member(qiantang, "zhuzheng")
    response = office_client.post("/org/standing/add/", {"member": zhuzheng.pk})
    assert response.status_code == 302
    zhuzheng.refresh_from_db()
    assert zhuzheng.is_standing and zhuzheng.version == 2
    assert Membership.objects.filter(user=zhuzheng.user, committee=qiantang, role=Role.STANDING).exists()
    event = Event.objects.get(action="member.updated", subject_id=zhuzheng.pk)
    assert event.data["changes"]["is_standing"] == ["False", "True"]
    assert zhuzheng.name in office_client.get("/org/standing/").content.decode().split("standing-list")[1]


def test_it_removes_a_member_from_the_standing_committee(office_client, qiantang):
    xugang = _member(qiantang, "xugang")
    response = office_client.post(f"/org/standing/{xugang.pk}/remove/")
    assert response.status_code == 302
    xugang.refresh_from_db()
    assert not xugang.is_standing
    assert not Membership.objects.filter(user=xugang.user, committee=qiantang, role=Role.STANDING).exists()
    assert Membership.objects.filter(user=xugang.user, committee=qiantang, role=Role.MEMBER).exists()


def test_it_refuses_a_member_already_standing_or_of_another_committee(office_client, qiantang, hangzhou):
    xugang = _member(qiantang, "xugang")
    response = office_client.post("/org/standing/add/", {"member": xugang.pk})
    assert response.status_code == 400 and "请选择本委员会的在任委员" in response.content.decode()
    hz_member = Member.objects.filter(committee=hangzhou).first()
    response = office_client.post("/org/standing/add/", {"member": hz_member.pk})
    assert response.status_code == 400
    hz_member.refresh_from_db()
    assert not hz_member.is_standing
    assert office_client.post(f"/org/standing/{hz_member.pk}/remove/").status_code == 404
    assert not Event.objects.filter(action="member.updated").exists()


def test_removing_a_non_standing_member_says_so(office_client, qiantang):
    zhuzheng = _member(qiantang, "zhuzheng")
    response = office_client.post(f"/org/standing/{zhuzheng.pk}/remove/", follow=True)
    assert "该委员不是常委" in response.content.decode()
    zhuzheng.refresh_from_db()
    assert zhuzheng.version == 1


@pytest.mark.parametrize("username", ["zhuzheng", "fgj", "jinzhiqiang"])
def test_it_refuses_writes_without_the_perm(username, qiantang):
    client = client_for(username)
    zhuzheng = _member(qiantang, "zhuzheng")
    xugang = _member(qiantang, "xugang")
    assert client.post("/org/standing/add/", {"member": zhuzheng.pk}).status_code == 403
    assert client.post(f"/org/standing/{xugang.pk}/remove/").status_code == 403
    xugang.refresh_from_db()
    zhuzheng.refresh_from_db()
    assert xugang.is_standing and not zhuzheng.is_standing
