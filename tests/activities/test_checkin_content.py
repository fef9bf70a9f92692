"""Check-in through the meetings services (counted once, closing marks the absent), reports (authors,
event, refusals), photos (type and size checked) and outcomes; reading records."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lvzhi.activities import services as s
from lvzhi.activities import services_content as content
from lvzhi.activities import services_reading as reading
from lvzhi.activities.models import ActivityReport, Book, Outcome, Photo, ReadingGroup, ReadingRecord
from lvzhi.core.models import Event
from lvzhi.core.workflow import TransitionRefused
from lvzhi.meetings import services as meetings
from lvzhi.meetings.models import Invitation, Meeting
from tests.conftest import user

from .conftest import make_activity, member, members_with_accounts

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


def running(committee, **values):
    """An activity that started 10 minutes ago (check-in open)."""
    now = timezone.now()
    return make_activity(
        committee,
        starts_at=now - dt.timedelta(minutes=10),
        ends_at=now + dt.timedelta(hours=2),
        signup_deadline=now - dt.timedelta(minutes=20),
        **values,
    )


@pytest.fixture
def live(qiantang):
    """A running activity with 朱政 and two others confirmed (signed up before the deadline)."""
    now = timezone.now()
    activity = make_activity(
        qiantang,
        starts_at=now + dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=2),
        signup_deadline=now + dt.timedelta(minutes=20),
        capacity=3,
    )
    team = [member("zhuzheng"), *members_with_accounts(qiantang, 2)]
    for m in team:
        s.sign_up(activity=activity, member=m, by=m.user)
    activity.refresh_from_db()
    return activity, team


def _started(activity):
    """Move the activity's start into the past (as if the clock had moved on)."""
    now = timezone.now()
    type(activity).objects.filter(pk=activity.pk).update(starts_at=now - dt.timedelta(minutes=5))
    activity.refresh_from_db()
    return activity


def test_check_in_by_qr_and_by_code_counts_once(live):
    activity, (zhu, a, b) = live
    meeting = Meeting.objects.get(pk=activity.meeting_id)
    invitation = Invitation.objects.select_related("member", "meeting").get(meeting=meeting, member=zhu)
    token = meetings.qr_token(invitation)
    first = meetings.check_in_by_qr(meeting=meeting, token=token, by=user("huiwu"))
    again = s.self_check_in(activity=activity, member=zhu, code=meeting.checkin_code, by=zhu.user)
    assert first.first and not again.first
    assert Event.objects.filter(action="attendance.check_in", subject_id=invitation.pk).count() == 1
    event = Event.objects.get(action="attendance.check_in", subject_id=invitation.pk)
    assert event.data["kind"] == "activity" and event.data["meeting"] == meeting.pk


def test_a_waitlisted_member_cannot_check_in(qiantang):
    now = timezone.now()
    activity = make_activity(
        qiantang,
        capacity=1,
        starts_at=now + dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=2),
        signup_deadline=now + dt.timedelta(minutes=20),
    )
    a, b = members_with_accounts(qiantang, 2)
    s.sign_up(activity=activity, member=a, by=a.user)
    s.sign_up(activity=activity, member=b, by=b.user)
    with pytest.raises(TransitionRefused, match="候补"):
        s.self_check_in(activity=activity, member=b, code=activity.meeting.checkin_code, by=b.user)
    assert not Event.objects.filter(action="attendance.check_in", data__meeting=activity.meeting_id).exists()


def test_a_wrong_code_is_refused(live):
    activity, (zhu, *_) = live
    wrong = "000000" if activity.meeting.checkin_code != "000000" else "111111"
    with pytest.raises(TransitionRefused, match="签到码不正确"):
        s.self_check_in(activity=activity, member=zhu, code=wrong, by=zhu.user)
    assert Invitation.objects.get(meeting_id=activity.meeting_id, member=zhu).state == "invited"


