"""Opinions staff register reporters (信息员) for a contact point or a studio: a new account or an existing
one (a member who runs a studio); the reporter then writes for that place; taking the role away keeps the
account and its reports. Bad input changes nothing; other roles are refused."""

import pytest

from lvzhi.accounts.models import User
from lvzhi.core.roles import Role
from lvzhi.opinions.models import OpinionReport, Reporter
from lvzhi.org.models import ContactPoint, Membership, Studio
from tests.conftest import client_for

from .conftest import FORM_VALUES

pytestmark = pytest.mark.django_db


def test_staff_register_a_new_reporter_who_then_writes(qiantang):
    point = ContactPoint.objects.filter(committee=qiantang).order_by("-order").first()
    response = client_for("xinxi").post(
        "/opinions/staff/reporters/",
        {"username": "xinyuan2", "name": "张敏", "mobile": "13700000099", "contact_point": point.pk},
    )
    assert response.status_code == 302
    user = User.objects.get(username="xinyuan2")
    assert Membership.objects.filter(user=user, committee=qiantang, role=Role.REPORTER).exists()
    client = client_for("xinyuan2")
    client.post("/opinions/new/", {**FORM_VALUES, "action": "submit"})
    report = OpinionReport.objects.get(submitted_by=user)
    assert report.contact_point == point and report.state == "submitted"


def test_an_existing_member_becomes_the_reporter_of_a_studio(qiantang):
    studio = Studio.objects.filter(committee=qiantang).first()
    client_for("xinxi").post("/opinions/staff/reporters/", {"username": "xugang", "studio": studio.pk})
    assert Reporter.objects.get(user__username="xugang").studio == studio
    page = client_for("xugang").get("/opinions/new/").content.decode()
    assert studio.name in page and "委员本人" in page  # he chooses whom he writes for


def test_bad_input_and_wrong_roles_change_nothing(qiantang):
    before = (User.objects.count(), Reporter.objects.count())
    xinxi = client_for("xinxi")
    page = xinxi.post("/opinions/staff/reporters/", {"username": "nobody"})
    assert page.status_code == 400 and "请选择联系点或委员工作室" in page.content.decode()
    taken = xinxi.post(
        "/opinions/staff/reporters/",
        {"username": "lianluo", "contact_point": ContactPoint.objects.filter(committee=qiantang).first().pk},
    )
    assert "已是本委员会的信息员" in taken.content.decode()
    assert client_for("jinzhiqiang").get("/opinions/staff/reporters/").status_code == 403
    assert (User.objects.count(), Reporter.objects.count()) == before


def test_taking_the_role_away_keeps_the_account_and_reports(qiantang):
    reporter = Reporter.objects.get(user__username="lianluo")
    written = OpinionReport.objects.filter(submitted_by=reporter.user).count()
    client_for("xinxi").post("/opinions/staff/reporters/", {"remove": reporter.pk})
    assert not Reporter.objects.filter(pk=reporter.pk).exists()
    assert not Membership.objects.filter(user=reporter.user, role=Role.REPORTER).exists()
    assert OpinionReport.objects.filter(submitted_by=reporter.user).count() == written > 0
    assert client_for("lianluo").get("/opinions/").status_code == 403
