"""The rules of consultation: the plan approved as a whole, the online discussion window and moderation,
speeches as events, the closed loop of recommendations, and every refusal changing nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lvzhi.consultations import services as s
from lvzhi.consultations.models import Consultation, Plan, Post, Response, Speech, Step, Topic
from lvzhi.core.models import Event, Notification
from lvzhi.core.workflow import TransitionRefused
from tests.conftest import user

from .conftest import make_consultation, member, rec, unit

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- plan


def test_plan_from_draft_to_approved_then_topics_are_frozen(qiantang):
    plan = s.plan_create(committee=qiantang, by=user("zhuanwei"), year=2027)
    assert plan.title == "2027 年度协商计划"
    with pytest.raises(TransitionRefused, match="还没有议题"):
        s.plan_act(plan=plan, by=user("zhuanwei"), action="submit")
    topic = s.topic_save(
        plan=plan, by=user("zhuanwei"), title="数字经济发展", kind="themed", month=5,
        units=[unit(qiantang, "区科技局")],
    )  # fmt: skip
    s.plan_act(plan=plan, by=user("zhuanwei"), action="submit")
    # the special-committee staff submit, but do not approve their own plan
    with pytest.raises(TransitionRefused, match="权限"):
        s.plan_act(plan=plan, by=user("zhuanwei"), action="approve")
    s.plan_act(plan=plan, by=user("office"), action="approve")
    plan.refresh_from_db()
    assert plan.state == "approved" and plan.approved_at is not None
    # after approval: no edit, no new topic, no delete; nothing changes
    with pytest.raises(TransitionRefused, match="议题不能再修改"):
        s.topic_save(plan=plan, by=user("zhuanwei"), topic=topic, title="改过的题目", kind="themed", month=6)
    with pytest.raises(TransitionRefused, match="议题不能再修改"):
        s.topic_save(plan=plan, by=user("zhuanwei"), title="新增议题", kind="online", month=6)
    with pytest.raises(TransitionRefused):
        s.topic_delete(topic=topic, by=user("zhuanwei"))
    topic.refresh_from_db()
    assert topic.title == "数字经济发展" and topic.month == 5
    assert list(plan.topics.values_list("title", flat=True)) == ["数字经济发展"]


def test_sent_back_plan_is_editable_again(qiantang):
    plan = s.plan_create(committee=qiantang, by=user("zhuanwei"), year=2028)
    s.topic_save(plan=plan, by=user("zhuanwei"), title="议题", kind="invited", month=3)
    s.plan_act(plan=plan, by=user("zhuanwei"), action="submit")
    with pytest.raises(TransitionRefused, match="理由"):
        s.plan_act(plan=plan, by=user("office"), action="send_back")
    s.plan_act(plan=plan, by=user("office"), action="send_back", reason="请补充基层协商议题")
    s.topic_save(plan=plan, by=user("zhuanwei"), title="老旧小区改造", kind="grassroots", month=4,
                 sub_district=qiantang_sub(qiantang))  # fmt: skip
    assert Plan.objects.get(pk=plan.pk).topics.count() == 2


def qiantang_sub(committee):
    from lvzhi.org.models import SubDistrict

    return SubDistrict.objects.filter(committee=committee).first()


def test_bad_topics_are_refused(qiantang):
    plan = s.plan_create(committee=qiantang, by=user("zhuanwei"), year=2029)
    with pytest.raises(ValidationError, match="街道"):
        s.topic_save(plan=plan, by=user("zhuanwei"), title="基层", kind="grassroots", month=4)
    with pytest.raises(ValidationError, match="1 到 12"):
        s.topic_save(plan=plan, by=user("zhuanwei"), title="月份错", kind="themed", month=13)
    with pytest.raises(ValidationError):
        s.plan_create(committee=qiantang, by=user("zhuanwei"), year=2029)
    assert not Topic.objects.filter(plan=plan).exists()


def test_a_consultation_needs_an_approved_plan(qiantang):
    plan = s.plan_create(committee=qiantang, by=user("zhuanwei"), year=2030)
    topic = s.topic_save(plan=plan, by=user("zhuanwei"), title="草稿中的议题", kind="themed", month=4)
    before = Consultation.objects.count()
    with pytest.raises(ValidationError, match="尚未批准"):
        s.consultation_create(committee=qiantang, by=user("zhuanwei"), topic=topic, held_on=dt.date(2030, 4, 1))
    assert Consultation.objects.count() == before


def test_a_consultation_from_a_topic_takes_its_fields(qiantang):
    c = make_consultation(qiantang, kind="counterpart", held=False)
    assert c.title == "推进义务教育优质均衡发展" and c.kind == "counterpart"
    assert [u.name for u in c.units.all()] == ["区教育局"]
    assert c.lead.name == "社会事业委员会"


# --------------------------------------------------------------------------- speeches and discussion


def test_speeches_and_written_opinions_are_events_for_the_evaluation(qiantang):
    c = make_consultation(qiantang, invite=("zhuzheng", "xugang"))
    zhu, xu = member(qiantang, "zhuzheng"), member(qiantang, "xugang")
    oral = s.speech_record(consultation=c, by=user("zhuanwei"), member=xu, kind="oral", title="发言", text="内容")
    written = s.opinion_submit(consultation=c, by=user("zhuzheng"), title="书面意见", text="建议如下")
    assert written.kind == Speech.Kind.WRITTEN and written.member == zhu
    e1 = Event.objects.get(action="consultation.speech", subject_id=oral.pk)
    e2 = Event.objects.get(action="consultation.speech", subject_id=written.pk)
    assert e1.data["members"] == [xu.pk] and e1.data["lead"] == xu.pk and e1.data["kind"] == "oral"
    assert e2.data["members"] == [zhu.pk] and e2.data["kind"] == "written"


def test_an_uninvited_member_cannot_hand_in_a_written_opinion(qiantang):
    c = make_consultation(qiantang, invite=("zhuzheng",))
    with pytest.raises(TransitionRefused, match="没有受邀"):
        s.opinion_submit(consultation=c, by=user("xugang"), title="意见", text="内容")
    assert not Speech.objects.filter(consultation=c).exists()


def test_online_posts_only_inside_the_window_and_by_invited_members(qiantang, online):
    post = s.post_create(consultation=online, by=user("zhuzheng"), text="我的建议")
    assert post.member == member(qiantang, "zhuzheng")
    with pytest.raises(TransitionRefused, match="没有受邀"):
        s.post_create(consultation=online, by=user("xugang"), text="未受邀")
    with pytest.raises(TransitionRefused, match="已于 .* 截止"):
        s.post_create(consultation=online, by=user("zhuzheng"), text="太晚", now=online.closes_at)
    with pytest.raises(TransitionRefused, match="开始"):
        s.post_create(consultation=online, by=user("zhuzheng"), text="太早", now=online.opens_at - dt.timedelta(1))
    with pytest.raises(ValidationError):
        s.post_create(consultation=online, by=user("zhuzheng"), text="   ")
    assert list(Post.objects.filter(consultation=online).values_list("text", flat=True)) == ["我的建议"]


def test_posting_to_an_offline_consultation_is_refused(qiantang):
    c = make_consultation(qiantang)
    with pytest.raises(TransitionRefused, match="不是网络议政"):
        s.post_create(consultation=c, by=user("zhuzheng"), text="内容")


def test_hidden_posts_need_a_reason_and_tell_the_author(qiantang, online, django_capture_on_commit_callbacks):
    post = s.post_create(consultation=online, by=user("zhuzheng"), text="广告")
    with pytest.raises(ValidationError):
        s.post_hide(post=post, by=user("zhuanwei"), reason="")
    assert not Post.objects.get(pk=post.pk).hidden
    with django_capture_on_commit_callbacks(execute=True):
        s.post_hide(post=post, by=user("zhuanwei"), reason="与议题无关")
    with pytest.raises(TransitionRefused, match="已被隐藏"):
        s.post_hide(post=post, by=user("zhuanwei"), reason="再次")
    assert Post.objects.get(pk=post.pk).hidden_reason == "与议题无关"
    assert Notification.objects.filter(user=user("zhuzheng"), title__contains="已被隐藏").exists()


def test_an_online_consultation_needs_a_window(qiantang):
    now = timezone.now()
    with pytest.raises(ValidationError, match="截止时间应晚于"):
        s.consultation_create(
            committee=qiantang, by=user("zhuanwei"), title="网上", kind="online", held_on=now.date(),
            opens_at=now, closes_at=now - dt.timedelta(hours=1),
        )  # fmt: skip


# --------------------------------------------------------------------------- the closed loop


def test_sending_creates_one_follow_up_per_department_due_by_default_in_90_days(
    qiantang, django_capture_on_commit_callbacks
):
    from .conftest import make_outcome

    with django_capture_on_commit_callbacks(execute=True):
        outcome = make_outcome(qiantang)
    rows = Response.objects.filter(recommendation__outcome=outcome).order_by("recommendation__number", "unit__order")
    assert [(r.recommendation.number, r.unit.name) for r in rows] == [
        (1, "区发展和改革局"), (2, "区教育局"), (3, "区发展和改革局"), (3, "区教育局"),
    ]  # fmt: skip
    today = timezone.localdate()
    assert all(r.due_date == today + dt.timedelta(days=90) and r.state == "sent" for r in rows)
    assert Notification.objects.filter(user=user("fgj"), title__contains="测试协商成果").exists()
    # no more edits once sent
    with pytest.raises(TransitionRefused, match="不能再修改"):
        s.recommendation_save(
            outcome=outcome, by=user("zhuanwei"), text="迟到的建议", units=[unit(qiantang, "区科技局")]
        )
    assert outcome.recommendations.count() == 3


def test_a_committee_may_change_the_default_due_days(qiantang):
    from .conftest import make_outcome

    qiantang.config = {**(qiantang.config or {}), "consultations.due_days": 30}
    qiantang.save()
    o = make_outcome(qiantang)
    assert {r.due_date for r in Response.objects.filter(recommendation__outcome=o)} == {
        timezone.localdate() + dt.timedelta(days=30)
    }


def test_an_outcome_without_departments_cannot_be_sent(qiantang):
    from .conftest import make_outcome

    o = make_outcome(qiantang, send=False)
    with pytest.raises(ValidationError, match="责任部门"):
        s.recommendation_save(outcome=o, by=user("zhuanwei"), text="没有部门", units=[])
    empty = s.outcome_create(
        committee=qiantang, by=user("zhuanwei"), consultation=make_consultation(qiantang), title="空", summary="空"
    )
    with pytest.raises(TransitionRefused, match="还没有建议"):
        s.outcome_send(outcome=empty, by=user("zhuanwei"))
    assert not Response.objects.filter(recommendation__outcome=empty).exists()


def test_the_department_adopts_implements_and_feeds_back(qiantang, outcome):
    fgj = unit(qiantang, "区发展和改革局")
    r1 = rec(outcome, 1)
    s.response_answer(recommendation=r1, unit=fgj, by=user("fgj"), adoption="adopted", answer="采纳")
    s.step_add(recommendation=r1, unit=fgj, by=user("fgj"), date=timezone.localdate(), text="第一步")
    assert Response.objects.get(recommendation=r1, unit=fgj).state == "implementing"
    s.step_add(recommendation=r1, unit=fgj, by=user("fgj"), date=timezone.localdate(), text="第二步")
    s.response_feed_back(recommendation=r1, unit=fgj, by=user("fgj"), feedback="已完成")
    r = Response.objects.get(recommendation=r1, unit=fgj)
    assert r.state == "closed" and r.adoption == "adopted" and r.feedback == "已完成"
    assert list(r.steps.values_list("text", flat=True)) == ["第一步", "第二步"]
    actions = list(Event.objects.filter(subject_id=r.pk, action__startswith="consultation_response.").values_list(
        "action", flat=True))  # fmt: skip
    assert actions == [
        "consultation_response.answer", "consultation_response.implement", "consultation_response.step",
        "consultation_response.feed_back",
    ]  # fmt: skip
    with pytest.raises(TransitionRefused):
        s.step_add(recommendation=r1, unit=fgj, by=user("fgj"), date=timezone.localdate(), text="办结后")


def test_a_department_answering_a_recommendation_not_sent_to_it_is_refused(qiantang, outcome):
    jyj = unit(qiantang, "区教育局")
    r1 = rec(outcome, 1)  # sent to 区发展和改革局 only
    with pytest.raises(TransitionRefused, match="没有送交区教育局办理"):
        s.response_answer(recommendation=r1, unit=jyj, by=user("jyj"), adoption="adopted", answer="采纳")
    with pytest.raises(TransitionRefused, match="没有送交"):
        s.step_add(recommendation=r1, unit=jyj, by=user("jyj"), date=timezone.localdate(), text="x")
    with pytest.raises(TransitionRefused, match="没有送交"):
        s.response_feed_back(recommendation=r1, unit=jyj, by=user("jyj"), feedback="x")
    assert not Response.objects.filter(recommendation=r1, unit=jyj).exists()
    assert Response.objects.get(recommendation=r1).state == "sent"


def test_not_adopted_requires_a_reason(qiantang, outcome):
    fgj = unit(qiantang, "区发展和改革局")
    r1 = rec(outcome, 1)
    with pytest.raises(ValidationError, match="不采纳须说明理由"):
        s.response_answer(
            recommendation=r1, unit=fgj, by=user("fgj"), adoption="not_adopted", answer="不采纳", reason=" "
        )
    r = Response.objects.get(recommendation=r1)
    assert r.state == "sent" and r.adoption == "" and r.answer == ""
    s.response_answer(
        recommendation=r1, unit=fgj, by=user("fgj"), adoption="not_adopted", answer="不采纳", reason="条件不具备"
    )
    with pytest.raises(TransitionRefused, match="不予采纳"):
        s.step_add(recommendation=r1, unit=fgj, by=user("fgj"), date=timezone.localdate(), text="x")
    s.response_feed_back(recommendation=r1, unit=fgj, by=user("fgj"), feedback="已说明")
    assert Response.objects.get(recommendation=r1).state == "closed"


def test_answering_twice_is_refused(qiantang, outcome):
    fgj = unit(qiantang, "区发展和改革局")
    r1 = rec(outcome, 1)
    s.response_answer(recommendation=r1, unit=fgj, by=user("fgj"), adoption="adopted", answer="采纳")
    with pytest.raises(TransitionRefused, match="已答复"):
        s.response_answer(recommendation=r1, unit=fgj, by=user("fgj"), adoption="partly", answer="改")
    assert Response.objects.get(recommendation=r1).adoption == "adopted"


def test_a_future_step_date_is_refused(qiantang, outcome):
    fgj = unit(qiantang, "区发展和改革局")
    r1 = rec(outcome, 1)
    s.response_answer(recommendation=r1, unit=fgj, by=user("fgj"), adoption="adopted", answer="采纳")
    with pytest.raises(ValidationError, match="不能晚于今天"):
        s.step_add(recommendation=r1, unit=fgj, by=user("fgj"), date=timezone.localdate() + dt.timedelta(1), text="x")
    assert not Step.objects.filter(response__recommendation=r1).exists()


def test_publishing_records_the_outcome_event_with_the_drafters(qiantang, outcome):
    s.outcome_publish(outcome=outcome, by=user("zhuanwei"))
    e = Event.objects.get(action="consultation.outcome_published", subject_id=outcome.pk)
    zhu = member(qiantang, "zhuzheng")
    assert e.data == {"members": [zhu.pk], "lead": zhu.pk}
    with pytest.raises(TransitionRefused):
        s.outcome_publish(outcome=outcome, by=user("zhuanwei"))


def test_one_outcome_per_consultation_and_only_after_it_is_held(qiantang, outcome):
    with pytest.raises(TransitionRefused, match="已经有成果"):
        s.outcome_create(
            committee=qiantang, by=user("zhuanwei"), consultation=outcome.consultation, title="第二份", summary="x"
        )
    planned = make_consultation(qiantang, held=False)
    with pytest.raises(TransitionRefused, match="举行后"):
        s.outcome_create(committee=qiantang, by=user("zhuanwei"), consultation=planned, title="t", summary="x")


def test_supervision_uses_the_same_loop(qiantang):
    sup = s.supervision_create(committee=qiantang, by=user("zhuanwei"), year=2026, title="监督议题",
                               units=[unit(qiantang, "区建设局")])  # fmt: skip
    s.inspection_add(supervision=sup, by=user("zhuanwei"), date=dt.date(2026, 5, 1), place="现场",
                     members=[member(qiantang, "xugang")], notes="记录")  # fmt: skip
    s.finding_add(supervision=sup, by=user("zhuanwei"), text="问题一", unit=unit(qiantang, "区建设局"))
    o = s.outcome_create(committee=qiantang, by=user("zhuanwei"), supervision=sup, title="监督成果", summary="报告")
    r = s.recommendation_save(outcome=o, by=user("zhuanwei"), text="整改", units=[unit(qiantang, "区建设局")])
    s.outcome_send(outcome=o, by=user("zhuanwei"))
    s.response_answer(
        recommendation=r, unit=unit(qiantang, "区建设局"), by=user("jsj"), adoption="adopted", answer="整改"
    )
    assert Response.objects.get(recommendation=r).state == "answered"
    assert sup.inspections.count() == 1 and sup.findings.count() == 1


def test_objects_of_another_committee_are_refused(qiantang, hangzhou, outcome):
    hz_unit = unit(hangzhou, "杭州市发展和改革委员会")
    with pytest.raises(TransitionRefused):
        s.response_answer(recommendation=rec(outcome, 1), unit=hz_unit, by=user("hz_office"), adoption="adopted",
                          answer="x")  # fmt: skip
    o = s.outcome_create(
        committee=qiantang, by=user("zhuanwei"), consultation=make_consultation(qiantang), title="t", summary="x"
    )
    with pytest.raises(ValidationError, match="不属于本委员会"):
        s.recommendation_save(outcome=o, by=user("zhuanwei"), text="x", units=[hz_unit])
