import logging

import pytest
from django.contrib.auth import SESSION_KEY

from lvzhi.core.models import Event
from tests.conftest import user

from .helpers import PASSWORD, log_in, sms_code_from

pytestmark = pytest.mark.django_db

NEW = "Xinmima#2024qt"


def test_it_changes_the_password_and_keeps_the_session(member_client, qiantang):
    response = member_client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302 and response.url == "/accounts/"
    assert "登录密码已修改" in member_client.get("/accounts/").content.decode()  # still logged in
    u = user("zhuzheng")
    assert u.check_password(NEW) and u.password.startswith("argon2")
    event = Event.objects.get(action="account.password_changed")
    assert event.committee == qiantang and event.actor == u and event.subject_id == u.pk


def test_the_new_password_logs_in_and_the_old_one_does_not(member_client, client):
    member_client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert log_in(client, "zhuzheng", PASSWORD).status_code == 200
    assert log_in(client, "zhuzheng", NEW).status_code == 302


def test_a_wrong_old_password_changes_nothing(member_client):
    response = member_client.post(
        "/accounts/password/", {"old_password": "not-it", "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 200
    assert "原密码不正确" in response.content.decode()
    assert user("zhuzheng").check_password(PASSWORD)
    assert not Event.objects.filter(action__startswith="account.password").exists()


def test_it_refuses_a_weak_or_mismatched_password(member_client):
    response = member_client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    assert user("zhuzheng").check_password(PASSWORD)
    response = member_client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"}
    )
    assert "两次输入的新密码不一致" in response.content.decode()
    assert user("zhuzheng").check_password(PASSWORD)


def test_a_member_without_a_password_sets_one_after_an_sms_log_in(client, caplog, qiantang):
    caplog.set_level(logging.INFO, logger="lvzhi")
    u = user("zhuzheng")
    u.set_unusable_password()
    u.save(update_fields=["password"])

    client.post("/accounts/login/sms/", {"mobile": u.mobile})
    client.post("/accounts/login/sms/code/", {"code": sms_code_from(caplog, u.mobile)})
    assert int(client.session[SESSION_KEY]) == u.pk

    page = client.get("/accounts/password/").content.decode()
    assert "设置登录密码" in page and 'name="old_password"' not in page
    response = client.post("/accounts/password/", {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert user("zhuzheng").check_password(NEW)
    assert Event.objects.filter(action="account.password_set", committee=qiantang).count() == 1
    assert client.get("/accounts/").status_code == 200  # session kept


def test_the_password_page_needs_a_log_in(client):
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")


def test_a_change_without_a_committee_goes_to_the_log_only(client, caplog):
    caplog.set_level(logging.INFO, logger="lvzhi.accounts")
    client.force_login(user("admin"))
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    assert not Event.objects.filter(action="account.password_changed").exists()
    assert any("account.password_changed user=admin" in r.getMessage() for r in caplog.records)
