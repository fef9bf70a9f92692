"""Leave requests (请假审批): pending ones with late ones flagged, approve, refuse with a reason."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.core.models import Event
from lvzhi.meetings import services as s
from lvzhi.meetings.models import Invitation, LeaveRequest
from lvzhi.org.models import Member
from tests.conftest import client_for, user


def inv(meeting, name):
    return Invitation.objects.select_related("member").get(meeting=meeting, member__name=name)


def url(meeting, leave=None):
    base = f"/meetings/staff/{meeting.pk}/leave/"
    return base if leave is None else f"{base}{leave.pk}/decide/"


@pytest.fixture
def huiwu(db):
    return client_for("huiwu")


@pytest.fixture
def late_leave(plenary):
    """The plenary's doors are open, so 徐钢's request is late."""
    return s.leave_request(invitation=inv(plenary, "徐钢"), by=user("xugang"), reason="出差在外,无法参会")


@pytest.fixture
def early(qiantang):
    now = timezone.now()
    meeting = s.meeting_create(
        committee=qiantang,
        by=user("huiwu"),
        kind="standing",
        title="常委会议",
        place="二楼会议室",
        starts_at=now + dt.timedelta(days=2),
        ends_at=now + dt.timedelta(days=2, hours=2),
        doors_open_at=now + dt.timedelta(days=2, minutes=-30),
    )
    s.meeting_invite(
        meeting=meeting, by=user("huiwu"), members=Member.objects.filter(committee=qiantang, name__in=["朱政", "徐钢"])
    )
    s.meeting_publish(meeting=meeting, by=user("huiwu"))
    return meeting


def test_pending_requests_are_listed_and_late_ones_flagged(plenary, late_leave, early, huiwu):
    on_time = s.leave_request(invitation=inv(early, "朱政"), by=user("zhuzheng"), reason="住院治疗")
    assert late_leave.late and not on_time.late
    page = huiwu.get(url(plenary)).content.decode()
    assert "徐钢" in page and "出差在外,无法参会" in page
    assert f'<tr data-leave="{late_leave.pk}" class="md-late">' in page and 'data-testid="late"' in page
    page = huiwu.get(url(early)).content.decode()
    assert "住院治疗" in page and f'<tr data-leave="{on_time.pk}">' in page and 'data-testid="late"' not in page
    assert "出差在外" not in page  # only this meeting's requests


def test_approving_puts_the_member_on_leave(plenary, late_leave, huiwu):
    response = huiwu.post(url(plenary, late_leave), {"decision": "approve"}, follow=True)
    page = response.content.decode()
    assert "已批准 徐钢 请假" in page
    late_leave.refresh_from_db()
    assert late_leave.state == "approved" and late_leave.decided_at is not None
    assert inv(plenary, "徐钢").state == "on_leave"
    assert Event.objects.filter(action="leave.approve", subject_id=late_leave.pk, actor=user("huiwu")).exists()
    assert Event.objects.filter(action="attendance.leave", subject_id=inv(plenary, "徐钢").pk).count() == 1
    decided = page.split('data-testid="leave-decided"', 1)[1]
    assert "徐钢" in decided and "已准假" in decided
    assert 'data-testid="leave-none"' in page


def test_refusing_needs_a_reason(plenary, late_leave, huiwu):
    page = huiwu.post(url(plenary, late_leave), {"decision": "refuse", "reason": "  "}, follow=True).content.decode()
    assert "需要填写理由" in page
    late_leave.refresh_from_db()
    assert late_leave.state == "pending" and late_leave.decided_at is None
    assert not Event.objects.filter(action__startswith="leave.", subject_id=late_leave.pk).exists()
    assert inv(plenary, "徐钢").state == "invited"


def test_refusing_with_a_reason_keeps_the_member_invited(plenary, late_leave, huiwu):
    page = huiwu.post(
        url(plenary, late_leave), {"decision": "refuse", "reason": "全体会议原则上不准假"}, follow=True
    ).content.decode()
    late_leave.refresh_from_db()
    assert late_leave.state == "refused"
    assert inv(plenary, "徐钢").state == "invited"
    event = Event.objects.get(action="leave.refuse", subject_id=late_leave.pk)
    assert event.reason == "全体会议原则上不准假"
    decided = page.split('data-testid="leave-decided"', 1)[1]
    assert "未准假" in decided and "全体会议原则上不准假" in decided


def test_a_decided_request_cannot_be_decided_again(plenary, late_leave, huiwu):
    huiwu.post(url(plenary, late_leave), {"decision": "approve"})
    page = huiwu.post(url(plenary, late_leave), {"decision": "refuse", "reason": "改主意"}, follow=True)
    assert "不能执行此操作" in page.content.decode()
    late_leave.refresh_from_db()
    assert late_leave.state == "approved"
    assert not Event.objects.filter(action="leave.refuse", subject_id=late_leave.pk).exists()


def test_an_unknown_decision_changes_nothing(plenary, late_leave, huiwu):
    page = huiwu.post(url(plenary, late_leave), {"decision": "maybe"}, follow=True).content.decode()
    assert "请选择批准或不准假" in page
    late_leave.refresh_from_db()
    assert late_leave.state == "pending"


@pytest.mark.parametrize("name", ["zhuzheng", "fgj"])
def test_members_and_units_may_not_decide(plenary, late_leave, name):
    client = client_for(name)
    assert client.get(url(plenary)).status_code == 403
    assert client.post(url(plenary, late_leave), {"decision": "approve"}).status_code == 403
    late_leave.refresh_from_db()
    assert late_leave.state == "pending"


def test_another_committee_gets_not_found(plenary, late_leave):
    client = client_for("hz_office")
    assert client.get(url(plenary)).status_code == 404
    assert client.post(url(plenary, late_leave), {"decision": "approve"}).status_code == 404
    late_leave.refresh_from_db()
    assert late_leave.state == "pending"


def test_a_request_of_another_meeting_is_not_found_here(plenary, early, huiwu):
    other = s.leave_request(invitation=inv(early, "朱政"), by=user("zhuzheng"), reason="住院治疗")
    assert huiwu.post(url(plenary, other), {"decision": "approve"}).status_code == 404
    assert LeaveRequest.objects.get(pk=other.pk).state == "pending"
