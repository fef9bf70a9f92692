"""The pages of consultations as each role sees them: staff desktop, member phone, department, public;
wrong role 403, another committee 404, and the refusals shown on the page with nothing changed."""

import datetime as dt
import io
import zipfile

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from lvzhi.consultations import services as s
from lvzhi.consultations.models import Outcome, Plan, Post, Response, Topic
from tests.conftest import client_for, user

from .conftest import rec, unit

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_staff_see_the_plan_events_outcome_and_supervision(qiantang):
    c = client_for("zhuanwei")
    plan = Plan.objects.get(committee=qiantang, year=2026)
    page = text(c.get("/consultations/staff/"))
    assert "2026 年度政协协商计划" in page and "已批准" in page
    page = text(c.get(f"/consultations/staff/plans/{plan.pk}/"))
    assert page.count('data-testid="topic-row"') == 6 and "老旧小区加装电梯" in page and "下沙街道" in page
    outcome = Outcome.objects.get(committee=qiantang, title__startswith="关于加快建设高能级科创平台")
    page = text(c.get(f"/consultations/staff/outcomes/{outcome.pk}/"))
    assert "周边用地已规划为产业用地" in page and "已逾期" in page
    page = text(c.get("/consultations/staff/supervision/"))
    assert "河湖长制落实情况民主监督" in page
    assert "成果建议落实" in page  # the staff nav


def test_plan_edit_after_approval_is_refused_on_the_page(qiantang):
    plan = Plan.objects.get(committee=qiantang, year=2026)
    topic = plan.topics.first()
    r = client_for("zhuanwei").post(
        f"/consultations/staff/plans/{plan.pk}/topics/{topic.pk}/",
        {"title": "改名", "kind": "themed", "month": 3},
        follow=True,
    )
    assert "议题不能再修改" in text(r)
    assert Topic.objects.get(pk=topic.pk).title == topic.title


def test_wrong_roles_get_403(qiantang, outcome):
    plan = Plan.objects.get(committee=qiantang, year=2026)
    for username in ("zhuzheng", "fgj"):
        c = client_for(username)
        assert c.get("/consultations/staff/").status_code == 403
        assert c.get("/consultations/staff/open/").status_code == 403
        assert c.get(f"/consultations/staff/outcomes/{outcome.pk}/").status_code == 403
    # leaders read but do not manage
    leader = client_for("jinzhiqiang")
    assert leader.get("/consultations/staff/open/").status_code == 200
    assert leader.post("/consultations/staff/plans/new/", {"year": 2031}).status_code == 403
    assert client_for("zhuzheng").post(f"/consultations/staff/plans/{plan.pk}/topics/", {}).status_code == 403
    assert client_for("zhuanwei").get("/consultations/unit/").status_code == 403
    assert client_for("zhuanwei").get("/consultations/").status_code == 403  # not a member
    assert client_for("zhuzheng").get("/consultations/unit/").status_code == 403


def test_another_committees_objects_are_404(qiantang, outcome):
    c = client_for("hz_office")  # staff of 杭州市政协
    plan = Plan.objects.get(committee=qiantang, year=2026)
    assert c.get(f"/consultations/staff/plans/{plan.pk}/").status_code == 404
    assert c.get(f"/consultations/staff/outcomes/{outcome.pk}/").status_code == 404
    assert c.get(f"/consultations/staff/events/{outcome.consultation_id}/").status_code == 404
    assert c.post(f"/consultations/staff/outcomes/{outcome.pk}/publish/").status_code == 404
    assert Outcome.objects.get(pk=outcome.pk).state == "sent"


