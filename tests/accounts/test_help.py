"""The committee office helps a locked-out person or one who lost their authenticator app."""

import logging

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvzhi.accounts import services
from lvzhi.core.models import Event
from lvzhi.org import demo
from lvzhi.org.models import Member
from tests.conftest import client_for, user

from .helpers import PASSWORD, give_totp, log_in

pytestmark = pytest.mark.django_db


def lock(username: str) -> None:
    from django.test import Client

    c = Client()
    for _ in range(5):
        log_in(c, username, "wrong-password")
    assert services.account_is_locked(user(username))
    assert "锁定" in log_in(Client(), username).content.decode()  # even the right password is refused


def member_page(username: str) -> str:
    return f"/org/members/{Member.objects.get(user__username=username, committee__name=demo.QIANTANG).pk}/"


def test_office_unlocks_a_locked_member_who_then_logs_in(office_client, client, qiantang, caplog):
    caplog.set_level(logging.INFO, logger="lvzhi.accounts")
    lock("zhuzheng")
    zhuzheng = user("zhuzheng")
    page = office_client.get(member_page("zhuzheng")).content.decode()
    assert 'data-testid="account-help"' in page and "已锁定" in page and "解除锁定" in page

    response = office_client.post(f"/accounts/help/{zhuzheng.pk}/unlock/", {"next": member_page("zhuzheng")})
    assert response.status_code == 302 and response["Location"] == member_page("zhuzheng")
    assert not services.account_is_locked(zhuzheng)
    event = Event.objects.get(action="account.unlocked")
    assert event.subject_id == zhuzheng.pk and event.actor == user("office") and event.committee == qiantang
    assert event.data["was_locked"] is True
    assert any("account.unlocked user=zhuzheng by=office" in r.getMessage() for r in caplog.records)

    page = office_client.get(member_page("zhuzheng")).content.decode()
    assert "已解除" in page and "解除锁定" not in page and "正常" in page
    response = log_in(client, "zhuzheng")
    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 200


def test_totp_reset_removes_the_devices_and_the_next_log_in_has_no_second_step(office_client, client, qiantang):
    tiwei = user("tiwei")
    give_totp(tiwei)
    give_totp(tiwei)
    assert log_in(client, "tiwei")["Location"] == "/accounts/login/two-step/"
    page = office_client.get(f"/accounts/help/{tiwei.pk}/totp-reset/")
    assert page.status_code == 405

    response = office_client.post(f"/accounts/help/{tiwei.pk}/totp-reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=tiwei).exists()
    event = Event.objects.get(action="account.totp_reset")
    assert event.subject_id == tiwei.pk and event.actor == user("office") and event.committee == qiantang
    assert event.data == {"devices": 2}

    from django.test import Client

    fresh = Client()
    response = log_in(fresh, "tiwei")
    assert response.status_code == 302 and response["Location"] != "/accounts/login/two-step/"
    assert fresh.get("/accounts/").status_code == 200


def test_the_panel_shows_two_step_on_and_the_button(office_client):
    give_totp(user("zhuzheng"))
    page = office_client.get(member_page("zhuzheng")).content.decode()
    assert "关闭两步验证" in page and "已开启" in page and "data-confirm" in page
    assert "解除锁定" not in page  # not locked


def test_the_unit_page_shows_the_panel_for_its_staff(office_client):
    fgj = user("fgj")
    unit = fgj.memberships.get(role="unit").handling_unit
    lock("fgj")
    page = office_client.get(f"/org/units/{unit.pk}/").content.decode()
    assert 'data-testid="account-help-fgj"' in page and "已锁定" in page


@pytest.mark.parametrize("username", ["zhuzheng", "fgj"])
def test_it_refuses_a_member_or_unit_staff(username):
    lock("xugang")
    target = user("xugang")
    give_totp(target)
    c = client_for(username)
    assert c.post(f"/accounts/help/{target.pk}/unlock/").status_code == 403
    assert c.post(f"/accounts/help/{target.pk}/totp-reset/").status_code == 403
    assert services.account_is_locked(target)
    assert TOTPDevice.objects.filter(user=target).exists()
    assert not Event.objects.filter(action__in=["account.unlocked", "account.totp_reset"]).exists()


def test_other_staff_do_not_see_the_panel():
    lock("xugang")
    page = client_for("tiwei").get(member_page("xugang"))
    assert page.status_code == 200
    assert "已锁定" not in page.content.decode() and 'data-testid="account-help"' not in page.content.decode()


def test_another_committees_office_gets_404():
    target = user("zhuzheng")  # only in 钱塘
    lock("zhuzheng")
    give_totp(target)
    c = client_for("hz_office")
    assert c.post(f"/accounts/help/{target.pk}/unlock/").status_code == 404
    assert c.post(f"/accounts/help/{target.pk}/totp-reset/").status_code == 404
    assert services.account_is_locked(target)
    assert TOTPDevice.objects.filter(user=target).exists()
    assert not Event.objects.filter(action__in=["account.unlocked", "account.totp_reset"]).exists()


def test_get_is_not_allowed(office_client):
    target = user("zhuzheng")
    lock("zhuzheng")
    assert office_client.get(f"/accounts/help/{target.pk}/unlock/").status_code == 405
    assert office_client.get(f"/accounts/help/{target.pk}/totp-reset/").status_code == 405
    assert services.account_is_locked(target)


def test_the_services_refuse_an_account_outside_the_committee(hangzhou):
    target = user("zhuzheng")
    give_totp(target)
    with pytest.raises(services.NotInCommittee):
        services.account_totp_reset(user=target, committee=hangzhou, by=user("hz_office"))
    with pytest.raises(services.NotInCommittee):
        services.account_unlock(user=target, committee=hangzhou, by=user("hz_office"))
    assert TOTPDevice.objects.filter(user=target).exists()


def test_unlock_after_a_wrong_mobile_log_in_counts_under_the_username(office_client):
    from django.test import Client

    c = Client()
    for _ in range(5):
        log_in(c, "13900000118", "wrong-password")  # zhuzheng's mobile number
    target = user("zhuzheng")
    assert services.account_is_locked(target)
    office_client.post(f"/accounts/help/{target.pk}/unlock/")
    assert not services.account_is_locked(target)
    assert log_in(Client(), "13900000118", PASSWORD).status_code == 302


def test_my_page_links_to_my_account(member_client):
    page = member_client.get("/org/me/").content.decode()
    assert 'href="/accounts/"' in page and "我的账户" in page
