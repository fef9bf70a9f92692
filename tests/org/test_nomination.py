"""Nomination (委员推荐提名): the seven steps of the seed, rejection, refusals, the member created at the end."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from lvzhi.core.models import Event
from lvzhi.org.models import Member, Membership, Nomination, Party, Sector, Term
from lvzhi.org.services_lifecycle import nomination_advance, nomination_create
from lvzhi.org.workflow import NOMINATION_STEPS
from tests.conftest import client_for, user

STEP_ACTIONS = ["consult", "inspect", "review", "evaluate", "approve", "confirm"]


def _values(committee, **extra):
    values = {
        "name": "林晓岚",
        "gender": "F",
        "mobile": "13812345678",
        "term": Term.objects.for_committee(committee).first(),
        "sector": Sector.objects.for_committee(committee).get(name="科技界"),
        "party": Party.objects.for_committee(committee).get(name="九三学社"),
        "employer": "钱塘区某研究院",
        "post": "高级工程师",
        "recommended_by": "九三学社钱塘区基层委员会",
        "note": "",
    }
    values.update(extra)
    return values


def _post_values(committee, **extra):
    v = _values(committee, **extra)
    return {k: (getattr(v[k], "pk", v[k])) for k in v}


def _events(nomination):
    return Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(Nomination), subject_id=nomination.pk
    ).order_by("id")


@pytest.fixture
def nomination(qiantang):
    return nomination_create(committee=qiantang, by=user("office"), **_values(qiantang))


def test_the_full_path_creates_the_member_and_seven_events(qiantang, office_client, nomination):
    for action in STEP_ACTIONS:
        response = office_client.post(
            reverse("org:nomination_act", args=[nomination.pk]), {"action": action, "reason": f"{action} 意见"}
        )
        assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == "confirmed"
    member = nomination.member
    assert member is not None and member.committee == qiantang
    assert (member.name, member.mobile, member.gender) == ("林晓岚", "13812345678", "F")
    assert member.sector.name == "科技界" and member.party.name == "九三学社"
    assert member.employer == "钱塘区某研究院" and member.post == "高级工程师"
    assert member.state == "active"
    assert Membership.objects.filter(user=member.user, committee=qiantang, role="member").exists()
    events = list(_events(nomination))
    assert len(events) == 7
    assert [e.to_state for e in events] == NOMINATION_STEPS
    assert events[1].reason == "consult 意见"
    assert all(e.actor.username == "office" for e in events)
    page = office_client.get(reverse("org:nomination", args=[nomination.pk])).content.decode()
    assert "全体会议审议通过" in page and 'data-testid="transitions"' not in page
    assert reverse("org:member", args=[member.pk]) in page


def test_the_detail_page_shows_the_seven_steps_and_the_current_one(office_client, nomination):
    nomination_advance(nomination=nomination, action="consult", by=user("office"))
    page = office_client.get(reverse("org:nomination", args=[nomination.pk])).content.decode()
    for label in ["界别推荐", "民主协商", "组织考察", "部门联审", "综合评价", "常委会研究同意", "全体会议审议通过"]:
        assert label in page
    assert page.count('class="step done"') == 2
    assert page.count('aria-current="step"') == 1
    assert 'class="step current" aria-current="step">\n    <span class="num">3</span>' in page
    assert "完成组织考察" in page and "不予通过" in page  # the buttons of the transitions available


def test_rejection_requires_a_reason_and_stops_the_path(office_client, nomination):
    url = reverse("org:nomination_act", args=[nomination.pk])
    response = office_client.post(url, {"action": "reject", "reason": "  "}, follow=True)
    assert "需要填写理由" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.state == "recommended"
    assert _events(nomination).count() == 1

    office_client.post(url, {"action": "reject", "reason": "考察中发现不符合条件"})
    nomination.refresh_from_db()
    assert nomination.state == "rejected" and nomination.member is None
    last = _events(nomination).last()
    assert (last.action, last.from_state, last.reason) == ("nomination.reject", "recommended", "考察中发现不符合条件")
    page = office_client.get(reverse("org:nomination", args=[nomination.pk])).content.decode()
    assert 'class="step rejected"' in page and "考察中发现不符合条件" in page
    response = office_client.post(url, {"action": "consult"}, follow=True)
    assert "不能执行此操作" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.state == "rejected"


def test_it_refuses_a_step_out_of_order(office_client, nomination):
    response = office_client.post(
        reverse("org:nomination_act", args=[nomination.pk]), {"action": "confirm"}, follow=True
    )
    assert "不能执行此操作" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.state == "recommended" and nomination.member is None
    assert _events(nomination).count() == 1


def test_it_refuses_the_last_step_when_the_mobile_is_taken_and_changes_nothing(qiantang, office_client, nomination):
    for action in STEP_ACTIONS[:-1]:
        nomination_advance(nomination=nomination, action=action, by=user("office"))
    # Meanwhile the number was given to an existing member through the roster.
    Member.objects.filter(committee=qiantang, name="朱政").update(mobile="13812345678")
    members_before = Member.objects.count()
    events_before = Event.objects.count()
    response = office_client.post(
        reverse("org:nomination_act", args=[nomination.pk]), {"action": "confirm"}, follow=True
    )
    assert "13812345678" in response.content.decode() and "朱政" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.state == "approved" and nomination.member is None
    assert Member.objects.count() == members_before
    assert Event.objects.count() == events_before


def test_create_page_makes_a_nomination_with_an_event(qiantang, office_client):
    response = office_client.post(reverse("org:nomination_new"), _post_values(qiantang))
    nomination = Nomination.objects.get(committee=qiantang, mobile="13812345678")
    assert response.status_code == 302 and response.url == reverse("org:nomination", args=[nomination.pk])
    assert nomination.state == "recommended"
    assert list(_events(nomination).values_list("action", flat=True)) == ["nomination.created"]


def test_create_refuses_bad_input(qiantang, hangzhou, office_client):
    other_sector = Sector.objects.for_committee(hangzhou).first()
    cases = [
        _post_values(qiantang, name=""),
        _post_values(qiantang, mobile="12345"),
        _post_values(qiantang, mobile="13900000118"),  # zhuzheng's number
        {**_post_values(qiantang), "sector": other_sector.pk},
    ]
    for data in cases:
        response = office_client.post(reverse("org:nomination_new"), data)
        assert response.status_code == 200
        assert 'class="errorlist' in response.content.decode()
    assert "朱政" in office_client.post(reverse("org:nomination_new"), cases[2]).content.decode()
    assert not Nomination.objects.exists()


def test_list_filters_by_step_and_counts(qiantang, office_client, nomination):
    second = nomination_create(
        committee=qiantang, by=user("office"), **_values(qiantang, name="郑一鸣", mobile="13812340000")
    )
    nomination_advance(nomination=second, action="consult", by=user("office"))
    page = office_client.get(reverse("org:nominations")).content.decode()
    assert "林晓岚" in page and "郑一鸣" in page
    page = office_client.get(reverse("org:nominations"), {"state": "consulted"}).content.decode()
    assert "郑一鸣" in page and "林晓岚" not in page
    assert "<span>民主协商</span><strong>1</strong>" in page


def test_list_query_count_does_not_grow(qiantang, office_client, django_assert_max_num_queries):
    for i in range(5):
        nomination_create(
            committee=qiantang, by=user("office"), **_values(qiantang, name=f"候选{i}", mobile=f"1381234000{i}")
        )
    with django_assert_max_num_queries(12):
        office_client.get(reverse("org:nominations"))


@pytest.mark.parametrize("username", ["zhuzheng", "fgj", "tiwei"])
def test_it_refuses_a_member_a_unit_and_other_staff(username, nomination):
    client = client_for(username)
    assert client.get(reverse("org:nominations")).status_code == 403
    assert client.get(reverse("org:nomination", args=[nomination.pk])).status_code == 403
    assert client.post(reverse("org:nomination_act", args=[nomination.pk]), {"action": "consult"}).status_code == 403
    nomination.refresh_from_db()
    assert nomination.state == "recommended"


def test_another_committee_gets_404(nomination):
    client = client_for("hz_office")
    assert client.get(reverse("org:nomination", args=[nomination.pk])).status_code == 404
    assert client.post(reverse("org:nomination_act", args=[nomination.pk]), {"action": "consult"}).status_code == 404
    nomination.refresh_from_db()
    assert nomination.state == "recommended"
