import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.core import events
from lvzhi.meetings import services as ms
from lvzhi.org.models import Member, Session
from lvzhi.proposals import services as ps
from lvzhi.proposals.models import Category, CoSigner
from tests.conftest import user


def member(committee, name: str) -> Member:
    return Member.objects.get(committee=committee, name=name)


def meeting(committee, kind="plenary", title="一届二次会议第一次全体会议"):
    """A published meeting of `kind`, open for check-in now, with the whole committee invited."""
    now = timezone.now()
    m = ms.meeting_create(
        committee=committee,
        by=user("huiwu"),
        kind=kind,
        title=title,
        session=Session.objects.get(committee=committee, number=1),
        place="钱塘区行政中心大会堂",
        starts_at=now + dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=3),
        doors_open_at=now - dt.timedelta(minutes=30),
        self_checkin=True,
    )
    ms.meeting_invite(meeting=m, by=user("huiwu"), members=Member.objects.filter(committee=committee, state="active"))
    ms.meeting_publish(meeting=m, by=user("huiwu"))
    m.refresh_from_db()
    return m


@pytest.fixture
def plenary(qiantang):
    return meeting(qiantang)


def joint_proposal(committee, *, file=True):
    """朱政's proposal co-signed by 徐钢 (confirmed), submitted and filed."""
    p = ps.proposal_create(
        committee=committee,
        by=user("zhuzheng"),
        lead=member(committee, "朱政"),
        kind="joint",
        title="关于建设钱塘科创走廊公共实验平台的建议",
        category=Category.objects.get(committee=committee, name="科技创新"),
        problem="中小企业缺少共享的实验设备。",
        analysis="设备分散在高校和大企业,开放共享机制不健全。",
        suggestion="一是建设公共实验平台;二是完善开放共享补贴。",
    )
    (cosigner,) = ps.cosigner_invite(proposal=p, members=[member(committee, "徐钢")], by=user("zhuzheng"))
    ps.cosigner_respond(cosigner=CoSigner.objects.get(pk=cosigner.pk), by=user("xugang"), confirm=True)
    ps.proposal_submit(proposal=p, by=user("zhuzheng"))
    if file:
        ps.proposal_file(proposal=p, by=user("tiwei"))
    p.refresh_from_db()
    return p


def contract_event(committee, action, members, *, lead=None, **data):
    """A synthetic event of a capability that lands later (opinions, consultations, activities)."""
    subject = members[0]
    return events.record(
        subject=subject,
        action=action,
        committee=committee,
        data={"members": [m.pk for m in members], "lead": lead.pk if lead else None, **data},
    )