def test_open_recommendations_with_filters_age_overdue_and_pages(qiantang, outcome):
    c = client_for("zhuanwei")
    page = text(c.get("/consultations/staff/open/"))
    # demo: 3 open (one overdue 区建设局, 区教育局 and 区科技局 past due too) + 4 of the fixture
    open_count = Response.objects.filter(committee=qiantang, state__in=["sent", "answered", "implementing"]).count()
    assert f'data-testid="open-total">{open_count}<' in page
    overdue = Response.objects.filter(
        committee=qiantang, state__in=["sent", "answered", "implementing"], due_date__lt=timezone.localdate()
    ).count()
    assert overdue >= 1 and f"{overdue} 条已逾期" in page
    page = text(c.get("/consultations/staff/open/", {"overdue": "on"}))
    assert page.count('data-testid="open-row"') == overdue and "加快人才公寓" in page
    jyj = unit(qiantang, "区教育局")
    page = text(c.get("/consultations/staff/open/", {"unit": jyj.pk}))
    assert (
        "区发展和改革局</td>" not in page
        and page.count('data-testid="open-row"')
        == Response.objects.filter(committee=qiantang, unit=jyj, state__in=["sent", "answered", "implementing"]).count()
    )
    page = text(c.get("/consultations/staff/open/", {"min_age": 100}))
    assert "测试协商成果" not in page and "加快人才公寓" in page  # sent today vs. sent in July
    # the age is computed: the demo's were sent on 2026-07-10
    age = (timezone.localdate() - dt.date(2026, 7, 10)).days
    assert f"{age} 天" in text(c.get("/consultations/staff/open/", {"overdue": "on"}))


def test_open_recommendations_paginate(qiantang, outcome, settings):
    from lvzhi.consultations import queries

    old = queries.PAGE_SIZE
    queries.PAGE_SIZE = 2
    try:
        c = client_for("zhuanwei")
        first = text(c.get("/consultations/staff/open/"))
        assert first.count('data-testid="open-row"') == 2 and 'data-testid="next-page"' in first
        second = text(c.get("/consultations/staff/open/", {"page": 2}))
        assert second.count('data-testid="open-row"') == 2
    finally:
        queries.PAGE_SIZE = old


def test_open_recommendations_export_to_excel(qiantang, outcome):
    r = client_for("zhuanwei").get("/consultations/staff/open.xlsx", {"overdue": "on"})
    assert r.status_code == 200
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("成果", "序号", "建议内容", "责任部门")
    assert any(row[2] == "加快人才公寓和配套设施建设。" and row[9] == "是" for row in rows[1:])
    assert all(row[0] != "测试协商成果" for row in rows[1:])  # not overdue: filtered out


def test_outcome_exports_to_word(qiantang):
    outcome = Outcome.objects.get(committee=qiantang, title__startswith="关于加快建设高能级科创平台")
    r = client_for("zhuanwei").get(f"/consultations/staff/outcomes/{outcome.pk}.docx")
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        xml = z.read("word/document.xml").decode()
    assert "统筹科创平台空间布局" in xml and "专项规划已于 9 月底" in xml and "不采纳理由" in xml


def test_department_pages_answer_step_and_feed_back(qiantang, outcome):
    c = client_for("fgj")
    page = text(c.get("/consultations/unit/"))
    r1 = rec(outcome, 1)
    assert f'data-testid="row-{r1.pk}"' in page and "区发展和改革局" in page
    assert f'data-testid="row-{rec(outcome, 2).pk}"' not in page  # 区教育局's
    r = c.post(f"/consultations/unit/{r1.pk}/answer/", {"adoption": "not_adopted", "answer": "不采纳"}, follow=True)
    assert "不采纳须说明理由" in text(r)
    assert Response.objects.get(recommendation=r1).state == "sent"
    c.post(f"/consultations/unit/{r1.pk}/answer/", {"adoption": "adopted", "answer": "采纳,列入计划"})
    c.post(f"/consultations/unit/{r1.pk}/step/", {"date": timezone.localdate().isoformat(), "text": "已启动"})
    r = c.post(f"/consultations/unit/{r1.pk}/feedback/", {"feedback": "已完成"}, follow=True)
    assert "落实结果已反馈" in text(r)
    resp = Response.objects.get(recommendation=r1)
    assert (resp.state, resp.adoption, resp.feedback, resp.steps.count()) == ("closed", "adopted", "已完成", 1)


