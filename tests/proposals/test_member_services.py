"""services_member: attachments of a draft (type, size and content checked before anything is stored) and
the draft saved with its attachments in one step."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.core.workflow import TransitionRefused
from lvzhi.proposals import services as s
from lvzhi.proposals import services_member as sm
from lvzhi.proposals.models import Attachment, Proposal
from tests.conftest import user
from tests.proposals.conftest import member

DOCX = b"PK\x03\x04" + b"\x00" * 40
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 40


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_word_and_jpeg_files_are_accepted_and_recorded(draft):
    files = [
        SimpleUploadedFile("附表.docx", DOCX),
        SimpleUploadedFile("旧版.doc", DOC),
        SimpleUploadedFile("照片.jpg", JPG),
    ]
    stored = sm.attachments_add(proposal=draft, uploads=files, by=user("zhuzheng"))
    assert [a.content_type for a in stored] == [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/msword",
        "image/jpeg",
    ]
    assert all(a.committee_id == draft.committee_id and a.purpose == "material" for a in stored)
    assert draft.attachments.count() == 3


def test_only_the_lead_adds_attachments(draft):
    with pytest.raises(PermissionDenied):
        sm.attachments_add(proposal=draft, uploads=[SimpleUploadedFile("a.jpg", JPG)], by=user("xugang"))
    assert not draft.attachments.exists()


def test_a_submitted_proposal_takes_no_attachments_and_keeps_its_own(draft):
    [kept] = sm.attachments_add(proposal=draft, uploads=[SimpleUploadedFile("a.jpg", JPG)], by=user("zhuzheng"))
    s.proposal_submit(proposal=draft, by=user("zhuzheng"))
    with pytest.raises(TransitionRefused):
        sm.attachments_add(proposal=draft, uploads=[SimpleUploadedFile("b.jpg", JPG)], by=user("zhuzheng"))
    with pytest.raises(TransitionRefused):
        sm.attachment_delete(attachment=kept, by=user("zhuzheng"))
    assert list(draft.attachments.all()) == [kept]


def test_the_committees_type_list_decides(qiantang, draft):
    qiantang.config = {**(qiantang.config or {}), "proposals.attachment_types": [".pdf"]}
    qiantang.save(update_fields=["config"])
    draft.committee.refresh_from_db()
    with pytest.raises(ValidationError, match="可以上传的类型:PDF"):
        sm.attachments_add(proposal=draft, uploads=[SimpleUploadedFile("a.jpg", JPG)], by=user("zhuzheng"))


def test_an_empty_file_is_refused(draft):
    with pytest.raises(ValidationError, match="空文件"):
        sm.attachments_add(proposal=draft, uploads=[SimpleUploadedFile("a.pdf", b"")], by=user("zhuzheng"))


def test_a_path_in_the_file_name_is_dropped(draft):
    [a] = sm.attachments_add(
        proposal=draft, uploads=[SimpleUploadedFile("../../etc/照片.jpg", JPG)], by=user("zhuzheng")
    )
    assert a.name == "照片.jpg" and ".." not in a.file.name


def test_draft_save_creates_nothing_when_an_attachment_is_refused(qiantang):
    count = Proposal.objects.count()
    with pytest.raises(ValidationError):
        sm.draft_save(
            committee=qiantang,
            by=user("zhuzheng"),
            values={"title": "关于文创品牌的建议"},
            uploads=[SimpleUploadedFile("a.png", JPG)],  # a JPEG named .png
        )
    assert Proposal.objects.count() == count and not Attachment.objects.filter(name="a.png").exists()


def test_draft_save_refuses_to_edit_someone_elses_draft(draft):
    with pytest.raises(PermissionDenied):
        sm.draft_save(committee=draft.committee, by=user("xugang"), proposal=draft, values={"title": "改"})
    draft.refresh_from_db()
    assert draft.title != "改"


def test_a_user_who_is_not_a_member_cannot_create_a_draft(qiantang):
    with pytest.raises(PermissionDenied):
        sm.draft_save(committee=qiantang, by=user("jyj"), values={"title": "关于某事的建议"})


def test_the_lead_is_the_member_of_the_current_committee(qiantang):
    p = sm.draft_save(committee=qiantang, by=user("maoxucheng"), values={"title": "关于文创品牌的建议"})
    assert p.lead == member(qiantang, "茅徐程") and p.committee == qiantang
