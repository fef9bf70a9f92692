import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.activities import services as s
from lvzhi.org.models import Member
from tests.conftest import user


def make_activity(committee, *, by="zhuanwei", publish=True, **values):
    now = timezone.now()
    defaults = dict(
        kind="inspection",
        title="海塘工程视察(测试)",
        place="钱塘江海塘",
        starts_at=now + dt.timedelta(days=3),
        ends_at=now + dt.timedelta(days=3, hours=3),
        signup_deadline=now + dt.timedelta(days=2),
        capacity=2,
    )
    defaults.update(values)
    activity = s.activity_create(committee=committee, by=user(by), **defaults)
    if publish:
        s.activity_publish(activity=activity, by=user(by))
    activity.refresh_from_db()
    return activity


def members_with_accounts(committee, n, *, exclude=("zhuzheng", "xugang", "maoxucheng")):
    qs = (
        Member.objects.filter(committee=committee, state="active", user__isnull=False)
        .exclude(user__username__in=exclude)
        .select_related("user")
        .order_by("pk")
    )
    return list(qs[:n])


def member(username):
    return Member.objects.select_related("user").get(user__username=username, committee__name="杭州市钱塘区政协")


@pytest.fixture
def activity(qiantang):
    return make_activity(qiantang)
