import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.opinions import services as s
from lvzhi.opinions.models import OpinionReport
from lvzhi.org.models import Member
from tests.conftest import user

SITUATION = "钱塘新区多个地铁站出口周边电动自行车乱停乱放,早晚高峰时段占用盲道和人行道,行人通行困难。"
SUGGESTION = "一是在地铁口设置电子围栏停放区;二是增加高峰时段巡查;三是督促共享单车企业及时调度清运。"


def member(committee, name: str) -> Member:
    return Member.objects.get(committee=committee, name=name)


def write(committee, username="zhuzheng", *, submit=True, co=(), **values) -> OpinionReport:
    values = {
        "title": "关于规范地铁口电动自行车停放的建议",
        "topic": "社会治理",
        "situation": SITUATION,
        "suggestion": SUGGESTION,
        **values,
    }
    report = s.draft_save(committee=committee, by=user(username), values=values, co_authors=list(co))
    if submit:
        s.report_submit(report=report, by=user(username))
        report.refresh_from_db()
    return report


def published(committee, username="zhuzheng", **values) -> OpinionReport:
    report = write(committee, username, **values)
    issue = s.issue_create(committee=committee, by=user("xinxi"))
    s.issue_publish(issue=issue, reports=[report], by=user("xinxi"))
    report.refresh_from_db()
    return report


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def report(qiantang):
    return write(qiantang)


FORM_VALUES = {
    "title": "关于增设社区老年食堂的建议",
    "topic": "社会民生",
    "situation": SITUATION,
    "suggestion": SUGGESTION,
}
