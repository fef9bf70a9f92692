import pytest

from lvzhi.org.models import HandlingUnit, Member
from lvzhi.proposals import services as s
from lvzhi.proposals.models import Category
from tests.conftest import user


def member(committee, name: str) -> Member:
    return Member.objects.get(committee=committee, name=name)


def unit(committee, name: str) -> HandlingUnit:
    return HandlingUnit.objects.get(committee=committee, name=name)


@pytest.fixture
def draft(qiantang):
    """朱政's draft on science and innovation, as the seed reports it."""
    return s.proposal_create(
        committee=qiantang,
        by=user("zhuzheng"),
        lead=member(qiantang, "朱政"),
        title="关于着力构建开放型区域创新体系的建议",
        category=Category.objects.get(committee=qiantang, name="科技创新"),
        problem="企业创新主体作用发挥不充分,区域创新资源分散。",
        analysis="研发投入集中在少数企业,产学研协同机制不健全。",
        suggestion="一是发挥企业创新主体作用;二是构建开放型区域创新体系;三是完善科技金融服务。",
    )


@pytest.fixture
def filed(draft):
    s.proposal_submit(proposal=draft, by=user("zhuzheng"))
    s.proposal_file(proposal=draft, by=user("tiwei"))
    draft.refresh_from_db()
    return draft
