"""The home page (首页) and the bottom-bar tabs: what each role lands on and what it can do now."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.models import Notification
from tests.conftest import client_for, user

pytestmark = pytest.mark.django_db


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def _read_everything(username):
    """The demo's proposals sent real messages; these tests want an inbox they control."""
    Notification.objects.filter(user=user(username)).update(read_at=timezone.now())


def test_it_greets_a_member_with_the_committee_and_big_tiles(member_client):
    _read_everything("zhuzheng")
    response = member_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "朱政,您好" in html
    assert "杭州市钱塘区政协" in html
    assert "一届委员 · 科技界" in html
    for key in ["proposals", "meetings", "duties", "directory", "inbox", "me"]:
        assert f'data-testid="tile-{key}"' in html
    # the bottom tab bar with its five tabs, 首页 marked as current
    assert 'class="tabbar"' in html
    for label in ["首页", "提案", "会议", "履职", "我的"]:
        assert f"{label}</a>" in html
    assert 'class="on" aria-current="page"><span class="ico" aria-hidden="true">⌂' in html
    assert 'data-testid="unread"' not in html


def test_it_shows_the_count_of_unread_messages(member_client, qiantang):
    _read_everything("zhuzheng")
    me = user("zhuzheng")
    Notification.objects.create(committee=qiantang, user=me, title="提案已立案")
    Notification.objects.create(committee=qiantang, user=me, title="会议通知")
    Notification.objects.create(committee=qiantang, user=me, title="旧消息", read_at="2021-07-19T10:00:00+08:00")
    html = member_client.get("/").content.decode()
    assert re.search(r'data-testid="unread"[^>]*>2</b>', html)
    assert "您有 2 条未读消息" in html


def test_it_marks_a_standing_member(qiantang):
    html = client_for("xugang").get("/").content.decode()
    assert "徐钢,您好" in html
    assert "常委" in html


def test_it_sends_staff_only_users_to_their_desk():
    response = client_for("tiwei").get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("org:dashboard")


def test_a_leader_lands_on_a_page_of_what_they_can_do_now():
    response = client_for("jinzhiqiang").get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "金志强,您好" in html
    assert 'data-testid="tile-desk"' in html
    assert 'data-testid="tile-directory"' in html
    assert 'data-testid="tile-proposals"' not in html  # not a member: no member tabs
    assert "领导" in html


def test_unit_staff_land_on_a_page_of_what_they_can_do_now():
    response = client_for("fgj").get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="tile-unit"' in html
    assert 'data-testid="tile-inbox"' in html
    assert 'data-testid="tile-directory"' not in html
    assert 'data-testid="tile-desk"' not in html
    assert "承办单位" in html


def test_a_user_without_any_committee_is_told_so(django_user_model):
    lonely = django_user_model.objects.create_user("lonely", password="x-Very-long-1")
    client = client_for("lonely")
    response = client.get("/")
    assert response.status_code == 403
    assert "您还没有加入任何委员会" in response.content.decode()
    lonely.delete()


@pytest.mark.parametrize("name,app", [("proposals", "proposals"), ("meetings", "meetings"), ("duties", "evaluation")])
def test_a_tab_that_has_landed_leads_to_its_page(member_client, name, app):
    response = member_client.get(reverse("core:tab", args=[name]))
    assert response.status_code == 302 and response.url == reverse(f"{app}:member_home")


@pytest.mark.parametrize("name,heading", [("unit", "承办提案")])
def test_a_tab_that_has_not_landed_says_so_honestly(member_client, name, heading):
    response = member_client.get(reverse("core:tab", args=[name]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "正在建设中" in html
    assert f"「{heading}」功能正在建设中" in html


def test_an_unknown_tab_is_not_found(member_client):
    assert member_client.get("/tab/nothing/").status_code == 404


def test_a_tab_needs_a_log_in(client):
    response = client.get(reverse("core:tab", args=["proposals"]))
    assert response.status_code == 302
