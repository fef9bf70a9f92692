import pytest
from django.contrib.auth import SESSION_KEY

from lvzhi.org.models import Committee
from tests.conftest import user

from .helpers import PASSWORD, ZHUZHENG_MOBILE, log_in

pytestmark = pytest.mark.django_db


def test_the_page_has_the_fields_and_the_sms_link(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="username"' in html and 'name="password"' in html
    assert "短信验证码登录" in html and "/accounts/login/sms/" in html


def test_it_logs_in_by_user_name(client):
    response = log_in(client, "office")
    assert response.status_code == 302 and response.url == "/"
    assert int(client.session[SESSION_KEY]) == user("office").pk


def test_it_logs_in_by_mobile_number(client):
    response = log_in(client, ZHUZHENG_MOBILE)
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == user("zhuzheng").pk


def test_it_goes_to_next_after_log_in(client):
    response = log_in(client, "zhuzheng", next="/org/me/")
    assert response.url == "/org/me/"


def test_it_ignores_a_next_on_another_site(client):
    response = log_in(client, "zhuzheng", next="https://evil.example.com/")
    assert response.url == "/"


def test_it_says_so_in_chinese_when_the_password_is_wrong(client):
    response = log_in(client, "zhuzheng", "wrong-password")
    assert response.status_code == 200
    assert "用户名(手机号)或密码不正确" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_it_gives_the_same_answer_for_an_unknown_user(client):
    response = log_in(client, "nobody-here", "whatever123")
    assert response.status_code == 200
    assert "用户名(手机号)或密码不正确" in response.content.decode()


def test_it_refuses_an_inactive_account_with_the_right_password(client):
    u = user("zhuzheng")
    u.is_active = False
    u.save(update_fields=["is_active"])
    response = log_in(client, "zhuzheng")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_it_asks_for_missing_fields(client):
    response = client.post("/accounts/login/", {"username": "", "password": ""})
    html = response.content.decode()
    assert "请输入用户名或手机号" in html and "请输入密码" in html


def test_it_locks_the_account_after_five_wrong_passwords(client):
    for i in range(4):
        response = log_in(client, "zhuzheng", f"wrong-{i}")
        assert response.status_code == 200
    assert "再输错 1 次" in response.content.decode()
    response = log_in(client, "zhuzheng", "wrong-5")
    assert response.status_code == 429
    html = response.content.decode()
    assert "账户已暂时锁定" in html and "30 分钟" in html and "办公室" in html

    response = log_in(client, "zhuzheng", PASSWORD)
    assert response.status_code == 429
    assert "账户已暂时锁定" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_lock_holds_whichever_name_is_typed(client):
    """Typing the mobile number instead of the user name does not give five more tries."""
    for i in range(3):
        log_in(client, "zhuzheng", f"wrong-{i}")
    log_in(client, ZHUZHENG_MOBILE, "wrong-3")
    response = log_in(client, ZHUZHENG_MOBILE, "wrong-4")
    assert response.status_code == 429
    response = log_in(client, ZHUZHENG_MOBILE, PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_the_lock_is_per_account_not_per_room(client):
    for i in range(5):
        log_in(client, "zhuzheng", f"wrong-{i}")
    response = log_in(client, "xugang")  # same address, another member
    assert response.status_code == 302


def test_a_right_password_resets_the_count(client):
    for i in range(4):
        log_in(client, "zhuzheng", f"wrong-{i}")
    assert log_in(client, "zhuzheng").status_code == 302
    client.post("/accounts/logout/")
    for i in range(4):
        response = log_in(client, "zhuzheng", f"wrong-{i}")
    assert response.status_code == 200


def test_log_out_needs_a_post_and_ends_the_session(member_client):
    assert member_client.get("/accounts/logout/").status_code == 405
    response = member_client.post("/accounts/logout/")
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert SESSION_KEY not in member_client.session
    assert member_client.get("/").status_code == 302


def test_a_logged_in_visitor_of_the_login_page_goes_home(member_client):
    response = member_client.get("/accounts/login/")
    assert response.status_code == 302 and response.url == "/"


def test_the_account_page_links_password_and_hides_totp_from_members(member_client):
    html = member_client.get("/accounts/").content.decode()
    assert "/accounts/password/" in html
    assert "/accounts/two-step/" not in html
    assert "13900000118" not in html and "139****0118" in html  # masked


def test_the_account_page_offers_totp_to_staff(office_client):
    html = office_client.get("/accounts/").content.decode()
    assert "/accounts/two-step/" in html and "未开启" in html


def test_the_account_page_works_without_a_committee(client):
    client.force_login(user("admin"))
    assert Committee.objects.exists()
    response = client.get("/accounts/")
    assert response.status_code == 200
