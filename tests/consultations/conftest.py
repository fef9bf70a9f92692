"""Fixtures of the consultation tests: a held consultation of the approved demo plan with its outcome
(three recommendations: 1 → 区发展和改革局 (fgj), 2 → 区教育局 (jyj), 3 → both), sent to the departments."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.consultations import services as s
from lvzhi.consultations.models import Plan, Recommendation
from lvzhi.org.models import HandlingUnit, Member
from tests.conftest import user


def unit(committee, name):
    return HandlingUnit.objects.get(committee=committee, name=name)


def member(committee, username):
    return Member.objects.get(committee=committee, user__username=username)


def rec(outcome, number) -> Recommendation:
    return Recommendation.objects.get(outcome=outcome, number=number)


def make_consultation(committee, *, kind="themed", held=True, invite=("zhuzheng",), **extra):
    plan = Plan.objects.get(committee=committee, year=2026)
    topic = plan.topics.filter(kind=kind).first() if kind != "ad hoc" else None
    args = {"held_on": timezone.localdate(), **extra}
    if topic is None:
        args.setdefault("title", "临时协商")
        args.setdefault("kind", "themed")
    c = s.consultation_create(committee=committee, by=user("zhuanwei"), topic=topic, **args)
    s.invite(consultation=c, by=user("zhuanwei"), members=[member(committee, u) for u in invite])
    if held:
        s.consultation_act(consultation=c, by=user("zhuanwei"), action="hold")
        c.refresh_from_db()
    return c


def make_outcome(committee, *, send=True):
    c = make_consultation(committee)
    o = s.outcome_create(
        committee=committee,
        by=user("zhuanwei"),
        consultation=c,
        title="测试协商成果",
        summary="成果报告正文。",
        drafters=[member(committee, "zhuzheng")],
    )
    fgj, jyj = unit(committee, "区发展和改革局"), unit(committee, "区教育局")
    s.recommendation_save(outcome=o, by=user("zhuanwei"), text="建议一", units=[fgj])
    s.recommendation_save(outcome=o, by=user("zhuanwei"), text="建议二", units=[jyj])
    s.recommendation_save(outcome=o, by=user("zhuanwei"), text="建议三", units=[fgj, jyj])
    if send:
        s.outcome_send(outcome=o, by=user("zhuanwei"))
        o.refresh_from_db()
    return o


@pytest.fixture
def outcome(qiantang):
    return make_outcome(qiantang)


@pytest.fixture
def online(qiantang):
    now = timezone.now()
    return make_consultation(
        qiantang, kind="online", held=False, invite=("zhuzheng",),
        opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(hours=5),
    )  # fmt: skip
