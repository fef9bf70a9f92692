"""The rules of public-opinion reports, through the services: writing, the length limit, attachments,
editing with the original kept, combining, publishing with numbered issues, forwarding once, adoption
once per level, instructions, and who may do what. Every refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.core.models import Event, Notification
from lvzhi.core.workflow import TransitionRefused
from lvzhi.opinions import services as s
from lvzhi.opinions.models import Adoption, Attachment, BulletinIssue, Instruction, OpinionReport, ReportAuthor
from tests.conftest import user

from .conftest import SITUATION, member, published, today, write

pytestmark = pytest.mark.django_db


def test_a_member_writes_and_submits_as_lead_author(qiantang):
    report = write(qiantang, co=[member(qiantang, "徐钢")])
    assert report.state == "submitted"
    assert [a.member.name for a in report.author_rows.all()] == ["朱政", "徐钢"]
    assert report.original_situation == SITUATION and report.submitted_at
    assert Event.objects.filter(action="opinion.submit", subject_id=report.pk).exists()


def test_a_reporter_writes_for_the_contact_point(qiantang):
    report = write(qiantang, "lianluo", resident_name="王阿姨", resident_phone="13812345678")
    assert report.source == "contact_point" and report.contact_point is not None
    assert report.contact_point == s.reporter_of(qiantang, user("lianluo")).contact_point
    assert not report.author_rows.exists()


def test_too_long_text_is_refused_and_nothing_is_saved(qiantang):
    before = OpinionReport.objects.count()
    with pytest.raises(ValidationError) as exc:
        write(qiantang, situation="情" * 1000, suggestion="议" * 501)
    assert "1501" in str(exc.value) and "1500" in str(exc.value)
    assert OpinionReport.objects.count() == before


def test_the_limit_is_a_committee_setting(qiantang):
    qiantang.config = {"opinions.max_chars": 50}
    qiantang.save()
    with pytest.raises(ValidationError):
        write(qiantang)


def test_submitting_without_a_suggestion_is_refused(qiantang):
    report = write(qiantang, submit=False, suggestion="")
    with pytest.raises(ValidationError):
        s.report_submit(report=report, by=user("zhuzheng"))
    report.refresh_from_db()
    assert report.state == "draft"


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("virus.exe", b"MZ\x90\x00", "文件类型不能上传"),
        ("fake.pdf", b"MZ\x90\x00not a pdf", "内容与它的文件类型不符"),
        ("empty.pdf", b"", "空文件"),
    ],
)
def test_a_bad_attachment_is_refused_and_nothing_is_saved(qiantang, name, content, message):
    before = (OpinionReport.objects.count(), Attachment.objects.count())
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as exc:
        s.draft_save(
            committee=qiantang, by=user("zhuzheng"), values={"title": "标题", "situation": "情况"}, uploads=[upload]
        )
    assert message in str(exc.value)
    assert (OpinionReport.objects.count(), Attachment.objects.count()) == before


def test_a_too_big_attachment_is_refused(qiantang):
    qiantang.config = {"opinions.attachment_max_mb": 1}
    qiantang.save()
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 10))
    with pytest.raises(ValidationError, match="超过了 1 MB"):
        s.draft_save(committee=qiantang, by=user("zhuzheng"), values={"title": "标题"}, uploads=[upload])


def test_a_good_attachment_is_stored(qiantang):
    upload = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    report = s.draft_save(committee=qiantang, by=user("zhuzheng"), values={"title": "标题"}, uploads=[upload])
    att = report.attachments.get()
    assert att.name == "photo.png" and att.size == 108 and att.content_type == "image/png"


def test_only_the_writer_changes_a_draft(qiantang):
    report = write(qiantang, submit=False)
    with pytest.raises(PermissionDenied):
        s.draft_save(committee=qiantang, by=user("xugang"), values={"title": "改"}, report=report)
    with pytest.raises(PermissionDenied):
        s.report_submit(report=report, by=user("xugang"))


def test_staff_edit_keeps_the_original_and_records_what_changed(qiantang, report):
    changed = s.report_edit(report=report, by=user("xinxi"), values={"title": "关于地铁口停放秩序的建议"})
    assert changed == ["title"]
    report.refresh_from_db()
    assert report.state == "editing" and report.edited_at
    assert report.original_title == "关于规范地铁口电动自行车停放的建议"
    event = Event.objects.get(action="opinion.edit", subject_id=report.pk)
    assert event.data["fields"] == ["title"]


def test_staff_edit_beyond_the_limit_is_refused(qiantang, report):
    with pytest.raises(ValidationError):
        s.report_edit(report=report, by=user("xinxi"), values={"situation": "长" * 1600})
    report.refresh_from_db()
    assert report.situation == SITUATION and report.state == "submitted"


def test_wrong_roles_are_refused(qiantang, report):
    with pytest.raises(PermissionDenied):
        s.report_edit(report=report, by=user("zhuzheng"), values={"title": "x"})
    with pytest.raises(TransitionRefused):
        s.report_accept(report=report, by=user("jinzhiqiang"))  # a leader reads, does not edit
    with pytest.raises(PermissionDenied):
        s.adoption_record(report=report, by=user("jinzhiqiang"), level="district", body="区委", date=today())
    with pytest.raises(PermissionDenied):  # the city's staff hold no role in the district
        s.report_forward(report=report, by=user("hz_office"))
    with pytest.raises(PermissionDenied):
        s.issue_create(committee=qiantang, by=user("tiwei"))
    report.refresh_from_db()
    assert report.state == "submitted" and not Adoption.objects.filter(root=report).exists()


def test_send_back_needs_a_reason_and_the_writer_resubmits(qiantang, report):
    with pytest.raises(TransitionRefused, match="理由"):
        s.report_send_back(report=report, by=user("xinxi"), reason="")
    s.report_send_back(report=report, by=user("xinxi"), reason="请补充数据")
    s.draft_save(
        committee=qiantang,
        by=user("zhuzheng"),
        values={"title": "新标题", "situation": "补充", "suggestion": "建议"},
        report=report,
    )
    s.report_submit(report=report, by=user("zhuzheng"))
    assert report.state == "submitted"


def test_combining_keeps_every_authors_credit(qiantang):
    a = write(qiantang, "zhuzheng")
    b = write(qiantang, "xugang", title="关于地铁口单车堆放的建议")
    c = write(qiantang, "lianluo", co=[member(qiantang, "茅徐程")], title="关于地铁口秩序的反映")
    s.report_combine(target=a, others=[b, c], by=user("xinxi"))
    assert [m.name for m in s.authors(a)] == ["朱政", "徐钢", "茅徐程"]
    b.refresh_from_db()
    assert b.state == "combined" and b.combined_into == a
    with pytest.raises(TransitionRefused):
        s.report_combine(target=a, others=[b], by=user("xinxi"))  # already combined


def test_publishing_credits_the_authors_and_numbers_the_issues(qiantang, django_capture_on_commit_callbacks):
    report = write(qiantang, co=[member(qiantang, "徐钢")])
    first = s.issue_create(committee=qiantang, by=user("xinxi"), date=today())
    second = s.issue_create(committee=qiantang, by=user("office"), date=today())
    assert second.number == first.number + 1
    with django_capture_on_commit_callbacks(execute=True):
        s.issue_publish(issue=second, reports=[report], by=user("xinxi"))
    report.refresh_from_db()
    assert report.state == "published" and report.issue == second
    event = Event.objects.get(action="opinion.publish", subject_id=report.pk)
    zhu, xu = member(qiantang, "朱政"), member(qiantang, "徐钢")
    assert event.data["members"] == [zhu.pk, xu.pk] and event.data["lead"] == zhu.pk
    assert Notification.objects.filter(user=user("xugang"), title__contains="已刊发").exists()


def test_forwarding_puts_a_copy_in_the_parent_queue_once(qiantang, hangzhou):
    report = published(qiantang)
    copy = s.report_forward(report=report, by=user("xinxi"), note="请市政协编发")
    assert copy.committee == hangzhou and copy.state == "submitted" and copy.root == report
    assert [a.member.pk for a in copy.author_rows.all()] == [a.member.pk for a in report.author_rows.all()]
    assert copy.resident_name == "" and copy.resident_phone == ""  # residents' data stays in the district
    with pytest.raises(TransitionRefused, match="已经报送过"):
        s.report_forward(report=report, by=user("xinxi"))
    assert OpinionReport.objects.filter(forwarded_from=report).count() == 1
    assert Event.objects.filter(action="opinion.forward", subject_id=report.pk).count() == 1


def test_a_report_in_editing_cannot_be_forwarded(qiantang, report):
    with pytest.raises(TransitionRefused):
        s.report_forward(report=report, by=user("xinxi"))
    assert not OpinionReport.objects.filter(forwarded_from=report).exists()


def test_adoption_once_per_level_across_committees(qiantang, django_capture_on_commit_callbacks):
    report = published(qiantang, co=[member(qiantang, "徐钢")])
    copy = s.report_forward(report=report, by=user("xinxi"))
    with django_capture_on_commit_callbacks(execute=True):
        s.adoption_record(report=copy, by=user("hz_office"), level="city", body="杭州市委办公厅", date=today())
    with pytest.raises(TransitionRefused, match="已记录过市级采用"):
        s.adoption_record(report=copy, by=user("hz_office"), level="city", body="杭州市政府办公厅", date=today())
    with pytest.raises(TransitionRefused, match="已记录过市级采用"):
        s.adoption_record(report=report, by=user("xinxi"), level="city", body="另一个", date=today())
    s.adoption_record(report=report, by=user("xinxi"), level="district", body="钱塘区委办公室", date=today())
    assert sorted(Adoption.objects.filter(root=report).values_list("level", flat=True)) == ["city", "district"]
    events_ = Event.objects.filter(action="opinion.adopt", subject_id=report.pk, committee=qiantang)
    assert sorted(e.data["level"] for e in events_) == ["city", "district"]
    zhu = member(qiantang, "朱政")
    assert all(e.data["lead"] == zhu.pk and zhu.pk in e.data["members"] for e in events_)
    assert Notification.objects.filter(user=user("zhuzheng"), title__contains="市级").exists()


def test_adoption_input_is_checked(qiantang):
    report = published(qiantang)
    import datetime as dt

    with pytest.raises(ValidationError):
        s.adoption_record(report=report, by=user("xinxi"), level="town", body="x", date=today())
    with pytest.raises(ValidationError):
        s.adoption_record(report=report, by=user("xinxi"), level="city", body=" ", date=today())
    with pytest.raises(ValidationError):
        s.adoption_record(report=report, by=user("xinxi"), level="city", body="x", date=today() + dt.timedelta(days=1))
    assert not Adoption.objects.filter(root=report).exists()


def test_an_instruction_is_recorded_with_the_leaders_level(qiantang, django_capture_on_commit_callbacks):
    report = published(qiantang)
    copy = s.report_forward(report=report, by=user("xinxi"))
    with django_capture_on_commit_callbacks(execute=True):
        s.instruction_record(
            report=copy, by=user("hz_office"), level="city", leader="王副市长", text="请研究落实。", date=today()
        )
    assert Instruction.objects.get(root=report).leader == "王副市长"
    event = Event.objects.get(action="opinion.instruct", subject_id=report.pk)
    assert event.data["level"] == "city" and event.data["leader"] == "王副市长"
    assert event.committee == qiantang
    assert Notification.objects.filter(user=user("zhuzheng"), title__contains="批示").exists()
    with pytest.raises(TransitionRefused):
        s.instruction_record(
            report=copy, by=user("hz_office"), level="city", leader="王副市长", text="请研究落实。", date=today()
        )


def test_a_not_used_report_takes_no_adoption(qiantang, report):
    s.report_not_use(report=report, by=user("xinxi"), reason="重复")
    with pytest.raises(TransitionRefused):
        s.adoption_record(report=report, by=user("xinxi"), level="district", body="x", date=today())
    assert ReportAuthor.objects.filter(report=report).exists()
    assert BulletinIssue.objects.filter(reports=report).count() == 0