def test_a_department_opening_or_answering_another_departments_recommendation_is_refused(qiantang, outcome):
    c = client_for("jyj")
    r1 = rec(outcome, 1)  # sent to 区发展和改革局 only
    assert c.get(f"/consultations/unit/{r1.pk}/").status_code == 404
    r = c.post(f"/consultations/unit/{r1.pk}/answer/", {"adoption": "adopted", "answer": "采纳"}, follow=True)
    assert "第 1 条建议没有送交区教育局办理" in text(r)
    assert Response.objects.get(recommendation=r1).state == "sent"
    assert not Response.objects.filter(recommendation=r1, unit__name="区教育局").exists()


def test_member_pages_show_my_consultations_and_the_discussion_without_hidden_posts(qiantang, online):
    s.post_create(consultation=online, by=user("zhuzheng"), text="看得见的发言")
    hidden = s.post_create(consultation=online, by=user("zhuzheng"), text="将被隐藏的发言")
    s.post_hide(post=hidden, by=user("zhuanwei"), reason="重复")
    c = client_for("zhuzheng")
    assert online.title in text(c.get("/consultations/"))
    page = text(c.get(f"/consultations/m/{online.pk}/"))
    assert "看得见的发言" in page and "将被隐藏的发言" not in page and 'data-testid="post-form"' in page
    staff_page = text(client_for("zhuanwei").get(f"/consultations/staff/events/{online.pk}/"))
    assert "将被隐藏的发言" in staff_page and "重复" in staff_page
    # an uninvited member: 404 on the page, refused on post
    other = client_for("xugang")
    assert other.get(f"/consultations/m/{online.pk}/").status_code == 404
    assert other.post(f"/consultations/m/{online.pk}/post/", {"text": "x"}).status_code == 404
    assert Post.objects.filter(consultation=online).count() == 2


def test_posting_after_the_window_shows_the_reason(qiantang, online):
    online.closes_at = timezone.now() - dt.timedelta(minutes=1)
    online.opens_at = timezone.now() - dt.timedelta(hours=2)
    online.save()
    r = client_for("zhuzheng").post(f"/consultations/m/{online.pk}/post/", {"text": "太晚了"}, follow=True)
    assert "截止,不能再发言" in text(r)
    assert not Post.objects.filter(consultation=online).exists()


def test_member_hands_in_a_written_opinion(qiantang, online):
    r = client_for("zhuzheng").post(
        f"/consultations/m/{online.pk}/opinion/", {"title": "我的意见", "text": "具体建议"}, follow=True
    )
    assert "书面意见已提交" in text(r) and "我的意见" in text(r)


def test_public_pages_show_published_outcomes_with_feedback_only(qiantang, outcome):
    anonymous = Client()
    published = Outcome.objects.get(committee=qiantang, title__startswith="关于加快建设高能级科创平台")
    listing = text(anonymous.get("/consultations/public/", {"committee": qiantang.pk}))
    assert published.title in listing and "测试协商成果" not in listing
    page = text(anonymous.get(f"/consultations/public/{published.pk}/"))
    assert "专项规划已于 9 月底经区政府常务会议审议通过" in page and "部分采纳" in page
    assert anonymous.get(f"/consultations/public/{outcome.pk}/").status_code == 404  # sent, not published


def test_staff_drive_the_outcome_from_the_pages(qiantang):
    from .conftest import make_consultation

    c = make_consultation(qiantang)
    staff = client_for("zhuanwei")
    r = staff.post(f"/consultations/staff/events/{c.pk}/outcome/", {"title": "页面成果", "summary": "报告"})
    o = Outcome.objects.get(consultation=c)
    assert r.status_code == 302
    fgj = unit(qiantang, "区发展和改革局")
    staff.post(f"/consultations/staff/outcomes/{o.pk}/recommendation/", {"text": "建议甲", "units": [fgj.pk]})
    staff.post(f"/consultations/staff/outcomes/{o.pk}/send/")
    assert Response.objects.filter(recommendation__outcome=o, unit=fgj, state="sent").count() == 1
    r = staff.post(f"/consultations/staff/outcomes/{o.pk}/recommendation/", {"text": "晚了", "units": [fgj.pk]},
                   follow=True)  # fmt: skip
    assert "不能再修改" in text(r) and o.recommendations.count() == 1


