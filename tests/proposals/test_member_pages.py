"""The member's phone pages for proposals: the list, the form, the draft page with co-signers, the proposal
with the answer and the evaluation. Named people of the Qiantang demo district."""

import datetime as dt
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.models import Event
from lvzhi.org.models import Member
from lvzhi.proposals import services as s
from lvzhi.proposals.models import Attachment, Category, CoSigner, Evaluation, Proposal
from tests.conftest import client_for, user
from tests.proposals.conftest import member, unit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def url(name, *args):
    return reverse(f"proposals:{name}", args=args)


def form_data(qiantang, **over):
    data = {
        "title": "关于地铁口停车难问题的建议",
        "category": Category.objects.get(committee=qiantang, name="城乡建设").pk,
        "problem": "地铁口非机动车乱停放,早晚高峰通行困难。",
        "analysis": "停车位规划不足,管理责任不清。",
        "suggestion": "一是增设停车点;二是明确管理责任;三是引导错峰停放。",
        "agree_publish": "on",
        "action": "save",
    }
    data.update(over)
    return data


def actions(proposal):
    return list(
        Event.objects.filter(subject_id=proposal.pk, subject_type__model="proposal").values_list("action", flat=True)
    )


@pytest.fixture
def replied(qiantang, filed):
    """朱政's proposal answered by 区教育局 (jyj) and sent to him by the office."""
    s.proposal_assign(proposal=filed, by=user("tiwei"), lead_unit=unit(qiantang, "区教育局"))
    s.assignment_accept(proposal=filed, by=user("jyj"))
    s.answer_submit(proposal=filed, by=user("jyj"), category="B", text="已列入年度计划,正在推进。")
    s.answer_approve(proposal=filed, by=user("tiwei"))
    filed.refresh_from_db()
    assert filed.state == "replied"
    return filed


# --------------------------------------------------------------------------- the list


def test_the_list_groups_my_proposals_and_shows_invitations_first(qiantang, draft, member_client):
    mine_open = s.proposal_create(
        committee=qiantang,
        by=user("zhuzheng"),
        lead=member(qiantang, "朱政"),
        title="关于青年人才安居的建议",
        category=Category.objects.get(committee=qiantang, name="社会事业"),
        problem="青年人才住房压力大。",
        suggestion="增加人才公寓供给。",
    )
    s.proposal_submit(proposal=mine_open, by=user("zhuzheng"))
    xu_draft = s.proposal_create(
        committee=qiantang, by=user("xugang"), lead=member(qiantang, "徐钢"), title="关于未来乡村建设的建议"
    )
    s.cosigner_invite(proposal=xu_draft, members=[member(qiantang, "朱政")], by=user("xugang"))

    response = member_client.get(url("member_home"))
    assert response.status_code == 200
    groups = {key: [p.pk for p in rows] for key, _label, rows in response.context["groups"]}
    assert draft.pk in groups["draft"] and mine_open.pk in groups["open"]
    assert draft.pk not in groups["open"] + groups["done"] and mine_open.pk not in groups["draft"] + groups["done"]
    assert xu_draft.pk not in groups["draft"] + groups["open"] + groups["done"]  # only invited, not confirmed
    mine = Proposal.objects.filter(lead__user__username="zhuzheng") | Proposal.objects.filter(
        cosigners__member__user__username="zhuzheng", cosigners__state="confirmed"
    )
    assert sorted(sum(groups.values(), [])) == sorted(set(mine.values_list("pk", flat=True)))
    page = response.content.decode()
    assert "写提案" in page and "待审查" in page and "草稿" in page
    assert page.index("请您确认联名") < page.index(draft.title)
    assert "关于未来乡村建设的建议" in page and "徐钢 邀请您联名" in page


def test_the_list_does_not_show_another_members_draft(qiantang, draft):
    page = client_for("xugang").get(url("member_home")).content.decode()
    assert draft.title not in page


def test_the_list_query_count_is_bounded(qiantang, draft, member_client, django_assert_max_num_queries):
    for i in range(6):
        p = s.proposal_create(
            committee=qiantang,
            by=user("zhuzheng"),
            lead=member(qiantang, "朱政"),
            title=f"关于数字化转型的建议 {i}",
            category=Category.objects.get(committee=qiantang, name="经济建设"),
            problem="问题。",
            suggestion="建议。",
        )
        if i % 2:
            s.proposal_submit(proposal=p, by=user("zhuzheng"))
    member_client.get(url("member_home"))
    with CaptureQueriesContext(connection) as few:
        member_client.get(url("member_home"))
    for i in range(6):
        s.proposal_create(
            committee=qiantang, by=user("zhuzheng"), lead=member(qiantang, "朱政"), title=f"更多 {i}", problem="问题"
        )
    with CaptureQueriesContext(connection) as more:
        member_client.get(url("member_home"))
    assert len(more) == len(few) <= 10


