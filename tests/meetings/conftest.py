import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.meetings import services as s
from lvzhi.org.models import Member, Session
from tests.conftest import user


@pytest.fixture
def plenary(qiantang):
    """A plenary of the first session, open for check-in now, with the whole committee invited."""
    now = timezone.now()
    meeting = s.meeting_create(
        committee=qiantang,
        by=user("huiwu"),
        kind="plenary",
        title="一届一次会议第一次全体会议",
        session=Session.objects.get(committee=qiantang, number=1),
        place="钱塘区行政中心大会堂",
        starts_at=now + dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=3),
        doors_open_at=now - dt.timedelta(minutes=30),
        registration_required=True,
        materials=["会议指南", "出席证"],
        commitment_text="我承诺严格遵守会议纪律。",
        self_checkin=True,
    )
    s.meeting_invite(
        meeting=meeting, by=user("huiwu"), members=Member.objects.filter(committee=qiantang, state="active")
    )
    s.meeting_publish(meeting=meeting, by=user("huiwu"))
    meeting.refresh_from_db()
    return meeting
