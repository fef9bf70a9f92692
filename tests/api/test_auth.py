"""POST /api/v1/auth/token, bearer tokens, session auth with CSRF, and refusals without either."""

import hashlib

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from lvzhi.accounts.models import ApiToken
from lvzhi.org.demo import DEMO_PASSWORD
from tests.conftest import client_for, user

from .conftest import api_for

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token"


def _token(username, password=DEMO_PASSWORD, client=None):
    client = client or Client()
    return client.post(TOKEN_URL, {"username": username, "password": password}, content_type="application/json")


def test_it_issues_a_token_that_opens_the_api():
    r = _token("zhuzheng")
    assert r.status_code == 200
    body = r.json()
    assert body["expires_at"] > timezone.now().isoformat()[:10]
    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["user"]["username"] == "zhuzheng"


def test_it_stores_only_a_digest_of_the_token():
    key = _token("zhuzheng").json()["token"]
    stored = ApiToken.objects.get(user=user("zhuzheng"))
    assert stored.digest == hashlib.sha256(key.encode()).hexdigest()
    assert not ApiToken.objects.filter(digest=key).exists()


def test_it_accepts_the_mobile_number_as_user_name():
    r = _token("13900000118")
    assert r.status_code == 200
    assert ApiToken.objects.filter(user=user("zhuzheng")).count() == 1


def test_it_refuses_a_wrong_password_in_chinese():
    r = _token("zhuzheng", "wrong-password")
    assert r.status_code == 401
    assert r.json()["detail"] == "用户名或密码错误"
    assert not ApiToken.objects.exists()


def test_it_refuses_an_unknown_user():
    r = _token("nobody-here", "whatever")
    assert r.status_code == 401
    assert r.json()["detail"] == "用户名或密码错误"


def test_it_locks_the_account_after_five_wrong_passwords():
    for _ in range(4):
        assert _token("zhuzheng", "wrong-password").status_code == 401
    fifth = _token("zhuzheng", "wrong-password")
    assert fifth.status_code == 429
    assert fifth.json()["detail"].startswith("账户已被锁定")
    # even the right password is refused while locked, and no token is issued
    locked = _token("zhuzheng")
    assert locked.status_code == 429
    assert locked["Content-Type"].startswith("application/json")
    assert "账户已被锁定" in locked.json()["detail"]
    assert not ApiToken.objects.exists()
    # another account is not affected (the lock is per account, not per address)
    assert _token("xugang").status_code == 200


def test_it_refuses_an_empty_body_with_422():
    r = Client().post(TOKEN_URL, {"username": ""}, content_type="application/json")
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {"username", "password"}


def test_it_refuses_malformed_json_in_chinese():
    r = Client().post(TOKEN_URL, "{not json", content_type="application/json")
    assert r.status_code == 400
    assert r.json()["detail"] == "请求内容不是有效的 JSON。"


@pytest.mark.parametrize("path", ["/me", "/committees", "/members", "/org/sectors"])
def test_it_requires_authentication(path):
    r = Client().get("/api/v1" + path)
    assert r.status_code == 401
    assert r.json()["detail"] == "请先登录。"


def test_it_refuses_an_unknown_token():
    r = Client().get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401


def test_it_refuses_an_expired_token():
    client = api_for("zhuzheng")
    assert client.get("/me").status_code == 200
    token = ApiToken.objects.get(user=user("zhuzheng"))
    token.expires_at = timezone.now() - timezone.timedelta(seconds=1)
    token.save()
    assert client.get("/me").status_code == 401


def test_a_cached_token_expires_when_its_time_comes(monkeypatch):
    """The token is read from the cache after the first call; time passing must still end it."""
    client = api_for("zhuzheng")
    assert client.get("/me").status_code == 200
    expires_at = ApiToken.objects.get(user=user("zhuzheng")).expires_at
    later = expires_at + timezone.timedelta(seconds=1)
    monkeypatch.setattr("lvzhi.accounts.models.timezone.now", lambda: later)
    assert client.get("/me").status_code == 401


def test_a_deleted_token_stops_working_at_once():
    client = api_for("zhuzheng")
    assert client.get("/me").status_code == 200
    ApiToken.objects.filter(user=user("zhuzheng")).delete()
    assert client.get("/me").status_code == 401


def test_it_refuses_the_token_of_a_deactivated_user():
    client = api_for("zhuzheng")
    type(user("zhuzheng")).objects.filter(username="zhuzheng").update(is_active=False)
    assert client.get("/me").status_code == 401


def test_the_session_of_the_pages_works_for_reads():
    r = client_for("office").get("/api/v1/me")
    assert r.status_code == 200
    assert r.json()["user"]["username"] == "office"


def test_session_writes_need_the_csrf_token(qiantang):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user("office"))
    member = user("zhuzheng").member_profiles.get(committee=qiantang)
    url = f"/api/v1/members/{member.pk}/end"
    refused = client.post(url, {"reason": "测试"}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    member.refresh_from_db()
    assert member.state == "active"

    token = get_random_string(32)  # what a page would have put in the CSRF cookie
    client.cookies["csrftoken"] = token
    done = client.post(url, {"reason": "测试"}, content_type="application/json", headers={"X-CSRFToken": token})
    assert done.status_code == 200, done.content
    member.refresh_from_db()
    assert member.state == "ended"


def test_bearer_writes_need_no_csrf_token(qiantang):
    member = user("zhuzheng").member_profiles.get(committee=qiantang)
    client = Client(enforce_csrf_checks=True)
    key = ApiToken.issue(user("office"))
    r = client.post(
        f"/api/v1/members/{member.pk}/end",
        {"reason": "测试"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert r.status_code == 200