def test_unit_users_and_staff_get_403_on_member_pages(draft):
    for name in ("jyj", "tiwei", "office"):
        client = client_for(name)
        assert client.get(url("member_home")).status_code == 403
        assert client.get(url("member_new")).status_code == 403
        assert client.post(url("member_submit", draft.pk)).status_code == 403
    draft.refresh_from_db()
    assert draft.state == "draft"


# --------------------------------------------------------------------------- the form


def test_a_member_saves_a_draft_and_edits_it(qiantang, member_client):
    response = member_client.post(url("member_new"), form_data(qiantang))
    proposal = Proposal.objects.get(title="关于地铁口停车难问题的建议")
    assert response.status_code == 302 and response["Location"] == url("member_detail", proposal.pk)
    assert proposal.state == "draft" and proposal.lead.name == "朱政" and proposal.category.name == "城乡建设"
    assert actions(proposal) == ["proposal.created"]

    page = member_client.get(url("member_edit", proposal.pk)).content.decode()
    assert "地铁口非机动车乱停放" in page and 'data-max="2500"' in page
    member_client.post(url("member_edit", proposal.pk), form_data(qiantang, title="关于地铁口停车管理的建议"))
    proposal.refresh_from_db()
    assert proposal.title == "关于地铁口停车管理的建议" and proposal.state == "draft"
    assert actions(proposal)[-1] == "proposal.edited"


def test_the_form_offers_only_this_committees_categories(qiantang, hangzhou, member_client):
    foreign = Category.objects.create(committee=hangzhou, name="杭州专用类别")
    page = member_client.get(url("member_new")).content.decode()
    assert "科技创新" in page and "杭州专用类别" not in page
    response = member_client.post(url("member_new"), form_data(qiantang, category=foreign.pk))
    assert response.status_code == 400 and "没有这个类别" in response.content.decode()
    assert not Proposal.objects.filter(title="关于地铁口停车难问题的建议").exists()


def test_the_form_submits_in_one_step(qiantang, member_client):
    response = member_client.post(url("member_new"), form_data(qiantang, action="submit"), follow=True)
    proposal = Proposal.objects.get(title="关于地铁口停车难问题的建议")
    assert proposal.state == "submitted" and proposal.submitted_at is not None
    assert "提案已提交" in response.content.decode()


def test_a_body_over_the_limit_is_refused_and_nothing_is_saved(qiantang, member_client):
    qiantang.config = {**(qiantang.config or {}), "proposals.body_max_chars": 30}
    qiantang.save(update_fields=["config"])
    response = member_client.post(url("member_new"), form_data(qiantang, problem="很长的问题。" * 10))
    assert response.status_code == 400
    assert "超过了 30 字的限制" in response.content.decode()
    assert not Proposal.objects.filter(title="关于地铁口停车难问题的建议").exists()


def test_submit_without_suggestion_keeps_the_draft_with_a_message(qiantang, member_client):
    response = member_client.post(url("member_new"), form_data(qiantang, suggestion="", action="submit"), follow=True)
    proposal = Proposal.objects.get(title="关于地铁口停车难问题的建议")
    assert proposal.state == "draft"
    page = response.content.decode()
    assert "请填写“问题”和“建议”后再提交" in page and "草稿已保存" in page


# --------------------------------------------------------------------------- attachments


