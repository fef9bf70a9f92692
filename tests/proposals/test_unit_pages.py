"""The handling unit's pages: its own proposals only, accept / return, contact, co-unit opinion, and the
lead unit's answer with the signed reply letter (PDF)."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.core.models import Event
from lvzhi.proposals import services as s
from lvzhi.proposals.models import Answer, Assignment, Attachment, Contact, Proposal
from tests.conftest import client_for, user
from tests.proposals.helpers_unit import FGJ, JYJ, assign, pdf


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def assigned(qiantang, filed):
    return assign(filed, qiantang)


def part(proposal, unit_name):
    return proposal.assignments.exclude(state="cancelled").get(unit__name=unit_name)


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --------------------------------------------------------------------------- access


def test_it_refuses_a_member(assigned):
    assert client_for("zhuzheng").get("/proposals/unit/").status_code == 403
    assert client_for("zhuzheng").get(f"/proposals/unit/{assigned.pk}/").status_code == 403


def test_the_list_shows_only_the_units_own_proposals(qiantang, assigned, draft):
    other = s.proposal_create(
        committee=qiantang,
        by=user("xugang"),
        lead=assigned.lead.__class__.objects.get(committee=qiantang, name="徐钢"),
        title="关于地铁口停车治理的建议",
        category=assigned.category,
        problem="地铁口非机动车停放混乱。",
        suggestion="划定停放区域。",
    )
    s.proposal_submit(proposal=other, by=user("xugang"))
    s.proposal_file(proposal=other, by=user("tiwei"))
    s.proposal_assign(proposal=other, by=user("tiwei"), lead_unit=part(assigned, JYJ).unit)

    page = client_for("fgj").get("/proposals/unit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert assigned.title in html and assigned.number in html
    assert "地铁口停车" not in html  # 区教育局's proposal
    jyj_html = client_for("jyj").get("/proposals/unit/").content.decode()
    assert "地铁口停车" in jyj_html and assigned.title in jyj_html  # jyj is co-unit of the first


def test_a_unit_never_sees_another_units_proposal_nor_one_before_assignment(qiantang, filed):
    assert client_for("fgj").get(f"/proposals/unit/{filed.pk}/").status_code == 404  # filed, not assigned
    assert filed.title not in client_for("fgj").get("/proposals/unit/").content.decode()
    s.proposal_assign(
        proposal=filed,
        by=user("tiwei"),
        lead_unit=__import__("tests.proposals.conftest", fromlist=["unit"]).unit(qiantang, JYJ),
    )
    assert client_for("fgj").get(f"/proposals/unit/{filed.pk}/").status_code == 404
    assert client_for("fgj").post(f"/proposals/unit/{filed.pk}/accept/").status_code == 404
    assert client_for("jyj").get(f"/proposals/unit/{filed.pk}/").status_code == 200


def test_the_list_groups_and_marks_overdue(qiantang, assigned):
    Assignment.objects.filter(proposal=assigned, unit__name=FGJ).update(
        due_date=timezone.localdate() - dt.timedelta(days=3)
    )
    html = client_for("fgj").get("/proposals/unit/").content.decode()
    pending = html.split('data-testid="section-pending"')[1].split('data-testid="section-handling"')[0]
    assert assigned.title in pending
    assert "已逾期 3 天" in pending and "row-overdue" in pending
    assert part(assigned, FGJ).return_deadline.isoformat() in pending


# --------------------------------------------------------------------------- detail


def test_the_detail_shows_the_proposal_and_only_the_leads_mobile(qiantang, assigned):
    from lvzhi.proposals.models import CoSigner
    from tests.proposals.conftest import member

    CoSigner.objects.create(committee=qiantang, proposal=assigned, member=member(qiantang, "徐钢"), state="confirmed")
    html = client_for("fgj").get(f"/proposals/unit/{assigned.pk}/").content.decode()
    assert assigned.suggestion in html
    assert "朱政" in html and "科技界" in html
    assert "13900000118" in html  # the lead's mobile: the unit must contact the proposer
    assert "徐钢" in html
    assert member(qiantang, "徐钢").mobile not in html
    assert 'data-testid="accept"' in html and 'data-testid="return-form"' in html


def test_accept(assigned):
    response = client_for("fgj").post(f"/proposals/unit/{assigned.pk}/accept/", follow=True)
    assert "已签收" in response.content.decode()
    assert part(assigned, FGJ).state == "accepted"
    assigned.refresh_from_db()
    assert assigned.state == "handling"
    assert Event.objects.filter(subject_id=assigned.pk, action="proposal.start").exists()


def test_return_needs_a_reason(assigned):
    response = client_for("fgj").post(f"/proposals/unit/{assigned.pk}/return/", {"reason": "  "})
    assert response.status_code == 400
    assert "请填写退回理由" in response.content.decode()
    assert part(assigned, FGJ).state == "assigned"
    assigned.refresh_from_db()
    assert assigned.state == "assigned"


def test_return_within_the_deadline(assigned):
    response = client_for("fgj").post(
        f"/proposals/unit/{assigned.pk}/return/", {"reason": "属于区经信局职责"}, follow=True
    )
    assert "已退回" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.state == "returned"
    assert Event.objects.get(subject_id=assigned.pk, action="proposal.unit_return").reason == "属于区经信局职责"
    # it is no longer the unit's
    assert client_for("fgj").get(f"/proposals/unit/{assigned.pk}/").status_code == 404
    assert assigned.title not in client_for("fgj").get("/proposals/unit/").content.decode()


def test_return_after_the_deadline_is_refused(assigned):
    Assignment.objects.filter(proposal=assigned).update(return_deadline=timezone.localdate() - dt.timedelta(days=1))
    page = client_for("fgj").get(f"/proposals/unit/{assigned.pk}/").content.decode()
    assert 'data-testid="return-closed"' in page and 'data-testid="return-form"' not in page
    response = client_for("fgj").post(f"/proposals/unit/{assigned.pk}/return/", {"reason": "不属于本单位"}, follow=True)
    assert "已超过退回期限" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.state == "assigned" and part(assigned, FGJ).state == "assigned"


def test_contact_is_recorded_after_accepting(assigned):
    c = client_for("fgj")
    today = timezone.localdate().isoformat()
    refused = c.post(f"/proposals/unit/{assigned.pk}/contact/", {"method": "phone", "date": today, "note": "电话"})
    assert refused.status_code == 400 and "请先签收" in refused.content.decode()
    assert not Contact.objects.filter(proposal=assigned).exists()
    c.post(f"/proposals/unit/{assigned.pk}/accept/")
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    bad = c.post(f"/proposals/unit/{assigned.pk}/contact/", {"method": "phone", "date": future, "note": "电话"})
    assert bad.status_code == 400 and "不能晚于今天" in bad.content.decode()
    ok = c.post(
        f"/proposals/unit/{assigned.pk}/contact/",
        {"method": "meeting", "date": today, "note": "与朱政委员面商办理思路。"},
        follow=True,
    )
    assert "沟通记录已保存" in ok.content.decode() and "与朱政委员面商办理思路" in ok.content.decode()
    contact = Contact.objects.get(proposal=assigned)
    assert contact.method == "meeting" and contact.unit.name == FGJ
    assert Event.objects.filter(subject_id=assigned.pk, action="proposal.contact").count() == 1


# --------------------------------------------------------------------------- opinion and answer


def test_co_unit_opinion_then_lead_answer_with_letter(settings, assigned):
    fgj, jyj = client_for("fgj"), client_for("jyj")
    fgj.post(f"/proposals/unit/{assigned.pk}/accept/")
    jyj.post(f"/proposals/unit/{assigned.pk}/accept/")

    lead_page = fgj.get(f"/proposals/unit/{assigned.pk}/").content.decode()
    assert 'data-testid="answer-form"' in lead_page and 'data-testid="pending-co"' in lead_page
    assert 'data-testid="opinion-form"' not in lead_page
    co_page = jyj.get(f"/proposals/unit/{assigned.pk}/").content.decode()
    assert 'data-testid="opinion-form"' in co_page and 'data-testid="answer-form"' not in co_page

    # the lead may not answer before the co-unit's opinion: refused, nothing stored
    early = fgj.post(
        f"/proposals/unit/{assigned.pk}/answer/", {"category": "B", "text": "已列入计划。", "letter": pdf()}
    )
    assert early.status_code == 400 and "会办单位未提出会办意见" in early.content.decode()
    assert not Answer.objects.filter(proposal=assigned).exists()
    assert not Attachment.objects.filter(proposal=assigned).exists() and stored_files(settings) == []

    # a co-unit cannot answer
    assert (
        jyj.post(f"/proposals/unit/{assigned.pk}/answer/", {"category": "A", "text": "x", "letter": pdf()}).status_code
        == 400
    )
    assert not Answer.objects.filter(proposal=assigned).exists()

    jyj.post(f"/proposals/unit/{assigned.pk}/opinion/", {"opinion": "同意主办单位意见,教育局配合做好人才培养。"})
    assert part(assigned, JYJ).state == "opinion_given"
    lead_page = fgj.get(f"/proposals/unit/{assigned.pk}/").content.decode()
    assert "教育局配合做好人才培养" in lead_page and 'data-testid="pending-co"' not in lead_page

    done = fgj.post(
        f"/proposals/unit/{assigned.pk}/answer/",
        {"category": "B", "text": "已列入年度计划,正在推进。", "letter": pdf()},
        follow=True,
    )
    assert "答复已提交" in done.content.decode()
    assigned.refresh_from_db()
    assert assigned.state == "answered" and assigned.answer_category == "B"
    answer = Answer.objects.get(proposal=assigned)
    assert answer.letter.purpose == Attachment.Purpose.REPLY_LETTER and answer.letter.name == "答复函.pdf"
    assert answer.letter.file.read().startswith(b"%PDF")
    letter = fgj.get(f"/proposals/unit/{assigned.pk}/letter/{answer.letter_id}/")
    assert letter.status_code == 200 and b"".join(letter.streaming_content).startswith(b"%PDF")
    assert jyj.get(f"/proposals/unit/{assigned.pk}/letter/{answer.letter_id}/").status_code == 404


@pytest.fixture
def ready(assigned):
    """The lead unit may answer now (no co-unit opinion missing)."""
    s.assignment_accept(proposal=assigned, by=user("fgj"))
    s.assignment_accept(proposal=assigned, by=user("jyj"))
    s.co_opinion_give(proposal=assigned, by=user("jyj"), opinion="同意。")
    return assigned


def test_an_answer_without_the_letter_is_refused(settings, ready):
    response = client_for("fgj").post(f"/proposals/unit/{ready.pk}/answer/", {"category": "A", "text": "已解决。"})
    assert response.status_code == 400 and "请上传盖章的答复函" in response.content.decode()
    ready.refresh_from_db()
    assert ready.state == "handling" and not Answer.objects.filter(proposal=ready).exists()


def test_a_pdf_name_that_is_not_a_pdf_is_refused_and_nothing_is_stored(settings, ready):
    fake = pdf("答复函.pdf", b"PK\x03\x04 this is a zip, not a PDF")
    response = client_for("fgj").post(
        f"/proposals/unit/{ready.pk}/answer/", {"category": "A", "text": "已解决。", "letter": fake}
    )
    assert response.status_code == 400 and "不是有效的 PDF 文件" in response.content.decode()
    assert not Attachment.objects.filter(proposal=ready).exists() and stored_files(settings) == []
    ready.refresh_from_db()
    assert ready.state == "handling"


def test_a_word_file_and_a_too_large_pdf_are_refused(settings, qiantang, ready):
    c = client_for("fgj")
    word = c.post(
        f"/proposals/unit/{ready.pk}/answer/", {"category": "A", "text": "已解决。", "letter": pdf("答复函.docx")}
    )
    assert "须为 PDF" in word.content.decode()
    qiantang.config = {**qiantang.config, "proposals.attachment_max_mb": 1}
    qiantang.save(update_fields=["config"])
    big = pdf(content=b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    response = c.post(f"/proposals/unit/{ready.pk}/answer/", {"category": "A", "text": "已解决。", "letter": big})
    assert "不能超过 1 MB" in response.content.decode()
    assert not Attachment.objects.filter(proposal=ready).exists() and stored_files(settings) == []


def test_a_bad_category_is_refused(ready):
    response = client_for("fgj").post(
        f"/proposals/unit/{ready.pk}/answer/", {"category": "Z", "text": "已解决。", "letter": pdf()}
    )
    assert response.status_code == 400
    assert not Answer.objects.filter(proposal=ready).exists()


def test_the_answer_form_appears_again_for_rehandling(ready):
    c = client_for("fgj")
    c.post(f"/proposals/unit/{ready.pk}/answer/", {"category": "B", "text": "已列入计划。", "letter": pdf()})
    page = c.get(f"/proposals/unit/{ready.pk}/").content.decode()
    assert 'data-testid="answer-form"' not in page and "等待提案委审核" in page
    s.answer_approve(proposal=ready, by=user("tiwei"))
    s.evaluation_submit(proposal=ready, by=user("zhuzheng"), rating="unsatisfied", comment="措施不够具体")
    ready.refresh_from_db()
    assert ready.state == "rehandling"
    page = c.get(f"/proposals/unit/{ready.pk}/").content.decode()
    assert 'data-testid="answer-form"' in page and "重新答复" in page and "措施不够具体" in page
    html = c.get("/proposals/unit/").content.decode()
    handling = html.split('data-testid="section-handling"')[1].split('data-testid="section-done"')[0]
    assert ready.title in handling
    c.post(f"/proposals/unit/{ready.pk}/answer/", {"category": "A", "text": "已出台专项政策。", "letter": pdf()})
    ready.refresh_from_db()
    assert ready.state == "answered" and Answer.objects.filter(proposal=ready, round=2).count() == 1


def test_another_committees_unit_gets_404(qiantang, assigned):
    # hz_office is staff of 杭州市政协 only: not a unit anywhere → 403 on unit pages
    assert client_for("hz_office").get(f"/proposals/unit/{assigned.pk}/").status_code in (403, 404)
    assert Proposal.objects.get(pk=assigned.pk).state == "assigned"


def test_a_reassigned_proposal_is_seen_by_its_new_units(qiantang, assigned):
    """Re-assignment cancels the open parts of the first assignment; the units of the new assignment must
    still see the proposal (queries.visible must not drop a proposal because another part is cancelled)."""
    from tests.proposals.conftest import unit

    s.assignment_accept(proposal=assigned, by=user("jyj"))  # the co-unit accepts
    s.assignment_return(proposal=assigned, by=user("fgj"), reason="不属于本单位职责")
    s.proposal_assign(proposal=assigned, by=user("tiwei"), lead_unit=unit(qiantang, JYJ))  # cancels jyj's co part
    assert assigned.assignments.filter(state="cancelled").exists()
    page = client_for("jyj").get(f"/proposals/unit/{assigned.pk}/")
    assert page.status_code == 200 and 'data-testid="accept"' in page.content.decode()
    assert f'data-testid="row-{assigned.pk}"' in client_for("jyj").get("/proposals/unit/").content.decode()
    assert client_for("fgj").get(f"/proposals/unit/{assigned.pk}/").status_code == 404  # returned: no longer fgj's
