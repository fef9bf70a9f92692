"""Refusals of the evaluation's services change nothing and say why; years, adjustments, warnings, reports."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lvzhi.core.models import Event
from lvzhi.core.workflow import TransitionRefused
from lvzhi.evaluation import services
from lvzhi.evaluation.models import Adjustment, AnnualReport, LedgerLine, Review, Rule, RuleSet, Warning
from tests.conftest import user

from .conftest import member

YEAR = timezone.localdate().year


def rules_of(rs):
    return sorted(Rule.objects.filter(rule_set=rs).values_list("kind", "points", "cap", "joint_weight"))


def ledger_of(committee, year):
    return sorted(
        LedgerLine.objects.filter(committee=committee, year=year).values_list("event_id", "member_id", "points")
    )


def test_closed_year_rules_are_frozen(qiantang):
    rs = RuleSet.objects.get(committee=qiantang, year=2021)
    before, lines = rules_of(rs), ledger_of(qiantang, 2021)
    with pytest.raises(TransitionRefused, match="已关账"):
        services.rules_update(rule_set=rs, by=user("office"), rules={"plenary_present": {"points": "50"}})
    assert rules_of(rs) == before and ledger_of(qiantang, 2021) == lines
    with pytest.raises(TransitionRefused, match="已关账"):
        services.rebuild(committee=qiantang, year=2021, by=user("office"))
    with pytest.raises(TransitionRefused, match="已关账"):
        services.adjust(
            committee=qiantang, member=member(qiantang, "朱政"), year=2021, points=5, reason="补登", by=user("office")
        )
    assert ledger_of(qiantang, 2021) == lines


def test_negative_cap_refused_and_nothing_changes(qiantang):
    rs = RuleSet.objects.get(committee=qiantang, year=YEAR)
    before, lines = rules_of(rs), ledger_of(qiantang, YEAR)
    with pytest.raises(ValidationError) as exc:
        services.rules_update(
            rule_set=rs,
            by=user("office"),
            rules={"plenary_present": {"points": "8"}, "activity_present": {"cap": "-5"}},
            absence_limit=2,
            min_score=0,
        )
    assert "年度上限不能为负数" in str(exc.value)
    assert rules_of(rs) == before and ledger_of(qiantang, YEAR) == lines


@pytest.mark.parametrize(
    "rules, message",
    [
        ({"proposal_filed": {"joint_weight": "1.5"}}, "0 到 1"),
        ({"proposal_filed": {"points": "abc"}}, "须为数字"),
        ({"nonsense": {"points": "1"}}, "未知的履职事项"),
    ],
)
def test_bad_rule_values_refused(qiantang, rules, message):
    rs = RuleSet.objects.get(committee=qiantang, year=YEAR)
    before = rules_of(rs)
    with pytest.raises(ValidationError, match=message):
        services.rules_update(rule_set=rs, by=user("office"), rules=rules, absence_limit=2, min_score=0)
    assert rules_of(rs) == before


def test_only_the_office_edits_rules(qiantang):
    rs = RuleSet.objects.get(committee=qiantang, year=YEAR)
    with pytest.raises(PermissionDenied):
        services.rules_update(rule_set=rs, by=user("tiwei"), rules={"plenary_present": {"points": "8"}})


def test_adjustment_needs_a_reason_and_is_an_event(qiantang):
    zhu = member(qiantang, "朱政")
    count = Adjustment.objects.count()
    for reason in ("", "   "):
        with pytest.raises(ValidationError, match="必须填写理由"):
            services.adjust(committee=qiantang, member=zhu, year=YEAR, points=5, reason=reason, by=user("office"))
    with pytest.raises(ValidationError, match="不为零"):
        services.adjust(committee=qiantang, member=zhu, year=YEAR, points=0, reason="x", by=user("office"))
    with pytest.raises(PermissionDenied):
        services.adjust(committee=qiantang, member=zhu, year=YEAR, points=5, reason="x", by=user("huiwu"))
    assert Adjustment.objects.count() == count
    a = services.adjust(
        committee=qiantang, member=zhu, year=YEAR, points="-4", reason="会风会纪通报", by=user("office")
    )
    event = Event.objects.get(action="evaluation.adjusted", subject_id=a.pk)
    assert event.reason == "会风会纪通报" and event.actor == user("office")
    line = LedgerLine.objects.get(event=event)
    assert line.points == Decimal(-4) and line.member == zhu and line.rule.kind == "adjustment"


def test_new_year_starts_as_a_copy(qiantang):
    rs = RuleSet.objects.get(committee=qiantang, year=YEAR)
    services.rules_update(
        rule_set=rs, by=user("office"), rules={"reading_record": {"points": "2"}}, absence_limit=3, min_score=5
    )
    new = services.year_start(committee=qiantang, year=YEAR + 1, by=user("office"))
    assert new.copied_from == rs and new.absence_limit == 3 and new.min_score == 5
    assert Rule.objects.get(rule_set=new, kind="reading_record").points == 2
    with pytest.raises(ValidationError, match="已经开始"):
        services.year_start(committee=qiantang, year=YEAR + 1, by=user("office"))


def test_year_not_over_cannot_be_closed(qiantang):
    rs = services.year_start(committee=qiantang, year=YEAR + 1, by=user("office"))  # next year: never over today
    with pytest.raises(TransitionRefused, match="尚未结束"):
        services.year_close(rule_set=rs, by=user("office"))
    rs.refresh_from_db()
    assert rs.state == "open"


def test_closing_a_year_warns_about_low_scores(qiantang):
    services.year_start(committee=qiantang, year=2020, by=user("office"))  # before the demo: nobody has points
    rs = RuleSet.objects.get(committee=qiantang, year=2020)
    services.rules_update(rule_set=rs, by=user("office"), rules={}, absence_limit=2, min_score=10)
    services.year_close(rule_set=rs, by=user("office"))
    rs.refresh_from_db()
    assert rs.state == "closed" and rs.closed_at
    from lvzhi.org.models import Member

    warned = Warning.objects.filter(committee=qiantang, year=2020, kind="low_score").count()
    assert warned == Member.objects.filter(committee=qiantang, state="active").count()
    assert Event.objects.filter(action="evaluation_year.close", subject_id=rs.pk).exists()


def test_warning_decisions_are_recorded(qiantang):
    warning = Warning.objects.filter(committee=qiantang, state="open").first()
    with pytest.raises(TransitionRefused, match="需要填写理由"):
        services.warning_dismiss(warning=warning, by=user("office"), reason="")
    with pytest.raises(TransitionRefused, match="权限"):
        services.warning_dismiss(warning=warning, by=user("huiwu"), reason="x")
    services.warning_dismiss(warning=warning, by=user("office"), reason="已补交请假说明")
    warning.refresh_from_db()
    assert (
        warning.state == "dismissed" and warning.decision == "已补交请假说明" and warning.decided_by == user("office")
    )
    assert Event.objects.filter(action="evaluation_warning.dismiss", subject_id=warning.pk).exists()
    with pytest.raises(TransitionRefused):
        services.warning_open_exit(warning=warning, by=user("office"), reason="x")


def test_exit_refused_by_the_organisation_changes_nothing(qiantang):
    from lvzhi.org.models import ExitReview
    from lvzhi.org.services_lifecycle import exit_review_open

    warning = Warning.objects.filter(committee=qiantang, state="open").first()
    exit_review_open(member=warning.member, grounds="其他原因", by=user("office"))
    count = ExitReview.objects.count()
    with pytest.raises(ValidationError, match="进行中的退出审查"):
        services.warning_open_exit(warning=warning, by=user("office"), reason="两次缺席")
    warning.refresh_from_db()
    assert warning.state == "open" and warning.exit_review is None and ExitReview.objects.count() == count


def test_annual_report_draft_edit_submit_and_review(qiantang, settings):
    zhu = member(qiantang, "朱政")
    report = services.report_for(member=zhu, year=2021, by=user("zhuzheng"))
    assert "一、参加会议" in report.text and "第一次全体会议" in report.text
    assert "大会发言" in report.text and not report.standing
    with pytest.raises(PermissionDenied):
        services.report_save(report=report, by=user("xugang"), title="x", text="y", version=report.version)
    with pytest.raises(ValidationError, match="述职内容"):
        services.report_save(report=report, by=user("zhuzheng"), title="t", text=" ", version=report.version)
    report = services.report_save(
        report=report, by=user("zhuzheng"), title="2021 年度述职", text="正文", version=report.version
    )
    from lvzhi.org.services import StaleEdit

    with pytest.raises(StaleEdit):
        services.report_save(report=report, by=user("zhuzheng"), title="t", text="x", version=report.version - 1)
    services.report_submit(report=report, by=user("zhuzheng"))
    report.refresh_from_db()
    assert report.state == "submitted" and report.submitted_at
    with pytest.raises(TransitionRefused, match="已提交"):
        services.report_save(report=report, by=user("zhuzheng"), title="t", text="x", version=report.version)
    # a member's (not standing) report gets no reviews
    with pytest.raises(PermissionDenied):
        services.review_add(report=report, by=user("office"), text="好")


def test_standing_report_reviews_follow_the_setting(qiantang):
    report = AnnualReport.objects.get(committee=qiantang, member__name="徐钢", year=2021)
    assert report.standing and report.state == "submitted"
    assert Review.objects.filter(report=report).count() == 1  # the office's, in the demo
    with pytest.raises(ValidationError, match="已点评过"):
        services.review_add(report=report, by=user("office"), text="再评")
    # staff only (the default): a standing peer may not review
    peer = user("maoxucheng") if member(qiantang, "茅徐程").is_standing else None
    assert not services.can_review(user("zhuzheng"), report)
    qiantang.config = {**qiantang.config, "evaluation.review_by": "peers"}
    qiantang.save()
    report.refresh_from_db()
    assert not services.can_review(user("office"), report)
    assert not services.can_review(user("xugang"), report)  # not one's own
    if peer:
        assert services.can_review(peer, report)


def test_management_command_and_task_rebuild_the_year(qiantang):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from lvzhi.evaluation.tasks import rebuild_year

    LedgerLine.objects.filter(committee=qiantang, year=YEAR).delete()
    call_command("evaluation_rebuild", str(YEAR), "--committee", qiantang.name)
    lines = ledger_of(qiantang, YEAR)
    assert lines
    assert rebuild_year.delay(qiantang.pk, YEAR).get()["lines"] == len(lines)
    assert ledger_of(qiantang, YEAR) == lines
    assert "已关账" in rebuild_year.delay(qiantang.pk, 2021).get()["refused"]
    with pytest.raises(CommandError):
        call_command("evaluation_rebuild", "2021", "--committee", qiantang.name)


def test_two_years_without_proposal_or_opinion_raise_idle_warnings(qiantang, django_capture_on_commit_callbacks):
    from .conftest import contract_event

    rs = RuleSet.objects.get(committee=qiantang, year=YEAR)
    services.rules_update(rule_set=rs, by=user("office"), rules={}, absence_limit=2, min_score=0, idle_years=2)
    writer = member(qiantang, "茅徐程")
    with django_capture_on_commit_callbacks(execute=True):
        contract_event(qiantang, "opinion.publish", [writer], lead=writer)
    warnings = services.check_thresholds(committee=qiantang, year=YEAR, by=user("office"))
    idle = {w.member.name for w in warnings if w.kind == "idle"}
    assert idle and "朱政" not in idle and "茅徐程" not in idle  # 朱政 filed proposals this year
    w = Warning.objects.filter(committee=qiantang, year=YEAR, kind="idle").first()
    assert f"{YEAR - 1}–{YEAR} 年连续 2 年" in w.detail
    assert services.check_thresholds(committee=qiantang, year=YEAR, by=user("office")) == []  # once only
    with pytest.raises(ValidationError, match="正整数"):
        services.rules_update(rule_set=rs, by=user("office"), rules={}, idle_years="0")