def test_closing_marks_the_confirmed_who_did_not_come_absent(live):
    activity, (zhu, a, b) = live
    s.self_check_in(activity=activity, member=zhu, code=activity.meeting.checkin_code, by=zhu.user)
    with pytest.raises(TransitionRefused, match="尚未开始"):
        s.activity_close(activity=activity, by=user("zhuanwei"))
    activity = _started(activity)
    s.activity_close(activity=activity, by=user("zhuanwei"))
    states = dict(Invitation.objects.filter(meeting_id=activity.meeting_id).values_list("member_id", "state"))
    assert states == {zhu.pk: "present", a.pk: "absent", b.pk: "absent"}
    assert Meeting.objects.get(pk=activity.meeting_id).state == "closed"
    assert Event.objects.filter(action="attendance.mark_absent", data__meeting=activity.meeting_id).count() == 2


# --------------------------------------------------------------------------- reports


def test_a_report_credits_its_authors(live):
    activity, (zhu, a, _b) = _started(live[0]), live[1]
    report = content.report_submit(
        activity=activity,
        member=zhu,
        by=zhu.user,
        title="海塘视察报告",
        text="海塘工程进展顺利,建议加强汛期巡查和应急物资储备,完善沿线生态修复。" * 2,
        coauthors=[a],
        files=[SimpleUploadedFile("报告.pdf", PDF)],
    )
    assert set(report.authors.all()) == {zhu, a} and report.files.count() == 1
    event = Event.objects.get(action="activity.report_submitted", subject_id=report.pk)
    assert event.data["members"] == [zhu.pk, a.pk] and event.data["lead"] == zhu.pk


def test_report_refusals_change_nothing(live, qiantang):
    activity, (zhu, a, b) = live
    text = "海塘工程进展顺利,建议加强汛期巡查和应急物资储备。" * 2
    with pytest.raises(TransitionRefused, match="开始后"):
        content.report_submit(activity=activity, member=zhu, by=zhu.user, title="报告", text=text)
    activity = _started(activity)
    stranger = members_with_accounts(qiantang, 5)[4]
    with pytest.raises(TransitionRefused, match="报名成功"):
        content.report_submit(activity=activity, member=stranger, by=stranger.user, title="报告", text=text)
    with pytest.raises(ValidationError) as exc:
        content.report_submit(activity=activity, member=zhu, by=zhu.user, title="报告", text=text, coauthors=[stranger])
    assert stranger.name in str(exc.value)
    with pytest.raises(ValidationError, match="太短"):
        content.report_submit(activity=activity, member=zhu, by=zhu.user, title="报告", text="很好")
    with pytest.raises(ValidationError, match="文件类型不能上传"):
        content.report_submit(
            activity=activity,
            member=zhu,
            by=zhu.user,
            title="报告",
            text=text,
            files=[SimpleUploadedFile("a.exe", PDF)],
        )
    with pytest.raises(PermissionDenied):
        content.report_submit(activity=activity, member=zhu, by=a.user, title="报告", text=text)
    assert not ActivityReport.objects.filter(activity=activity).exists()
    content.report_submit(activity=activity, member=zhu, by=zhu.user, title="报告", text=text)
    with pytest.raises(TransitionRefused, match="已提交过"):
        content.report_submit(activity=activity, member=zhu, by=zhu.user, title="报告二", text=text)
    assert ActivityReport.objects.filter(activity=activity).count() == 1
    assert Event.objects.filter(action="activity.report_submitted", data__activity=activity.pk).count() == 1


# --------------------------------------------------------------------------- photos and outcomes


