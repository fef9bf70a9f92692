"""Agenda with documents, discussion groups and speeches on the staff set-up pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.core.models import Event
from lvzhi.meetings import services as s
from lvzhi.meetings import services_setup as setup
from lvzhi.meetings.models import AgendaItem, Document, Group, Invitation, Speech
from lvzhi.org.models import Member
from tests.conftest import client_for, user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def huiwu(db):
    return client_for("huiwu")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def inv(meeting, name):
    return Invitation.objects.select_related("member").get(meeting=meeting, member__name=name)


# --------------------------------------------------------------------------- agenda and documents


def test_agenda_items_are_added_reordered_and_deleted(plenary, huiwu):
    url = f"/meetings/staff/{plenary.pk}/agenda/"
    for title in ("开幕", "审议工作报告", "闭幕"):
        assert huiwu.post(url, {"title": title}).status_code == 302
    titles = lambda: list(plenary.agenda.order_by("order").values_list("title", flat=True))  # noqa: E731
    assert titles() == ["开幕", "审议工作报告", "闭幕"]
    last = plenary.agenda.get(title="闭幕")
    huiwu.post(f"{url}{last.pk}/move/", {"dir": "up"})
    assert titles() == ["开幕", "闭幕", "审议工作报告"]
    huiwu.post(f"{url}{last.pk}/delete/")
    assert titles() == ["开幕", "审议工作报告"]
    assert Event.objects.filter(action="meeting.agenda_moved", subject_id=plenary.pk).exists()
    assert "审议工作报告" in huiwu.get(url).content.decode()


def test_an_empty_agenda_title_is_refused(plenary, huiwu):
    response = huiwu.post(f"/meetings/staff/{plenary.pk}/agenda/", {"title": " "})
    assert response.status_code == 200
    assert not plenary.agenda.exists()


def test_a_pdf_is_uploaded_and_downloaded_by_staff_and_invited_members(plenary, huiwu):
    item = setup.agenda_add(meeting=plenary, by=user("huiwu"), title="审议工作报告")
    upload = SimpleUploadedFile("工作报告.pdf", PDF, content_type="application/pdf")
    response = huiwu.post(
        f"/meetings/staff/{plenary.pk}/documents/", {"file": upload, "name": "", "agenda_item": item.pk}
    )
    assert response.status_code == 302
    doc = Document.objects.get(meeting=plenary)
    assert doc.name == "工作报告" and doc.agenda_item == item and doc.size == len(PDF)
    assert "工作报告" not in doc.file.name  # stored under a random name
    for name in ("huiwu", "zhuzheng"):  # zhuzheng is invited to the plenary
        got = client_for(name).get(f"/meetings/documents/{doc.pk}/")
        assert got.status_code == 200, name
        assert b"".join(got.streaming_content) == PDF
    assert client_for("fgj").get(f"/meetings/documents/{doc.pk}/").status_code == 404
    assert client_for("hz_office").get(f"/meetings/documents/{doc.pk}/").status_code == 404


def test_an_uninvited_member_cannot_download(plenary):
    doc = setup.document_add(meeting=plenary, by=user("huiwu"), upload=SimpleUploadedFile("指南.pdf", PDF))
    Invitation.objects.filter(meeting=plenary, member__user__username="zhuzheng").delete()
    assert client_for("zhuzheng").get(f"/meetings/documents/{doc.pk}/").status_code == 404


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("报告.exe", b"MZ\x90\x00", "文件类型不能上传"),
        ("报告.pdf", b"MZ\x90\x00not a pdf", "内容与它的文件类型不符"),
        ("报告.docx", b"%PDF-1.4", "内容与它的文件类型不符"),
    ],
)
def test_a_wrong_file_is_refused(plenary, huiwu, name, content, message):
    response = huiwu.post(
        f"/meetings/staff/{plenary.pk}/documents/", {"file": SimpleUploadedFile(name, content)}, follow=True
    )
    assert message in response.content.decode()
    assert not Document.objects.filter(meeting=plenary).exists()


def test_a_too_large_file_is_refused(plenary, monkeypatch):
    monkeypatch.setattr(setup, "DOCUMENT_MAX_MB", 0)
    with pytest.raises(Exception, match="超过了"):
        setup.document_add(meeting=plenary, by=user("huiwu"), upload=SimpleUploadedFile("a.pdf", PDF))
    assert not Document.objects.exists()


def test_a_word_file_is_accepted(plenary):
    doc = setup.document_add(meeting=plenary, by=user("huiwu"), upload=SimpleUploadedFile("指南.docx", b"PK\x03\x04x"))
    assert doc.file.name.endswith(".docx")


# --------------------------------------------------------------------------- groups


def test_groups_by_sector_keep_sectors_together(plenary, huiwu):
    response = huiwu.post(f"/meetings/staff/{plenary.pk}/groups/", {"op": "auto", "count": "6"})
    assert response.status_code == 302
    assert plenary.groups.count() == 6
    sectors = {}
    for i in plenary.invitations.select_related("member"):
        assert i.group_id is not None
        sectors.setdefault(i.member.sector_id, set()).add(i.group_id)
    assert all(len(groups) == 1 for groups in sectors.values())
    page = huiwu.get(f"/meetings/staff/{plenary.pk}/groups/").content.decode()
    assert "第6组" in page


def test_a_bad_group_count_changes_nothing(plenary, huiwu):
    huiwu.post(f"/meetings/staff/{plenary.pk}/groups/", {"op": "auto", "count": "0"})
    assert not plenary.groups.exists()


def test_a_member_is_moved_and_a_group_gets_convener_and_room(plenary, huiwu):
    s.groups_by_sector(meeting=plenary, by=user("huiwu"), group_count=2)
    first, second = list(plenary.groups.order_by("order"))
    zz = inv(plenary, "朱政")
    target = second if zz.group_id == first.pk else first
    url = f"/meetings/staff/{plenary.pk}/groups/"
    huiwu.post(url, {"op": "move", "invitation": zz.pk, "group": target.pk})
    zz.refresh_from_db()
    assert zz.group_id == target.pk
    p = f"g{target.pk}-"
    huiwu.post(
        url, {"op": "update", "group": target.pk, p + "name": "科技组", p + "room": "301", p + "convener": zz.member_id}
    )
    target.refresh_from_db()
    assert (target.name, target.room, target.convener_id) == ("科技组", "301", zz.member_id)
    assert Event.objects.filter(action="meeting.group_member_moved", subject_id=plenary.pk).exists()


def test_a_convener_must_be_in_the_group(plenary, huiwu):
    s.groups_by_sector(meeting=plenary, by=user("huiwu"), group_count=2)
    zz = inv(plenary, "朱政")
    other = plenary.groups.exclude(pk=zz.group_id).first()
    p = f"g{other.pk}-"
    huiwu.post(
        f"/meetings/staff/{plenary.pk}/groups/",
        {"op": "update", "group": other.pk, p + "name": "二组", p + "convener": zz.member_id},
    )
    other.refresh_from_db()
    assert other.convener_id is None and other.name != "二组"


def test_group_minutes_record_who_spoke(plenary, huiwu):
    s.groups_by_sector(meeting=plenary, by=user("huiwu"), group_count=3)
    zz = inv(plenary, "朱政")
    group = zz.group
    p = f"m{group.pk}-"
    url = f"/meetings/staff/{plenary.pk}/groups/"
    huiwu.post(
        url,
        {"op": "minutes", "group": group.pk, p + "minutes": "围绕工作报告展开讨论。", p + "speakers": [zz.member_id]},
    )
    group.refresh_from_db()
    assert group.minutes == "围绕工作报告展开讨论。"
    event = Event.objects.get(action="meeting.group_minutes", subject_id=group.pk)
    assert event.data["names"] == ["朱政"]
    page = huiwu.get(url).content.decode()
    assert "围绕工作报告展开讨论。" in page and "朱政" in page


def test_a_speaker_outside_the_group_is_refused(plenary):
    s.groups_by_sector(meeting=plenary, by=user("huiwu"), group_count=3)
    zz = inv(plenary, "朱政")
    other = plenary.groups.exclude(pk=zz.group_id).first()
    with pytest.raises(Exception, match="不是本组委员"):
        setup.group_minutes_save(group=other, by=user("huiwu"), minutes="x", speakers=[zz.member])
    other.refresh_from_db()
    assert other.minutes == ""


def test_groups_of_another_committee_are_not_found(plenary):
    s.groups_by_sector(meeting=plenary, by=user("huiwu"), group_count=2)
    group = plenary.groups.first()
    response = client_for("hz_office").post(
        f"/meetings/staff/{plenary.pk}/groups/", {"op": "update", "group": group.pk, f"g{group.pk}-name": "x"}
    )
    assert response.status_code == 404
    assert Group.objects.get(pk=group.pk).name != "x"


# --------------------------------------------------------------------------- speeches


def _apply(meeting, username, title):
    member = Member.objects.get(committee=meeting.committee, user__username=username)
    return s.speech_apply(meeting=meeting, member=member, by=user(username), title=title, text="发言稿正文。")


@pytest.fixture
def speakers(plenary):
    names = [m.user.username for m in Member.objects.filter(committee=plenary.committee, user__isnull=False)[:3]]
    return [_apply(plenary, n, f"发言{i}") for i, n in enumerate(names, start=1)]


def test_speeches_are_selected_in_order_and_reordered(plenary, huiwu, speakers):
    url = f"/meetings/staff/{plenary.pk}/speeches/"
    assert "发言1" in huiwu.get(url).content.decode()
    for sp in speakers:
        huiwu.post(f"{url}{sp.pk}/", {"action": "select"})

    def orders():
        return list(
            Speech.objects.filter(meeting=plenary, state="selected").order_by("order").values_list("title", flat=True)
        )  # noqa: E731

    assert orders() == ["发言1", "发言2", "发言3"]
    huiwu.post(f"{url}{speakers[2].pk}/move/", {"dir": "up"})
    assert orders() == ["发言1", "发言3", "发言2"]
    assert Event.objects.filter(action="speech.select", subject_id__in=[sp.pk for sp in speakers]).count() == 3
    assert Event.objects.filter(action="meeting.speech_reordered", subject_id=plenary.pk).exists()


def test_a_speech_is_made_written_and_archived(plenary, huiwu, speakers):
    url = f"/meetings/staff/{plenary.pk}/speeches/"
    huiwu.post(f"{url}{speakers[0].pk}/", {"action": "to_written"})
    speakers[0].refresh_from_db()
    assert speakers[0].state == "written"
    assert Event.objects.filter(action="speech.to_written", subject_id=speakers[0].pk).exists()
    page = huiwu.get(url).content.decode()
    assert 'data-testid="written"' in page and "发言1" in page


def test_declining_needs_a_reason(plenary, huiwu, speakers):
    url = f"/meetings/staff/{plenary.pk}/speeches/{speakers[1].pk}/"
    response = huiwu.post(url, {"action": "decline"}, follow=True)
    assert "须填写理由" in response.content.decode()
    speakers[1].refresh_from_db()
    assert speakers[1].state == "applied"
    huiwu.post(url, {"action": "decline", "reason": "题目与会议主题不符"})
    speakers[1].refresh_from_db()
    assert speakers[1].state == "declined"
    assert Event.objects.get(action="speech.decline", subject_id=speakers[1].pk).reason == "题目与会议主题不符"


def test_a_member_cannot_decide_speeches(plenary, speakers):
    response = client_for("zhuzheng").post(
        f"/meetings/staff/{plenary.pk}/speeches/{speakers[0].pk}/", {"action": "select"}
    )
    assert response.status_code == 403
    speakers[0].refresh_from_db()
    assert speakers[0].state == "applied"


def test_an_unknown_speech_action_changes_nothing(plenary, huiwu, speakers):
    huiwu.post(f"/meetings/staff/{plenary.pk}/speeches/{speakers[0].pk}/", {"action": "withdraw"})
    speakers[0].refresh_from_db()
    assert speakers[0].state == "applied"


def test_agenda_items_of_another_meeting_are_not_found(plenary, huiwu, qiantang):
    other = s.meeting_create(
        committee=qiantang,
        by=user("huiwu"),
        kind="forum",
        title="另一个会",
        place="x",
        starts_at=plenary.starts_at,
        ends_at=plenary.ends_at,
        doors_open_at=plenary.doors_open_at,
    )
    item = setup.agenda_add(meeting=other, by=user("huiwu"), title="议程")
    response = huiwu.post(f"/meetings/staff/{plenary.pk}/agenda/{item.pk}/delete/")
    assert response.status_code == 404
    assert AgendaItem.objects.filter(pk=item.pk).exists()
