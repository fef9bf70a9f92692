"""The demo: the reporter account, reports in every state, an issue, a report adopted at city level with
an instruction; loading it again keeps everything as it is."""

import pytest

from lvzhi.accounts.models import User
from lvzhi.core.roles import Role
from lvzhi.opinions import demo
from lvzhi.opinions.models import Adoption, BulletinIssue, Instruction, OpinionReport, Reporter
from lvzhi.opinions.workflow import REPORT
from lvzhi.org.models import Membership

pytestmark = pytest.mark.django_db


def test_demo_reporter_and_reports(qiantang, hangzhou):
    user = User.objects.get(username="lianluo")
    assert user.check_password("Qiantang@2021")
    assert Membership.objects.filter(user=user, committee=qiantang, role=Role.REPORTER).exists()
    assert Reporter.objects.get(user=user).contact_point is not None
    states = set(OpinionReport.objects.filter(committee=qiantang).values_list("state", flat=True))
    assert states >= set(REPORT.states) - {"receive"}
    assert BulletinIssue.objects.filter(committee=qiantang).count() == 1
    copy = OpinionReport.objects.get(committee=hangzhou, forwarded_from__committee=qiantang)
    assert Adoption.objects.get(root=copy.root, level="city").committee == hangzhou
    assert Instruction.objects.filter(root=copy.root, level="city").exists()


def test_loading_again_changes_nothing(qiantang):
    before = (OpinionReport.objects.count(), Adoption.objects.count(), BulletinIssue.objects.count())
    demo.load(qiantang)
    assert (OpinionReport.objects.count(), Adoption.objects.count(), BulletinIssue.objects.count()) == before
