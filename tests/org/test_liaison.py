"""Liaison (谈心谈话、走访看望): record, validate, list with filters, edit by recorder or office, tenancy."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.models import Event
from lvzhi.org.models import Liaison, Member
from lvzhi.org.services_lifecycle import liaison_create
from tests.conftest import client_for, user


def _member(committee, name="朱政"):
    return Member.objects.for_committee(committee).get(name=name)


def _events(liaison):
    return Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(Liaison), subject_id=liaison.pk
    ).order_by("id")


def _post(who, **extra):
    data = {
        "member": who.pk,
        "kind": "talk",
        "date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "participants": "王晓燕、金志强",
        "raised": "希望多组织委员赴企业一线调研",
        "answer": "已列入下季度活动计划",
    }
    data.update(extra)
    return data


def _make(committee, by="office", name="朱政", **extra):
    values = {
        "member": _member(committee, name),
        "kind": "visit",
        "date": dt.date(2024, 5, 10),
        "participants": "",
        "raised": "反映企业用工难",
        "answer": "",
    }
    values.update(extra)
    return liaison_create(committee=committee, by=user(by), **values)


def test_staff_records_a_talk_with_an_event(qiantang, office_client):
    member = _member(qiantang)
    response = office_client.post(reverse("org:liaison_new"), _post(member))
    liaison = Liaison.objects.get(member=member)
    assert response.status_code == 302 and response.url == reverse("org:liaison", args=[liaison.pk])
    assert liaison.kind == "talk" and liaison.staff.username == "office" and liaison.committee == qiantang
    assert liaison.raised == "希望多组织委员赴企业一线调研"
    event = _events(liaison).get()
    assert event.action == "liaison.recorded" and event.actor.username == "office"
    assert event.data["member_id"] == member.pk
    page = office_client.get(reverse("org:liaison", args=[liaison.pk])).content.decode()
    assert "希望多组织委员赴企业一线调研" in page and "已列入下季度活动计划" in page and "登记联系委员记录" in page


@pytest.mark.parametrize(
    "bad",
    [
        {"raised": "   "},
        {"date": (timezone.localdate() + dt.timedelta(days=1)).isoformat()},
        {"date": "2024-13-40"},
        {"kind": "phone"},
        {"member": ""},
        {"member": "999999"},
    ],
)
def test_it_refuses_bad_input_and_records_nothing(qiantang, office_client, bad):
    response = office_client.post(reverse("org:liaison_new"), _post(_member(qiantang), **bad))
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Liaison.objects.exists()
    assert not Event.objects.filter(action="liaison.recorded").exists()


def test_a_future_date_is_refused_with_a_clear_message(qiantang, office_client):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = office_client.post(reverse("org:liaison_new"), _post(_member(qiantang), date=tomorrow))
    assert "日期不能晚于今天" in response.content.decode()


def test_a_member_of_another_committee_cannot_be_chosen(qiantang, hangzhou, office_client):
    other = Member.objects.for_committee(hangzhou).first()
    response = office_client.post(reverse("org:liaison_new"), _post(other))
    assert response.status_code == 200 and not Liaison.objects.exists()
    assert other.name not in office_client.get(reverse("org:liaison_new")).content.decode()


def test_list_filters_by_member_kind_and_dates(qiantang, office_client):
    _make(qiantang, name="朱政", kind="talk", date=dt.date(2024, 3, 1), raised="朱政谈话意见")
    _make(qiantang, name="徐钢", kind="visit", date=dt.date(2024, 6, 1), raised="徐钢走访意见")
    _make(qiantang, name="茅徐程", kind="visit", date=dt.date(2024, 9, 1), raised="茅徐程走访意见")
    url = reverse("org:liaisons")

    def shown(**params):
        page = office_client.get(url, params).content.decode()
        return {n for n in ["朱政谈话意见", "徐钢走访意见", "茅徐程走访意见"] if n in page}

    assert shown() == {"朱政谈话意见", "徐钢走访意见", "茅徐程走访意见"}
    assert shown(member=_member(qiantang, "徐钢").pk) == {"徐钢走访意见"}
    assert shown(kind="visit") == {"徐钢走访意见", "茅徐程走访意见"}
    assert shown(date_from="2024-05-01", date_to="2024-08-31") == {"徐钢走访意见"}
    assert shown(kind="talk", date_from="2024-05-01") == set()


def test_list_query_count_does_not_grow(qiantang, office_client, django_assert_max_num_queries):
    for i in range(8):
        _make(qiantang, raised=f"意见{i}")
    with django_assert_max_num_queries(12):
        response = office_client.get(reverse("org:liaisons"))
    assert "意见7" in response.content.decode()


def test_the_recorder_and_the_office_may_edit_others_may_not(qiantang):
    liaison = _make(qiantang, by="huiwu", raised="原始意见")
    url = reverse("org:liaison_edit", args=[liaison.pk])
    data = _post(liaison.member, raised="修改后的意见", kind="visit")
    assert client_for("huiwu").post(url, data).status_code == 302
    liaison.refresh_from_db()
    assert liaison.raised == "修改后的意见" and liaison.kind == "visit"
    assert liaison.staff.username == "huiwu"  # the recorder stays the recorder
    event = _events(liaison).last()
    assert event.action == "liaison.updated" and event.data["changes"]["raised"] == ["原始意见", "修改后的意见"]

    assert client_for("office").post(url, _post(liaison.member, raised="办公室修改")).status_code == 302
    liaison.refresh_from_db()
    assert liaison.raised == "办公室修改"

    # another staff member who did not record it: refused, nothing changes
    assert client_for("tiwei").get(url).status_code == 403
    assert client_for("tiwei").post(url, _post(liaison.member, raised="越权修改")).status_code == 403
    liaison.refresh_from_db()
    assert liaison.raised == "办公室修改"
    assert _events(liaison).count() == 3


def test_an_edit_with_bad_input_changes_nothing(qiantang, office_client):
    liaison = _make(qiantang, raised="原始意见")
    response = office_client.post(reverse("org:liaison_edit", args=[liaison.pk]), _post(liaison.member, raised=""))
    assert response.status_code == 200
    liaison.refresh_from_db()
    assert liaison.raised == "原始意见" and _events(liaison).count() == 1


def test_leaders_may_read_but_not_record(qiantang):
    liaison = _make(qiantang)
    leader = client_for("jinzhiqiang")
    assert leader.get(reverse("org:liaisons")).status_code == 200
    assert leader.get(reverse("org:liaison", args=[liaison.pk])).status_code == 200
    assert leader.get(reverse("org:liaison_new")).status_code == 403
    assert leader.post(reverse("org:liaison_new"), _post(_member(qiantang))).status_code == 403
    assert Liaison.objects.count() == 1


@pytest.mark.parametrize("username", ["zhuzheng", "fgj"])
def test_it_refuses_members_and_units(qiantang, username):
    liaison = _make(qiantang)
    client = client_for(username)
    assert client.get(reverse("org:liaisons")).status_code == 403
    assert client.get(reverse("org:liaison", args=[liaison.pk])).status_code == 403
    assert client.post(reverse("org:liaison_new"), _post(_member(qiantang))).status_code == 403


def test_another_committee_gets_404(qiantang):
    liaison = _make(qiantang)
    client = client_for("hz_office")
    assert client.get(reverse("org:liaison", args=[liaison.pk])).status_code == 404
    assert client.get(reverse("org:liaison_edit", args=[liaison.pk])).status_code == 404
    assert client.post(reverse("org:liaison_edit", args=[liaison.pk]), _post(liaison.member)).status_code == 404
    assert "反映企业用工难" not in client.get(reverse("org:liaisons")).content.decode()
    liaison.refresh_from_db()
    assert liaison.raised == "反映企业用工难"
