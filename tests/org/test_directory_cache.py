"""The member directory and the members API are read from caches (lvzhi/core/caching.py): these are
the promises a user relies on: a change is seen on the very next request, nobody gets another's
CSRF token or messages, and staff's private fields never reach a member through a shared answer."""

import pytest
from django.contrib.messages import constants
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from lvzhi.core.caching import CSRF_PLACEHOLDER, _csrf_placeholder
from lvzhi.org import services
from lvzhi.org.models import Member
from tests.api.conftest import api_for
from tests.conftest import user

pytestmark = pytest.mark.django_db


def _login(username: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user(username))
    return client


def _directory(client, **query) -> str:
    response = client.get(reverse("org:directory"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_renamed_member_is_seen_on_the_next_request(qiantang):
    reader = _login("zhuzheng")
    assert "徐钢" in _directory(reader, q="徐")
    member = Member.objects.for_committee(qiantang).get(name="徐钢")
    services.member_update(member=member, by=user("office"), version=member.version, name="徐刚强")
    html = _directory(reader, q="徐")  # the same page as before
    assert "徐刚强" in html and "徐钢<" not in html


def test_a_renamed_sector_is_seen_on_the_next_request(qiantang):
    reader = _login("zhuzheng")
    sector = Member.objects.for_committee(qiantang).get(name="徐钢").sector
    assert sector.name in _directory(reader, q="徐钢")
    sector.name = "新的界别名称"
    sector.save()
    assert "新的界别名称" in _directory(reader, q="徐钢")


def test_an_ended_member_leaves_the_cached_directory(qiantang):
    reader = _login("zhuzheng")
    assert "徐钢" in _directory(reader, q="徐钢")
    member = Member.objects.for_committee(qiantang).get(name="徐钢")
    services.member_end(member=member, by=user("office"), reason="工作调动")
    assert "没有找到符合条件的委员" in _directory(reader, q="徐钢")


def test_two_members_share_the_page_but_each_gets_their_own_csrf_token(qiantang):
    first, second = _login("zhuzheng"), _login("xugang")
    _directory(first)
    html = _directory(second)
    placeholder = CSRF_PLACEHOLDER or _csrf_placeholder()
    assert placeholder not in html
    # the second member's forms on the cached page work: the language switch posts with the page's token
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = second.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    # and the first member's token is not the second's (a token from another browser is refused)
    other = _directory(first).split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    fresh = _login("xugang")
    refused = fresh.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": other})
    assert refused.status_code == 403


def test_a_message_for_the_user_is_shown_on_the_directory_and_only_to_them(qiantang):
    reader, other = _login("zhuzheng"), _login("xugang")
    _directory(other)  # the page is cached
    response = reader.get(reverse("org:directory"))
    request = response.wsgi_request
    from django.contrib.messages import add_message

    add_message(request, constants.SUCCESS, "已保存你的设置")
    request._messages.update(response)
    reader.cookies.update(response.cookies)
    assert "已保存你的设置" in _directory(reader)
    assert "已保存你的设置" not in _directory(other)
    assert "已保存你的设置" not in _directory(reader)  # shown once, as on any page


def test_each_language_has_its_own_page(qiantang):
    reader = _login("zhuzheng")
    assert "委员名录" in _directory(reader)
    reader.cookies["lvzhi_language"] = "en"
    html = _directory(reader)
    assert "委员名录" not in html and 'lang="en"' in html


def test_the_members_api_answer_changes_with_the_roster(qiantang):
    api = api_for("zhuzheng")
    before = api.get("/members", {"q": "徐"}).json()
    assert "徐钢" in [m["name"] for m in before["items"]]
    member = Member.objects.for_committee(qiantang).get(name="徐钢")
    services.member_update(member=member, by=user("office"), version=member.version, name="徐刚强")
    after = api.get("/members", {"q": "徐"}).json()  # the same call as before
    names = [m["name"] for m in after["items"]]
    assert "徐刚强" in names and "徐钢" not in names


def test_staff_private_fields_never_reach_a_member_through_the_cache(qiantang):
    staff = api_for("office").get("/members", {"limit": 5}).json()
    assert "mobile" in staff["items"][0]
    member = api_for("zhuzheng").get("/members", {"limit": 5}).json()
    assert [m["id"] for m in member["items"]] == [m["id"] for m in staff["items"]]
    assert all("mobile" not in m for m in member["items"])


def test_a_repeated_api_answer_is_the_same_without_the_database(qiantang, django_assert_num_queries):
    api = api_for("zhuzheng")
    first = api.get("/members", {"limit": 10}).json()
    caches["default"].get("nothing")  # the shared cache answers
    with django_assert_num_queries(0):
        again = api.get("/members", {"limit": 10}).json()
    assert again == first


def test_a_renamed_committee_is_seen_on_the_next_request(qiantang):
    reader = _login("zhuzheng")
    assert str(qiantang) in _directory(reader)
    qiantang.short_name = "钱塘新区政协"
    qiantang.save()
    assert "钱塘新区政协" in _directory(reader)