def test_a_pdf_and_an_image_are_stored_and_downloaded_through_the_view(qiantang, member_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = form_data(qiantang)
    data["files"] = [
        SimpleUploadedFile("调研报告.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("现场照片.PNG", PNG, content_type="image/png"),
    ]
    member_client.post(url("member_new"), data)
    proposal = Proposal.objects.get(title="关于地铁口停车难问题的建议")
    pdf, png = proposal.attachments.order_by("id")
    assert (pdf.name, pdf.content_type, pdf.size) == ("调研报告.pdf", "application/pdf", len(PDF))
    assert png.name == "现场照片.PNG" and "现场照片" not in png.file.name  # stored under a random name
    response = member_client.get(url("member_attachment", proposal.pk, pdf.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    # another member may not download it
    assert client_for("xugang").get(url("member_attachment", proposal.pk, pdf.pk)).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("病毒.exe", b"MZ\x90\x00", "文件类型不能上传"),
        ("假装.pdf", b"MZ\x90\x00not a pdf", "内容与它的文件类型不符"),
        ("太大.pdf", PDF + b"0" * (1024 * 1024 + 10), "超过了 1 MB 的限制"),
    ],
)
def test_a_bad_attachment_is_refused_and_nothing_is_stored(
    qiantang, member_client, settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path
    qiantang.config = {**(qiantang.config or {}), "proposals.attachment_max_mb": 1}
    qiantang.save(update_fields=["config"])
    data = form_data(qiantang)
    data["files"] = [SimpleUploadedFile("好的.pdf", PDF), SimpleUploadedFile(name, content)]
    before = Attachment.objects.count()
    response = member_client.post(url("member_new"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Proposal.objects.filter(title="关于地铁口停车难问题的建议").exists()
    assert Attachment.objects.count() == before
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_a_bad_attachment_on_edit_changes_nothing(qiantang, draft, member_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = form_data(qiantang, title="改过的标题")
    data["files"] = [SimpleUploadedFile("a.docx", b"not a zip")]
    response = member_client.post(url("member_edit", draft.pk), data)
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.title != "改过的标题" and not draft.attachments.exists()


def test_the_lead_deletes_an_attachment_of_a_draft(
    qiantang, draft, member_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    data = form_data(qiantang)
    data["files"] = [SimpleUploadedFile("a.pdf", PDF)]
    member_client.post(url("member_edit", draft.pk), data)
    attachment = draft.attachments.get()
    path = attachment.file.path
    assert client_for("xugang").post(url("member_attachment_delete", draft.pk, attachment.pk)).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(url("member_attachment_delete", draft.pk, attachment.pk), follow=True)
    assert "已删除附件" in response.content.decode()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert "proposal.attachment_deleted" in actions(draft)
    assert not os.path.exists(path)


# --------------------------------------------------------------------------- co-signers


def test_co_signing_invite_confirm_decline_withdraw_and_the_submit_refusal(qiantang, draft, member_client):
    # search shows names and sectors only
    page = member_client.get(url("member_detail", draft.pk), {"q": "徐"}).content.decode()
    assert "徐钢" in page and "致公党" in page and "13900000" not in page
    xu, mao = member(qiantang, "徐钢"), member(qiantang, "茅徐程")
    member_client.post(url("member_cosigner_invite", draft.pk), {"member": xu.pk})
    member_client.post(url("member_cosigner_invite", draft.pk), {"member": mao.pk})
    assert set(draft.cosigners.values_list("member__name", "state")) == {("徐钢", "invited"), ("茅徐程", "invited")}

    response = member_client.post(url("member_submit", draft.pk), follow=True)
    assert "还有联名人未确认" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == "draft"

    xugang = client_for("xugang")
    assert "请您确认联名" in xugang.get(url("member_home")).content.decode()
    xugang.post(url("member_cosign", draft.pk), {"answer": "confirm", "next": "home"})
    client_for("maoxucheng").post(url("member_cosign", draft.pk), {"answer": "decline"})
    states = dict(draft.cosigners.values_list("member__name", "state"))
    assert states == {"徐钢": "confirmed", "茅徐程": "declined"}
    page = member_client.get(url("member_detail", draft.pk)).content.decode()
    assert "已确认" in page and "已谢绝" in page
    # the declined co-signer no longer sees the draft
    assert client_for("maoxucheng").get(url("member_detail", draft.pk)).status_code == 404

    # withdraw an invitation: a fresh one to a third member, withdrawn before submitting
    other = Member.objects.filter(committee=qiantang, state="active").exclude(name__in=["朱政", "徐钢", "茅徐程"])[0]
    member_client.post(url("member_cosigner_invite", draft.pk), {"member": other.pk})
    invitation = draft.cosigners.get(member=other)
    member_client.post(url("member_cosigner_withdraw", draft.pk, invitation.pk))
    invitation.refresh_from_db()
    assert invitation.state == "withdrawn"

    member_client.post(url("member_submit", draft.pk))
    draft.refresh_from_db()
    assert draft.state == "submitted" and draft.kind == "joint"


def test_only_the_lead_invites_or_withdraws(qiantang, draft):
    xu = member(qiantang, "徐钢")
    [inv] = s.cosigner_invite(proposal=draft, members=[xu], by=user("zhuzheng"))
    xugang = client_for("xugang")
    response = xugang.post(url("member_cosigner_invite", draft.pk), {"member": member(qiantang, "茅徐程").pk})
    assert response.status_code == 302
    assert not draft.cosigners.filter(member__name="茅徐程").exists()
    xugang.post(url("member_cosigner_withdraw", draft.pk, inv.pk))
    inv.refresh_from_db()
    assert inv.state == CoSigner.State.INVITED


def test_a_member_of_another_committee_cannot_be_invited(qiantang, hangzhou, draft, member_client):
    hz_member = Member.objects.filter(committee=hangzhou).first()
    response = member_client.post(url("member_cosigner_invite", draft.pk), {"member": hz_member.pk})
    assert response.status_code == 404
    assert not draft.cosigners.exists()


# --------------------------------------------------------------------------- access


def test_another_members_draft_is_404(draft):
    xugang = client_for("xugang")
    for name in ("member_detail", "member_edit"):
        assert xugang.get(url(name, draft.pk)).status_code == 404
    assert xugang.post(url("member_submit", draft.pk)).status_code == 404
    assert xugang.post(url("member_withdraw", draft.pk)).status_code == 404
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_a_member_of_hangzhou_gets_404(draft):
    for name in ("hz001", "hz005", "hz011"):
        client = client_for(name)
        assert client.get(url("member_detail", draft.pk)).status_code == 404
        assert client.post(url("member_evaluate", draft.pk), {"rating": "satisfied"}).status_code == 404


def test_a_member_withdraws_a_draft(draft, member_client):
    response = member_client.post(url("member_withdraw", draft.pk), follow=True)
    draft.refresh_from_db()
    assert draft.state == "withdrawn"
    assert "提案已撤回" in response.content.decode()
    assert "proposal.withdraw" in actions(draft)


def test_a_submitted_proposal_cannot_be_edited(draft, member_client, qiantang):
    s.proposal_submit(proposal=draft, by=user("zhuzheng"))
    response = member_client.post(url("member_edit", draft.pk), form_data(qiantang, title="x"), follow=True)
    assert "提案已提交,不能再修改" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title.startswith("关于着力构建")


# --------------------------------------------------------------------------- the proposal and evaluation


def test_the_proposal_page_shows_state_number_answer_and_the_evaluation_buttons(replied, member_client):
    response = member_client.get(url("member_detail", replied.pk))
    page = response.content.decode()
    assert "已答复" in page and replied.number in page
    assert "已列入年度计划" in page and "B 类 · 正在解决或列入计划" in page
    for label in ("满意", "基本满意", "不满意"):
        assert f">{label}</button>" in page
    assert "视为满意" not in page  # the default evaluation is off unless configured
    assert 'data-testid="timeline"' in page


def test_the_default_evaluation_rule_and_date_are_shown(qiantang, replied, member_client):
    qiantang.config = {**(qiantang.config or {}), "proposals.default_evaluation_days": 30}
    qiantang.save(update_fields=["config"])
    page = member_client.get(url("member_detail", replied.pk)).content.decode()
    until = (timezone.localdate(replied.replied_at) + dt.timedelta(days=30)).isoformat()
    assert f"答复送达后 30 日内未评价将视为满意,截止 {until}" in page


def test_answers_waiting_for_the_offices_review_are_not_shown(qiantang, filed, member_client):
    s.proposal_assign(proposal=filed, by=user("tiwei"), lead_unit=unit(qiantang, "区教育局"))
    s.assignment_accept(proposal=filed, by=user("jyj"))
    s.answer_submit(proposal=filed, by=user("jyj"), category="B", text="尚未审核的答复内容。")
    page = member_client.get(url("member_detail", filed.pk)).content.decode()
    assert "尚未审核的答复内容" not in page and 'data-testid="evaluate"' not in page


def test_a_proposer_evaluates_once(replied, member_client):
    response = member_client.post(
        url("member_evaluate", replied.pk), {"rating": "basic", "comment": "办理认真。"}, follow=True
    )
    assert "感谢您的评价" in response.content.decode()
    evaluation = Evaluation.objects.get(proposal=replied)
    assert (evaluation.rating, evaluation.comment, evaluation.member.name) == ("basic", "办理认真。", "朱政")
    replied.refresh_from_db()
    assert replied.state == "closed"
    assert 'data-testid="evaluate"' not in response.content.decode()
    again = member_client.post(url("member_evaluate", replied.pk), {"rating": "unsatisfied"}, follow=True)
    assert "不能评价" in again.content.decode()
    assert Evaluation.objects.filter(proposal=replied).count() == 1


def test_unsatisfied_sends_it_back_for_re_handling(replied, member_client):
    member_client.post(url("member_evaluate", replied.pk), {"rating": "unsatisfied", "comment": "未解决。"})
    replied.refresh_from_db()
    assert replied.state == "rehandling" and replied.round == 2


def test_a_bad_rating_is_refused(replied, member_client):
    response = member_client.post(url("member_evaluate", replied.pk), {"rating": "great"}, follow=True)
    assert "请选择满意、基本满意或不满意" in response.content.decode()
    assert not Evaluation.objects.filter(proposal=replied).exists()


def test_a_stranger_cannot_evaluate(replied):
    assert client_for("xugang").post(url("member_evaluate", replied.pk), {"rating": "satisfied"}).status_code == 404
    assert client_for("jyj").post(url("member_evaluate", replied.pk), {"rating": "satisfied"}).status_code == 403
    assert not Evaluation.objects.filter(proposal=replied).exists()


def test_a_confirmed_co_signer_evaluates_and_the_lead_still_has_to(qiantang, draft):
    xu = member(qiantang, "徐钢")
    [inv] = s.cosigner_invite(proposal=draft, members=[xu], by=user("zhuzheng"))
    s.cosigner_respond(cosigner=inv, by=user("xugang"), confirm=True)
    s.proposal_submit(proposal=draft, by=user("zhuzheng"))
    s.proposal_file(proposal=draft, by=user("tiwei"))
    s.proposal_assign(proposal=draft, by=user("tiwei"), lead_unit=unit(qiantang, "区教育局"))
    s.assignment_accept(proposal=draft, by=user("jyj"))
    s.answer_submit(proposal=draft, by=user("jyj"), category="A", text="已采纳。")
    s.answer_approve(proposal=draft, by=user("tiwei"))
    xugang = client_for("xugang")
    assert 'data-testid="evaluate"' in xugang.get(url("member_detail", draft.pk)).content.decode()
    xugang.post(url("member_evaluate", draft.pk), {"rating": "satisfied"})
    draft.refresh_from_db()
    assert draft.state == "replied"  # the lead has not evaluated yet
    home = client_for("zhuzheng").get(url("member_home"))
    [row] = [p for p in home.context["groups"][1][2] if p.pk == draft.pk]
    assert row.to_evaluate and "请评价" in home.content.decode()


def test_the_proposal_page_query_count_is_bounded(replied, member_client, django_assert_max_num_queries):
    member_client.get(url("member_detail", replied.pk))
    with django_assert_max_num_queries(16):
        member_client.get(url("member_detail", replied.pk))


# --------------------------------------------------------------------------- similar proposals


def test_the_similar_endpoint_answers_a_fragment(qiantang, filed, member_client):
    response = member_client.post(
        url("member_similar"),
        {"title": "构建开放型区域创新体系", "problem": "企业创新主体作用发挥不充分,区域创新资源分散。"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="similar"' in page and "<html" not in page
    matches = response.context["matches"]
    assert matches is not None and 1 <= len(matches) <= 5
    assert filed in [m.proposal for m in matches] and "<mark>" in page and filed.number in page
    assert all(m.proposal.number for m in matches)  # filed ones only: never anyone's draft


def test_the_draft_page_shows_similar_filed_proposals_but_not_other_drafts(qiantang, filed, member_client):
    twin = s.proposal_create(
        committee=qiantang,
        by=user("zhuzheng"),
        lead=member(qiantang, "朱政"),
        title="关于构建开放型区域创新体系的建议",
        problem="企业创新主体作用发挥不充分,区域创新资源分散。",
        suggestion="发挥企业创新主体作用。",
    )
    other_draft = s.proposal_create(
        committee=qiantang,
        by=user("xugang"),
        lead=member(qiantang, "徐钢"),
        title="关于构建开放型区域创新体系的另一份草稿",
        problem="企业创新主体作用发挥不充分,区域创新资源分散。",
    )
    response = member_client.get(url("member_detail", twin.pk))
    page = response.content.decode()
    assert filed.title in page and "<mark>" in page
    assert other_draft.title not in page


def test_the_similar_endpoint_asks_for_more_text(member_client):
    response = member_client.post(url("member_similar"), {"title": "短"})
    assert "请先写几句" in response.content.decode()
