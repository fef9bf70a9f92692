"""Committee switching: a user in several committees acts in one at a time, and every page then shows
only that committee's data. A committee the user does not belong to is ignored."""

import pytest
from django.urls import reverse

from lvzhi.core.middleware import SESSION_KEY
from lvzhi.core.models import Notification
from lvzhi.org.models import Committee, Member
from tests.conftest import client_for, user

pytestmark = pytest.mark.django_db


def _switch(client, committee):
    return client.post(reverse("core:switch_committee"), {"committee": committee.pk})


def test_a_member_of_two_committees_switches_between_them(qiantang, hangzhou):
    client = client_for("maoxucheng")
    response = _switch(client, qiantang)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert client.session[SESSION_KEY] == qiantang.pk
    home = client.get("/").content.decode()
    assert 'data-testid="home-committee">杭州市钱塘区政协<' in home
    assert "已切换到钱塘区政协" in home

    _switch(client, hangzhou)
    assert client.session[SESSION_KEY] == hangzhou.pk
    home = client.get("/").content.decode()
    assert 'data-testid="home-committee">杭州市政协<' in home
    assert "十二届委员 · 文化艺术界" in home


def test_after_switching_the_directory_lists_only_that_committees_members(qiantang, hangzhou):
    client = client_for("maoxucheng")
    _switch(client, hangzhou)
    html = client.get(reverse("org:directory")).content.decode()
    hz_count = Member.objects.for_committee(hangzhou).filter(state="active").count()
    assert f"共 {hz_count} 位委员" in html
    for name in Member.objects.for_committee(hangzhou).values_list("name", flat=True):
        assert name in html
    assert "朱政" not in html and "徐钢" not in html  # Qiantang members
    assert "科技界" not in html  # nor Qiantang's sectors among the choices

    _switch(client, qiantang)
    html = client.get(reverse("org:directory"), {"q": "朱政"}).content.decode()
    assert "朱政" in html and "共 1 位委员" in html


def test_after_switching_my_profile_is_that_committees(qiantang, hangzhou):
    client = client_for("maoxucheng")
    _switch(client, hangzhou)
    html = client.get(reverse("org:me")).content.decode()
    assert "文化艺术界" in html and "十二届" in html
    assert "文化和新闻出版界" not in html
    _switch(client, qiantang)
    html = client.get(reverse("org:me")).content.decode()
    assert "文化和新闻出版界" in html and "十二届" not in html


def test_after_switching_the_inbox_shows_only_that_committees_messages(qiantang, hangzhou):
    mao = user("maoxucheng")
    Notification.objects.create(committee=qiantang, user=mao, title="钱塘:一届二次会议报到")
    Notification.objects.create(committee=hangzhou, user=mao, title="杭州:十二届一次会议通知")
    client = client_for("maoxucheng")
    _switch(client, qiantang)
    html = client.get(reverse("core:inbox")).content.decode()
    assert "钱塘:一届二次会议报到" in html and "杭州:十二届一次会议通知" not in html
    _switch(client, hangzhou)
    html = client.get(reverse("core:inbox")).content.decode()
    assert "杭州:十二届一次会议通知" in html and "钱塘:一届二次会议报到" not in html


def test_a_committee_the_user_does_not_belong_to_is_ignored(qiantang):
    client = client_for("zhuzheng")
    client.get("/")
    province = Committee.objects.get(name="浙江省政协")
    response = client.post(reverse("core:switch_committee"), {"committee": province.pk}, follow=True)
    assert client.session[SESSION_KEY] == qiantang.pk
    html = response.content.decode()
    assert "您不在该委员会任职,未切换" in html
    assert 'data-testid="home-committee">杭州市钱塘区政协<' in html


def test_a_committee_id_that_is_not_a_number_is_ignored(qiantang):
    client = client_for("maoxucheng")
    _switch(client, qiantang)
    for bad in ["abc", "", "99999999", "1 OR 1=1"]:
        response = client.post(reverse("core:switch_committee"), {"committee": bad})
        assert response.status_code == 302
        assert client.session[SESSION_KEY] == qiantang.pk


def test_a_forged_session_committee_falls_back_to_one_the_user_belongs_to(qiantang, hangzhou):
    client = client_for("zhuzheng")
    session = client.session
    session[SESSION_KEY] = hangzhou.pk  # zhuzheng holds no role in Hangzhou
    session.save()
    html = client.get(reverse("org:directory")).content.decode()
    assert "共 205 位委员" in html
    assert client.session[SESSION_KEY] == qiantang.pk


def test_switching_needs_a_post():
    assert client_for("maoxucheng").get(reverse("core:switch_committee")).status_code == 405


def test_staff_of_one_committee_never_see_anothers_directory(hangzhou):
    client = client_for("hz_office")
    html = client.get(reverse("org:directory")).content.decode()
    assert "朱政" not in html
    assert f"共 {Member.objects.for_committee(hangzhou).count()} 位委员" in html
