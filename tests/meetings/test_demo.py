"""The demo meetings: the seed's first plenary of July 2021 as the services recorded it, a standing-committee
meeting, and next week's themed meeting open for registration."""

import datetime as dt

from django.utils import timezone

from lvzhi.core.models import Event
from lvzhi.meetings import demo, queries
from lvzhi.meetings.models import Invitation, LeaveRequest, Meeting, Speech
from lvzhi.org.models import Member


def _plenary(qiantang):
    return Meeting.objects.for_committee(qiantang).get(kind="plenary", session__number=1)


def test_the_first_plenary_has_196_of_205_present(qiantang):
    meeting = _plenary(qiantang)
    assert meeting.state == "closed"
    assert timezone.localtime(meeting.starts_at).date() == dt.date(2021, 7, 19)
    counts = queries.attendance(meeting)
    assert counts == {
        "invited": 205,
        "registered": 196,
        "on_leave": 6,
        "present": 196,
        "absent": 3,
        "not_arrived": 0,
    }
    assert Member.objects.for_committee(qiantang).filter(state="active").count() == counts["invited"]


def test_check_ins_happened_between_half_past_one_and_two_and_are_events(qiantang):
    meeting = _plenary(qiantang)
    present = meeting.invitations.filter(state="present")
    times = [timezone.localtime(t) for t in present.values_list("checked_in_at", flat=True)]
    assert min(times) >= timezone.make_aware(dt.datetime(2021, 7, 19, 13, 30))
    assert max(times) <= timezone.make_aware(dt.datetime(2021, 7, 19, 14, 0))
    ids = list(meeting.invitations.values_list("pk", flat=True))
    checkins = Event.objects.filter(action="attendance.check_in", subject_id__in=ids)
    assert checkins.count() == 196  # one event per check-in
    assert {timezone.localtime(e.created_at).date() for e in checkins} == {dt.date(2021, 7, 19)}
    assert Event.objects.filter(action="attendance.mark_absent", subject_id__in=ids).count() == 3
    assert Event.objects.filter(action="attendance.leave", subject_id__in=ids).count() == 6
    methods = set(present.values_list("checkin_method", flat=True))
    assert methods == {"qr", "code", "desk"}


def test_registrations_carry_the_materials_and_the_signed_letter(qiantang):
    meeting = _plenary(qiantang)
    assert meeting.materials == ["会议指南", "出席证"] and meeting.commitment_text
    for inv in meeting.invitations.filter(registered_at__isnull=False).select_related("member"):
        assert inv.materials_received == ["会议指南", "出席证"]
        assert inv.commitment_signed_name == inv.member.name
        assert inv.registered_at < inv.checked_in_at
    zhu = Invitation.objects.get(meeting=meeting, member__name="朱政")
    assert zhu.state == "present" and zhu.group and zhu.group.room


def test_groups_by_sector_keep_each_sector_together(qiantang):
    meeting = _plenary(qiantang)
    assert meeting.groups.count() == 6
    pairs = set(meeting.invitations.values_list("member__sector_id", "group_id"))
    sectors = {sector for sector, _g in pairs}
    assert len(pairs) == len(sectors)  # each sector in exactly one group
    assert all(g.convener_id and g.room for g in meeting.groups.all())
    zhu_group = Invitation.objects.get(meeting=meeting, member__name="朱政").group
    assert zhu_group.minutes
    minutes = Event.objects.get(action="meeting.group_minutes", subject_id=zhu_group.pk)
    assert "朱政" in minutes.data["names"]


def test_leave_one_late_and_one_refused(qiantang):
    meeting = _plenary(qiantang)
    leaves = LeaveRequest.objects.filter(invitation__meeting=meeting)
    assert leaves.filter(state="approved").count() == 6
    assert leaves.filter(state="approved", late=True).count() == 1
    refused = leaves.get(state="refused")
    assert refused.invitation.state == "present"  # came after all


def test_the_seeds_three_speak_in_order(qiantang):
    meeting = _plenary(qiantang)
    selected = Speech.objects.filter(meeting=meeting, state="selected").order_by("order")
    assert [(s.member.name, s.order) for s in selected] == [("朱政", 1), ("徐钢", 2), ("茅徐程", 3)]
    assert "创新" in selected[0].title and "未来乡村" in selected[1].title and "文创" in selected[2].title
    assert Speech.objects.filter(meeting=meeting, state="written").count() == 3
    assert Speech.objects.filter(meeting=meeting, state="declined").count() == 1


def test_the_standing_committee_meeting(qiantang):
    meeting = Meeting.objects.for_committee(qiantang).get(kind="standing")
    counts = queries.attendance(meeting)
    standing = Member.objects.for_committee(qiantang).filter(is_standing=True).count()
    assert (counts["invited"], counts["present"], counts["on_leave"], counts["absent"]) == (
        standing,
        standing - 2,
        1,
        1,
    )
    assert meeting.state == "closed"


def test_next_weeks_meeting_is_open_for_zhuzheng_and_xugang(qiantang):
    meeting = Meeting.objects.for_committee(qiantang).get(kind="themed_standing")
    assert meeting.state == "published" and meeting.registration_required
    assert meeting.starts_at > timezone.now() + dt.timedelta(days=5)
    for name in ("朱政", "徐钢"):
        member = Member.objects.get(committee=qiantang, name=name)
        assert meeting in queries.my_meetings(qiantang, member)
        assert Invitation.objects.get(meeting=meeting, member=member).state == "invited"
    assert meeting.invitations.filter(state="registered").count() == 5
    assert meeting.agenda.count() == 4
    # the members were told in the app
    zhu = Member.objects.get(committee=qiantang, name="朱政").user
    assert zhu.notifications.filter(title__contains=meeting.title).exists()


def test_meetings_of_another_committee_are_not_there(hangzhou):
    assert not Meeting.objects.for_committee(hangzhou).exists()


def test_loading_again_adds_nothing(qiantang, django_assert_max_num_queries):
    before = (Meeting.objects.count(), Invitation.objects.count(), Event.objects.count())
    with django_assert_max_num_queries(2):
        demo.load(qiantang)
    assert (Meeting.objects.count(), Invitation.objects.count(), Event.objects.count()) == before
