import logging

import pytest
from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvzhi.core.models import Event
from tests.conftest import user

from .helpers import PASSWORD, log_in, sms_code_from, totp_code

pytestmark = pytest.mark.django_db


def secret_key_of(client) -> str:
    return client.session["accounts_totp_key"]


def enable(client) -> str:
    client.get("/accounts/two-step/")
    key = secret_key_of(client)
    response = client.post("/accounts/two-step/", {"action": "enable", "code": totp_code(key)})
    assert response.status_code == 302
    return key


def wrong(code: str) -> str:
    return f"{(int(code) + 500000) % 10**6:06d}"


def test_it_shows_a_qr_code_and_the_secret_to_staff(office_client):
    response = office_client.get("/accounts/two-step/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml' in html
    assert "未开启" in html
    key = secret_key_of(office_client)
    from base64 import b32encode
    from binascii import unhexlify

    assert b32encode(unhexlify(key)).decode()[:4] in html
    assert not TOTPDevice.objects.filter(user=user("office")).exists()  # nothing stored until confirmed


def test_it_refuses_a_member(member_client):
    assert member_client.get("/accounts/two-step/").status_code == 403


def test_it_refuses_a_handling_unit_user(client):
    client.force_login(user("fgj"))
    assert client.get("/accounts/two-step/").status_code == 403


def test_it_turns_on_with_a_right_code_and_records_the_event(office_client, qiantang):
    enable(office_client)
    office = user("office")
    device = TOTPDevice.objects.get(user=office)
    assert device.confirmed
    event = Event.objects.get(action="account.totp_enabled")
    assert event.committee == qiantang and event.actor == office and event.subject_id == office.pk
    assert "已开启" in office_client.get("/accounts/two-step/").content.decode()


def test_a_wrong_confirmation_code_turns_nothing_on(office_client):
    office_client.get("/accounts/two-step/")
    key = secret_key_of(office_client)
    response = office_client.post("/accounts/two-step/", {"action": "enable", "code": wrong(totp_code(key))})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user("office")).exists()
    assert not Event.objects.filter(action="account.totp_enabled").exists()


def test_log_in_asks_for_the_code_after_the_password(client, caplog):
    caplog.set_level(logging.INFO, logger="lvzhi")
    office = user("office")
    client.force_login(office)
    key = enable(client)
    client.post("/accounts/logout/")

    response = log_in(client, "office", next="/org/")
    assert response.status_code == 302 and response.url == "/accounts/login/two-step/"
    assert SESSION_KEY not in client.session
    assert "两步验证" in client.get("/accounts/login/two-step/").content.decode()

    response = client.post("/accounts/login/two-step/", {"code": totp_code(key, steps=1)})
    assert response.status_code == 302 and response.url == "/org/"
    assert int(client.session[SESSION_KEY]) == office.pk
    assert client.session[DEVICE_ID_SESSION_KEY] == TOTPDevice.objects.get(user=office).persistent_id


def test_a_wrong_totp_code_does_not_log_in(client):
    office = user("office")
    key = TOTPDevice.objects.create(user=office, name="app", confirmed=True).key
    log_in(client, "office")
    response = client.post("/accounts/login/two-step/", {"code": wrong(totp_code(key))})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_wrong_totp_codes_count_towards_the_lock(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the device's own back-off aside
    office = user("office")
    key = TOTPDevice.objects.create(user=office, name="app", confirmed=True).key
    log_in(client, "office")
    for _ in range(4):
        response = client.post("/accounts/login/two-step/", {"code": wrong(totp_code(key))})
        assert response.status_code == 200
    response = client.post("/accounts/login/two-step/", {"code": wrong(totp_code(key))})
    assert response.status_code == 429
    assert "账户已暂时锁定" in response.content.decode()
    assert log_in(client, "office").status_code == 429


def test_the_device_backs_off_after_a_wrong_code(client):
    office = user("office")
    key = TOTPDevice.objects.create(user=office, name="app", confirmed=True).key
    log_in(client, "office")
    client.post("/accounts/login/two-step/", {"code": wrong(totp_code(key))})
    response = client.post("/accounts/login/two-step/", {"code": totp_code(key)})
    assert "尝试过于频繁" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_second_step_cannot_be_skipped(client):
    TOTPDevice.objects.create(user=user("office"), name="app", confirmed=True)
    log_in(client, "office")
    assert client.get("/").status_code == 302  # still not logged in
    assert client.get("/accounts/").status_code == 302


def test_the_second_step_without_a_password_goes_back_to_log_in(client):
    response = client.get("/accounts/login/two-step/")
    assert response.status_code == 302 and response.url == "/accounts/login/"


def test_sms_log_in_also_asks_for_the_code(client, caplog):
    caplog.set_level(logging.INFO, logger="lvzhi")
    office = user("office")
    key = TOTPDevice.objects.create(user=office, name="app", confirmed=True).key
    client.post("/accounts/login/sms/", {"mobile": office.mobile})
    response = client.post("/accounts/login/sms/code/", {"code": sms_code_from(caplog, office.mobile)})
    assert response.url == "/accounts/login/two-step/"
    assert SESSION_KEY not in client.session
    response = client.post("/accounts/login/two-step/", {"code": totp_code(key)})
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == office.pk


def test_it_turns_off_with_the_password(office_client, qiantang):
    TOTPDevice.objects.create(user=user("office"), name="app", confirmed=True)
    response = office_client.post("/accounts/two-step/", {"action": "disable", "password": "wrong-password"})
    assert "登录密码不正确" in response.content.decode()
    assert TOTPDevice.objects.filter(user=user("office")).exists()

    response = office_client.post("/accounts/two-step/", {"action": "disable", "password": PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user("office")).exists()
    assert Event.objects.filter(action="account.totp_disabled", committee=qiantang).count() == 1


def test_a_member_who_still_has_a_device_may_turn_it_off(member_client):
    TOTPDevice.objects.create(user=user("zhuzheng"), name="app", confirmed=True)
    assert member_client.get("/accounts/two-step/").status_code == 200
    member_client.post("/accounts/two-step/", {"action": "disable", "password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=user("zhuzheng")).exists()