def test_photos_are_checked(live, qiantang):
    activity, (zhu, a, b) = live
    activity = _started(activity)
    photo = content.photo_add(
        activity=activity, by=zhu.user, upload=SimpleUploadedFile("现场.jpg", JPEG), caption="现场", member=zhu
    )
    assert photo.file.name.endswith(".jpg") and "现场" not in photo.file.name
    for upload, message in (
        (SimpleUploadedFile("fake.png", b"GIF89a" + b"0" * 40), "不是真正的 PNG 文件"),
        (SimpleUploadedFile("doc.pdf", PDF), "文件类型不能上传"),
        (SimpleUploadedFile("empty.png", b""), "空文件"),
    ):
        with pytest.raises(ValidationError, match=message):
            content.photo_add(activity=activity, by=zhu.user, upload=upload, member=zhu)
    qiantang.config = {"activities.photo_max_mb": 0}
    qiantang.save()
    activity.refresh_from_db()
    with pytest.raises(ValidationError, match="超过了 0 MB"):
        content.photo_add(activity=activity, by=zhu.user, upload=SimpleUploadedFile("big.png", PNG), member=zhu)
    stranger = members_with_accounts(qiantang, 5)[4]
    qiantang.config = {}
    qiantang.save()
    activity.refresh_from_db()
    with pytest.raises(TransitionRefused, match="报名成功"):
        content.photo_add(activity=activity, by=stranger.user, upload=SimpleUploadedFile("a.png", PNG), member=stranger)
    assert Photo.objects.filter(activity=activity).count() == 1


def test_outcomes_by_staff(live):
    activity, _team = live
    with pytest.raises(ValidationError, match="摘要或上传"):
        content.outcome_add(activity=activity, by=user("zhuanwei"), kind="research", title="调研报告")
    with pytest.raises(ValidationError, match="不是真正的 PDF"):
        content.outcome_add(
            activity=activity,
            by=user("zhuanwei"),
            kind="research",
            title="调研报告",
            upload=SimpleUploadedFile("x.pdf", b"not a pdf at all"),
        )
    outcome = content.outcome_add(
        activity=activity,
        by=user("zhuanwei"),
        kind="research",
        title="调研报告",
        upload=SimpleUploadedFile("调研报告.pdf", PDF),
    )
    assert outcome.name == "调研报告" and Outcome.objects.filter(activity=activity).count() == 1


# --------------------------------------------------------------------------- reading


def test_a_reading_record_is_an_event_crediting_the_member(qiantang):
    zhu = member("zhuzheng")
    book = reading.book_add(committee=qiantang, by=user("office"), title="论语译注", author="杨伯峻")
    group = reading.group_save(committee=qiantang, by=user("office"), name="测试读书组", convener=zhu, members=[zhu])
    record = reading.record_add(
        member=zhu, by=zhu.user, book=book, group=group, read_on=timezone.localdate(), notes="温故而知新,可以为师矣。"
    )
    event = Event.objects.get(action="reading.recorded", subject_id=record.pk)
    assert event.data["members"] == [zhu.pk] and event.data["lead"] == zhu.pk


def test_reading_refusals(qiantang):
    zhu = member("zhuzheng")
    other = members_with_accounts(qiantang, 1)[0]
    book = Book.objects.filter(committee=qiantang).first()
    group = ReadingGroup.objects.filter(committee=qiantang).exclude(members=zhu).first()
    n = ReadingRecord.objects.count()
    with pytest.raises(ValidationError) as exc:
        reading.record_add(
            member=zhu,
            by=zhu.user,
            book=book,
            group=group,
            read_on=timezone.localdate() + dt.timedelta(days=1),
            notes="好",
        )
    assert set(exc.value.message_dict) == {"read_on", "notes", "group"}
    with pytest.raises(PermissionDenied):
        reading.record_add(
            member=zhu, by=other.user, book=book, read_on=timezone.localdate(), notes="读后很有收获,受益匪浅。"
        )
    reading.record_add(
        member=zhu, by=zhu.user, book=book, read_on=timezone.localdate(), notes="读后很有收获,受益匪浅。"
    )
    with pytest.raises(ValidationError, match="已记录过"):
        reading.record_add(
            member=zhu, by=zhu.user, book=book, read_on=timezone.localdate(), notes="再读一遍,仍有收获。"
        )
    assert ReadingRecord.objects.count() == n + 1
    with pytest.raises(ValidationError, match="召集人须是本组的组员"):
        reading.group_save(committee=qiantang, by=user("office"), name="新组", convener=zhu, members=[other])
    with pytest.raises(ValidationError, match="书目中已有"):
        reading.book_add(committee=qiantang, by=user("office"), title=book.title, author=book.author)
