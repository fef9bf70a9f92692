"""Handling units' staff accounts: add (with SMS log-in or an initial password), remove, refusals."""

import pytest

from lvzhi.accounts.models import User
from lvzhi.core.models import Event
from lvzhi.core.roles import Role
from lvzhi.org.models import HandlingUnit, Membership
from tests.conftest import client_for, user

pytestmark = pytest.mark.django_db

PASSWORD = "Qiantang@2021"


@pytest.fixture
def unit(qiantang) -> HandlingUnit:
    return HandlingUnit.objects.get(committee=qiantang, name="区发展和改革局")


def _add(client, unit, **overrides):
    data = {"name": "钱小明", "mobile": "13600000099", "username": "qianxm", "password": ""} | overrides
    return client.post(f"/org/units/{unit.pk}/staff/", data)


def test_the_unit_page_lists_its_staff(office_client, unit):
    html = office_client.get(f"/org/units/{unit.pk}/").content.decode()
    staff = html.split('data-testid="unit-staff"', 1)[1].split("</table>")[0]
    assert "赵振华" in staff and "fgj" in staff
    assert "孙慧敏" not in staff  # jyj is staff of another unit
    assert "新增工作人员账户" in html


def test_it_creates_a_staff_account_for_sms_log_in(office_client, unit, qiantang):
    response = _add(office_client, unit)
    assert response.status_code == 302 and response.url == f"/org/units/{unit.pk}/"
    new = User.objects.get(username="qianxm")
    assert (new.display_name, new.mobile) == ("钱小明", "13600000099")
    assert not new.has_usable_password()
    grant = Membership.objects.get(user=new)
    assert (grant.committee, grant.role, grant.handling_unit) == (qiantang, Role.UNIT, unit)
    event = Event.objects.get(action="unit.staff_added", subject_id=unit.pk)
    assert event.data["username"] == "qianxm" and event.actor == user("office")
    html = office_client.get(response.url).content.decode()
    assert "本人可用手机短信验证码登录" in html and "钱小明" in html

    client = client_for("qianxm")
    home = client.get("/")
    assert home.status_code == 200
    assert home.wsgi_request.committee == qiantang and Role.UNIT in home.wsgi_request.roles
    assert client.get("/org/").status_code == 403  # unit staff do not see the staff desk


def test_it_creates_a_staff_account_with_an_initial_password(office_client, unit, client):
    _add(office_client, unit, password="Unit-Pass-2026")
    new = User.objects.get(username="qianxm")
    assert new.check_password("Unit-Pass-2026")
    response = client.post("/accounts/login/", {"username": "qianxm", "password": "Unit-Pass-2026"})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == new


def test_it_refuses_a_weak_password(office_client, unit):
    response = _add(office_client, unit, password="123")
    assert response.status_code == 400
    assert "密码" in response.content.decode()
    assert not User.objects.filter(username="qianxm").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "fgj"}, "该用户名已被使用"),
        ({"mobile": "13600000002"}, "该手机号已有账户"),
        ({"mobile": "12345"}, "请输入 11 位手机号码"),
        ({"username": "带 空格"}, "用户名为 3–30 位"),
        ({"name": ""}, "这个字段是必填项"),
    ],
)
def test_it_refuses_bad_account_data(office_client, unit, overrides, message):
    users = User.objects.count()
    response = _add(office_client, unit, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == users
    assert not Event.objects.filter(action="unit.staff_added").exists()


def test_it_removes_a_staff_role(office_client, unit, qiantang):
    fgj = user("fgj")
    response = office_client.post(f"/org/units/{unit.pk}/staff/{fgj.pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(user=fgj, committee=qiantang, role=Role.UNIT).exists()
    assert User.objects.filter(pk=fgj.pk, is_active=True).exists()  # the account stays
    assert Event.objects.get(action="unit.staff_removed", subject_id=unit.pk).data["username"] == "fgj"
    assert client_for("fgj").get("/").status_code == 403  # no role left in any committee


def test_it_removes_only_staff_of_this_unit(office_client, unit, qiantang):
    jyj = user("jyj")  # staff of 区教育局
    assert office_client.post(f"/org/units/{unit.pk}/staff/{jyj.pk}/remove/").status_code == 404
    assert Membership.objects.filter(user=jyj, committee=qiantang, role=Role.UNIT).exists()


def test_unit_staff_and_members_may_not_manage_accounts(unit):
    for name in ("fgj", "zhuzheng", "jinzhiqiang"):
        client = client_for(name)
        assert _add(client, unit).status_code == 403
        assert client.post(f"/org/units/{unit.pk}/staff/{user('fgj').pk}/remove/").status_code == 403
    assert not User.objects.filter(username="qianxm").exists()
    assert Membership.objects.filter(user=user("fgj"), role=Role.UNIT).exists()


def test_another_committees_unit_is_404(unit, hangzhou):
    hz = client_for("hz_office")
    assert hz.get(f"/org/units/{unit.pk}/").status_code == 404
    assert _add(hz, unit).status_code == 404
    assert hz.post(f"/org/units/{unit.pk}/staff/{user('fgj').pk}/remove/").status_code == 404
    assert not User.objects.filter(username="qianxm").exists()


def test_a_unit_with_staff_is_not_deleted(office_client, unit):
    response = office_client.post(f"/org/setup/units/{unit.pk}/delete/", follow=True)
    assert "还有工作人员账户" in response.content.decode()
    assert HandlingUnit.objects.filter(pk=unit.pk).exists()
    assert Membership.objects.filter(user=user("fgj"), role=Role.UNIT).exists()


def test_unit_writes_need_the_units_perm(office_client, unit, qiantang):
    response = office_client.post(
        f"/org/setup/units/{unit.pk}/edit/",
        {"name": unit.name, "contact_name": "张科长", "contact_phone": "0571-1", "active": "", "order": 1},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.contact_name == "张科长" and unit.active is False
    assert "停用" in office_client.get(f"/org/units/{unit.pk}/").content.decode()
