"""The member's own pages: 我的 (own profile, settings) and 委员名录 (public fields of others only)."""

import re

import pytest
from django.urls import reverse

from lvzhi.org.models import Member, Sector
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

MOBILE = re.compile(r"1[3-9]\d{9}")


# --- 我的


def test_me_shows_my_own_profile_in_this_committee(member_client):
    response = member_client.get(reverse("org:me"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["朱政", "科技界", "群众", "杭州沃镭智能科技股份有限公司", "研发总监", "一届", "委员工作室"]:
        assert text in html, text
    assert "13900000118" in html  # one's own mobile is fine
    assert 'href="/accounts/password/"' in html
    assert "/accounts/totp/" not in html  # two-step log-in is offered to staff
    assert reverse("accounts:logout") in html
    assert "大字模式" in html and "English" in html


def test_me_names_the_special_committees_and_the_standing_role():
    xugang = Member.objects.get(user__username="xugang")
    html = client_for("xugang").get(reverse("org:me")).content.decode()
    assert "常委" in html
    for special in xugang.special_committees.all():
        assert special.name in html


def test_me_offers_two_step_log_in_to_staff():
    html = client_for("office").get(reverse("org:me")).content.decode()
    assert 'href="/accounts/two-step/"' in html
    assert "机关·办公室" in html and "机关·会务" in html
    assert "13700000001" in html


def test_me_names_the_handling_unit_of_unit_staff():
    html = client_for("fgj").get(reverse("org:me")).content.decode()
    assert "区发展和改革局" in html
    assert "承办单位" in html


def test_me_offers_the_committee_switcher_only_to_people_in_several():
    assert 'data-testid="committee-switcher"' not in client_for("zhuzheng").get(reverse("org:me")).content.decode()
    html = client_for("maoxucheng").get(reverse("org:me")).content.decode()
    assert 'data-testid="committee-switcher"' in html
    assert "杭州市政协" in html and "杭州市钱塘区政协" in html


def test_me_needs_a_log_in(client):
    assert client.get(reverse("org:me")).status_code == 302


# --- 委员名录


def test_the_directory_lists_active_members_with_public_fields(member_client, qiantang):
    response = member_client.get(reverse("org:directory"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "共 205 位委员" in html
    first = Member.objects.for_committee(qiantang).select_related("sector", "party", "studio").first()
    assert first.name in html
    assert f"{first.sector} · {first.party}" in html
    assert first.studio.name in html


def test_the_directory_never_shows_the_private_data_of_others(member_client, qiantang):
    pages = []
    for number in range(1, 9):
        pages.append(member_client.get(reverse("org:directory"), {"page": number}).content.decode())
    html = "".join(pages)
    assert "茅徐程" in html and "徐钢" in html  # every page was read
    assert not MOBILE.findall(html)  # no mobile number of anybody
    someone = Member.objects.for_committee(qiantang).exclude(user__username="zhuzheng").first()
    assert someone.mobile not in html
    assert someone.birth_date.isoformat() not in html
    assert someone.birth_date.strftime("%Y年%-m月%-d日") not in html
    assert "杭州沃镭智能科技股份有限公司" not in html  # employers are not listed either
    assert "手机" not in html and "出生" not in html


def test_searching_the_directory_by_name_finds_the_member(member_client):
    html = member_client.get(reverse("org:directory"), {"q": "徐钢"}).content.decode()
    assert "共 1 位委员" in html
    assert "徐钢" in html and "致公党 · 中国致公党" in html


def test_searching_for_a_mobile_number_finds_nobody(member_client):
    html = member_client.get(reverse("org:directory"), {"q": "13900000"}).content.decode()
    assert "没有找到符合条件的委员" in html


def test_the_directory_filters_by_sector(member_client, qiantang):
    sector = Sector.objects.for_committee(qiantang).get(name="致公党")
    html = member_client.get(reverse("org:directory"), {"sector": sector.pk}).content.decode()
    assert "共 6 位委员" in html
    assert "徐钢" in html and "朱政" not in html


def test_a_sector_of_another_committee_is_refused_with_a_message(member_client, hangzhou):
    other = Sector.objects.for_committee(hangzhou).first()
    response = member_client.get(reverse("org:directory"), {"sector": other.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有这个界别" in html
    assert "共 205 位委员" in html
    assert other.name not in html  # not offered among the choices either


def test_a_bad_page_number_shows_a_page_and_not_an_error(member_client):
    for bad in ["abc", "-1", "999"]:
        response = member_client.get(reverse("org:directory"), {"page": bad})
        assert response.status_code == 200


def test_the_directory_pages_keep_the_filter(member_client, qiantang):
    html = member_client.get(reverse("org:directory"), {"q": "王"}).content.decode()
    count = Member.objects.for_committee(qiantang).filter(name__contains="王", state="active").count()
    assert f"共 {count} 位委员" in html
    if count > 30:
        assert "q=%E7%8E%8B&amp;page=2" in html
    second = member_client.get(reverse("org:directory"), {"page": 2}).content.decode()
    assert "第 2 / 7 页" in second


def test_an_ended_member_leaves_the_directory(member_client, qiantang):
    Member.objects.for_committee(qiantang).filter(name="徐钢").update(state=Member.State.ENDED)
    html = member_client.get(reverse("org:directory"), {"q": "徐钢"}).content.decode()
    assert "没有找到符合条件的委员" in html


@pytest.mark.parametrize("username", ["office", "jinzhiqiang", "xugang"])
def test_staff_leaders_and_members_may_see_the_directory(username):
    assert client_for(username).get(reverse("org:directory")).status_code == 200


@pytest.mark.parametrize("username", ["fgj", "jyj"])
def test_it_refuses_unit_staff(username):
    assert client_for(username).get(reverse("org:directory")).status_code == 403


def test_the_directory_needs_a_log_in(client):
    response = client.get(reverse("org:directory"))
    assert response.status_code == 302


def test_the_directory_runs_a_fixed_number_of_queries(member_client, django_assert_max_num_queries):
    member_client.get(reverse("org:directory"))
    with django_assert_max_num_queries(12):
        response = member_client.get(reverse("org:directory"), {"page": 2})
    assert response.status_code == 200