def test_a_draft_plans_topic_is_edited_on_the_page(qiantang):
    plan = s.plan_create(committee=qiantang, by=user("zhuanwei"), year=2027)
    topic = s.topic_save(plan=plan, by=user("zhuanwei"), title="旧题目", kind="themed", month=3)
    c = client_for("zhuanwei")
    page = text(c.get(f"/consultations/staff/plans/{plan.pk}/", {"edit": topic.pk}))
    assert "修改议题" in page and 'value="旧题目"' in page
    kjj = unit(qiantang, "区科技局")
    c.post(
        f"/consultations/staff/plans/{plan.pk}/topics/{topic.pk}/",
        {"title": "新题目", "kind": "counterpart", "month": 5, "units": [kjj.pk]},
    )
    topic.refresh_from_db()
    assert (topic.title, topic.kind, topic.month, list(topic.units.all())) == ("新题目", "counterpart", 5, [kjj])


def test_material_upload_checks_the_type_and_downloads_for_participants_only(qiantang, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import make_consultation

    settings.MEDIA_ROOT = tmp_path
    cons = make_consultation(qiantang, held=False)
    c = client_for("zhuanwei")
    bad = SimpleUploadedFile("run.exe", b"MZ...", content_type="application/octet-stream")
    r = c.post(f"/consultations/staff/events/{cons.pk}/material/", {"purpose": "material", "file": bad}, follow=True)
    assert "文件类型不能上传" in text(r) and not cons.materials.exists()
    good = SimpleUploadedFile("调研报告.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    c.post(f"/consultations/staff/events/{cons.pk}/material/", {"purpose": "research", "file": good})
    m = cons.materials.get()
    assert (m.name, m.purpose) == ("调研报告.pdf", "research")
    assert "调研报告.pdf" in text(client_for("zhuzheng").get(f"/consultations/m/{cons.pk}/"))
    url = f"/consultations/materials/{m.pk}/"
    assert b"".join(client_for("zhuzheng").get(url).streaming_content) == b"%PDF-1.4 report"  # invited
    assert c.get(url).status_code == 200  # staff
    assert client_for("xugang").get(url).status_code == 404  # not invited
    assert client_for("fgj").get(url).status_code == 404
    assert client_for("hz_office").get(url).status_code == 404


def test_staff_invite_a_whole_sector(qiantang):
    from lvzhi.org.models import Member, Sector

    from .conftest import make_consultation

    cons = make_consultation(qiantang, held=False, invite=())
    sector = Sector.objects.get(committee=qiantang, name="科技界")
    c = client_for("zhuanwei")
    r = c.post(f"/consultations/staff/events/{cons.pk}/invite/", {}, follow=True)
    assert "请选择委员、界别或专委会" in text(r) and not cons.participants.exists()
    c.post(f"/consultations/staff/events/{cons.pk}/invite/", {"sector": sector.pk})
    expected = set(
        Member.objects.filter(committee=qiantang, sector=sector, state="active").values_list("pk", flat=True)
    )
    assert set(cons.participants.values_list("member_id", flat=True)) == expected and expected


def test_staff_read_one_follow_up_with_its_history_and_reopen_it(qiantang):
    closed = Response.objects.get(committee=qiantang, unit__name="区发展和改革局", recommendation__number=1)
    c = client_for("zhuanwei")
    page = text(c.get(f"/consultations/staff/responses/{closed.pk}/"))
    assert "完成规划初稿并征求意见" in page and "答复采纳情况" in page and "退回继续落实" in page
    assert client_for("fgj").get(f"/consultations/staff/responses/{closed.pk}/").status_code == 403
    assert client_for("hz_office").get(f"/consultations/staff/responses/{closed.pk}/").status_code == 404
    c.post(f"/consultations/staff/responses/{closed.pk}/reopen/", {"reason": "请补充实施细则"})
    assert Response.objects.get(pk=closed.pk).state == "implementing"


def test_a_member_reaches_the_published_outcome_from_the_consultation(qiantang):
    outcome = Outcome.objects.get(committee=qiantang, state="published")
    page = text(client_for("zhuzheng").get(f"/consultations/m/{outcome.consultation_id}/"))
    assert f'href="/consultations/public/{outcome.pk}/"' in page
