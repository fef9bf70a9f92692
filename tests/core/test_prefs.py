"""Cross-cutting preferences: large type (适老化, a cookie, class "large" on <html>) and the language
switch (Django's set_language, cookie lvzhi_language, Chinese by default)."""

import pytest
from django.conf import settings
from django.urls import reverse

from lvzhi.core.context_processors import LARGE_TYPE_COOKIE

pytestmark = pytest.mark.django_db

PAGES = ["/", "/org/me/", "/org/directory/", "/inbox/", "/tab/unit/", "/proposals/", "/meetings/"]


def _html_tag(html: str) -> str:
    start = html.index("<html")
    return html[start : html.index(">", start) + 1]


def test_pages_are_in_normal_type_by_default(member_client):
    html = member_client.get("/").content.decode()
    assert 'class="large"' not in _html_tag(html)
    assert 'data-testid="large-on"' in html


def test_switching_large_type_on_sets_the_cookie_and_every_page_grows(member_client):
    response = member_client.post(reverse("core:large_type"), {"on": "1", "next": "/org/me/"})
    assert response.status_code == 302 and response["Location"] == "/org/me/"
    cookie = response.cookies[LARGE_TYPE_COOKIE]
    assert cookie.value == "1" and cookie["max-age"] >= 300 * 24 * 3600
    for page in PAGES:
        html = member_client.get(page).content.decode()
        assert _html_tag(html).endswith('class="large">'), page
    me = member_client.get("/org/me/").content.decode()
    assert 'aria-checked="true"' in me
    assert 'data-testid="large-off"' in me


def test_switching_large_type_off_again(member_client):
    member_client.post(reverse("core:large_type"), {"on": "1"})
    member_client.post(reverse("core:large_type"), {"on": "0"})
    assert member_client.cookies[LARGE_TYPE_COOKIE].value == "0"
    assert 'class="large"' not in _html_tag(member_client.get("/").content.decode())


def test_large_type_does_not_follow_a_link_to_another_site(member_client):
    response = member_client.post(reverse("core:large_type"), {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_large_type_works_on_the_login_page_too(client):
    client.post(reverse("core:large_type"), {"on": "1"})
    html = client.get(reverse("accounts:login")).content.decode()
    assert _html_tag(html).endswith('class="large">')


def test_pages_speak_chinese_by_default(member_client):
    html = member_client.get("/").content.decode()
    assert '<html lang="zh-CN"' in html
    assert "我的资料" in html and "委员名录" in html


def test_after_switching_to_english_the_pages_speak_english(member_client):
    response = member_client.post(reverse("set_language"), {"language": "en", "next": "/org/me/"})
    assert response.status_code == 302
    assert member_client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert settings.LANGUAGE_COOKIE_NAME == "lvzhi_language"

    home = member_client.get("/").content.decode()
    assert '<html lang="en"' in home
    for english in ["Directory", "Messages", "My profile", "Home", "Proposals", "Meetings"]:
        assert english in home, english
    assert "委员名录" not in home and "我的资料" not in home

    me = member_client.get("/org/me/").content.decode()
    for english in ["Sector", "Large type", "Change password", "Log out"]:
        assert english in me, english
    assert "修改密码" not in me and "退出登录" not in me

    directory = member_client.get("/org/directory/").content.decode()
    assert "205 members" in directory and "Search" in directory
    assert "共 205 位委员" not in directory

    tab = member_client.get("/tab/unit/").content.decode()
    assert "Under construction" in tab and "正在建设中" not in tab


def test_switching_back_to_chinese(member_client):
    member_client.post(reverse("set_language"), {"language": "en"})
    member_client.post(reverse("set_language"), {"language": "zh-hans"})
    html = member_client.get("/").content.decode()
    assert "委员名录" in html and "Directory" not in html


def test_an_unknown_language_changes_nothing(member_client):
    member_client.post(reverse("set_language"), {"language": "xx"})
    assert settings.LANGUAGE_COOKIE_NAME not in member_client.cookies
    assert "委员名录" in member_client.get("/").content.decode()
