"""The evaluation's rules of conduct: starting a year, editing its rules, closing it, manual adjustments,
warnings and their decisions, annual reports and their reviews. Every refusal raises TransitionRefused or
ValidationError with a clear message, and changes nothing."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import events
from lvzhi.core.config import setting
from lvzhi.core.permissions import roles_of
from lvzhi.core.roles import MEMBER_ROLES, STAFF_ROLES
from lvzhi.core.workflow import TransitionRefused, apply
from lvzhi.org.models import Member

from . import ledger, thresholds
from .models import Adjustment, AnnualReport, Kind, Review, Rule, RuleSet, Warning
from .rules import DEFAULT_ABSENCE_LIMIT, DEFAULT_IDLE_YEARS, DEFAULT_MIN_SCORE, DEFAULT_RULES
from .workflow import REPORT, RULE_SET, WARNING

events.ACTION_LABELS.update(
    {
        "evaluation.year_started": gettext_lazy("开始考评年度"),
        "evaluation.rules_changed": gettext_lazy("修改考评规则"),
        "evaluation.rebuilt": gettext_lazy("重算年度积分"),
        "evaluation.adjusted": gettext_lazy("人工调整积分"),
        "evaluation.report_saved": gettext_lazy("保存述职报告"),
        "evaluation.reviewed": gettext_lazy("履职点评"),
    }
)

MAX_POINTS = Decimal(1000)


def _require(user, perm: str, committee) -> None:
    if user is not None and not user.has_perm(perm, committee):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


# --------------------------------------------------------------------------- years and rules


@transaction.atomic
def year_start(*, committee, year: int, by) -> RuleSet:
    """Start a year: its rule set is a copy of the latest earlier year's (or the default rules), and the
    year's events are derived once the transaction commits."""
    _require(by, "evaluation.manage", committee)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("年度不正确。")}) from None
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": _("年度不正确。")})
    if RuleSet.objects.filter(committee=committee, year=year).exists():
        raise ValidationError({"year": _("%(year)s 年度已经开始。") % {"year": year}})
    rule_set = create_year(committee, year, by=by)
    transaction.on_commit(lambda: _rebuild_quietly(committee, year))
    return rule_set


def create_year(committee, year: int, *, by=None) -> RuleSet:
    """The rule set of a new year: a copy of the latest earlier year's, else the default rules."""
    source = RuleSet.objects.filter(committee=committee, year__lt=year).order_by("-year").first()
    rule_set = RuleSet.objects.create(
        committee=committee,
        year=year,
        copied_from=source,
        absence_limit=source.absence_limit if source else DEFAULT_ABSENCE_LIMIT,
        min_score=source.min_score if source else DEFAULT_MIN_SCORE,
        idle_years=source.idle_years if source else DEFAULT_IDLE_YEARS,
        note=source.note if source else "",
    )
    values = {r.kind: (r.points, r.cap, r.joint_weight) for r in source.rules.all()} if source else {}
    Rule.objects.bulk_create(
        Rule(
            committee=committee,
            rule_set=rule_set,
            kind=kind,
            points=values.get(kind, DEFAULT_RULES[kind])[0],
            cap=values.get(kind, DEFAULT_RULES[kind])[1],
            joint_weight=values.get(kind, DEFAULT_RULES[kind])[2],
        )
        for kind in Kind.values
    )
    events.record(
        subject=rule_set,
        action="evaluation.year_started",
        actor=by,
        to_state="open",
        data={"year": year, "copied_from": source.year if source else None},
    )
    return rule_set


def _rebuild_quietly(committee, year):
    try:
        ledger.rebuild(committee, year)
    except TransitionRefused:
        pass


def _decimal(value, field: str, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("「%(label)s」须为数字。") % {"label": label}}) from None
    if abs(number) > MAX_POINTS:
        raise ValidationError({field: _("「%(label)s」超出允许范围。") % {"label": label}})
    return number


def _positive_int(value, field: str, message) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: message}) from None
    if not 1 <= number <= 100:
        raise ValidationError({field: message})
    return number


def rules_update(
    *, rule_set: RuleSet, by, rules: dict, absence_limit=None, min_score=None, idle_years=None, note: str = ""
) -> dict:
    """Change a year's rules: `rules` = {kind: {"points", "cap", "joint_weight"}} (missing keys unchanged).
    Refused when the year is closed, a cap is negative or a weight is outside 0–1. The year's ledger is
    rebuilt in the same transaction, so scores follow the new rules."""
    committee = rule_set.committee
    _require(by, "evaluation.manage", committee)
    if rule_set.is_closed:
        raise TransitionRefused(
            _("%(year)s 年度已关账,考评规则已冻结,不能修改;往年积分不会改变。") % {"year": rule_set.year}
        )
    parsed: dict[str, dict] = {}
    labels = dict(Kind.choices)
    for kind, values in (rules or {}).items():
        if kind not in labels or kind == Kind.ADJUSTMENT:
            raise ValidationError({"rules": _("未知的履职事项:%(kind)s。") % {"kind": kind}})
        label = str(labels[kind])
        row = {}
        if "points" in values:
            points = _decimal(values["points"], f"{kind}-points", label)
            row["points"] = points if points is not None else Decimal(0)
        if "cap" in values:
            cap = _decimal(values["cap"], f"{kind}-cap", label)
            if cap is not None and cap < 0:
                raise ValidationError(
                    {f"{kind}-cap": _("「%(label)s」的年度上限不能为负数;不设上限请留空。") % {"label": label}}
                )
            row["cap"] = cap
        if "joint_weight" in values:
            weight = _decimal(values["joint_weight"], f"{kind}-joint_weight", label)
            weight = Decimal(1) if weight is None else Decimal(str(values["joint_weight"])).quantize(Decimal("0.01"))
            if not 0 <= weight <= 1:
                raise ValidationError(
                    {f"{kind}-joint_weight": _("「%(label)s」的联名计分比例须在 0 到 1 之间。") % {"label": label}}
                )
            row["joint_weight"] = weight
        parsed[kind] = row
    absence_limit = _positive_int(absence_limit, "absence_limit", _("缺席预警次数须为正整数;不设请留空。"))
    idle_years = _positive_int(idle_years, "idle_years", _("连续年数须为正整数;不设请留空。"))
    min_score = _decimal(min_score, "min_score", _("年度最低积分"))
    changed: dict = {}

    def edit():
        locked = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
        if locked.is_closed:
            raise TransitionRefused(_("%(year)s 年度已关账,考评规则已冻结,不能修改。") % {"year": locked.year})
        for rule in Rule.objects.filter(rule_set=locked, kind__in=list(parsed)):
            for name, value in parsed[rule.kind].items():
                if getattr(rule, name) != value:
                    changed.setdefault(rule.kind, {})[name] = [str(getattr(rule, name)), str(value)]
                    setattr(rule, name, value)
            rule.save()
        values = (("absence_limit", absence_limit), ("min_score", min_score), ("idle_years", idle_years))
        for name, value in (*values, ("note", note or "")):
            if getattr(locked, name) != value:
                changed[name] = [str(getattr(locked, name)), str(value)]
                setattr(locked, name, value)
        locked.save(update_fields=["absence_limit", "min_score", "idle_years", "note"])
        events.record(subject=locked, action="evaluation.rules_changed", actor=by, data={"changes": changed})

    ledger.rebuild(committee, rule_set.year, before=edit)
    rule_set.refresh_from_db()
    return changed


def rebuild(*, committee, year: int, by) -> dict:
    _require(by, "evaluation.manage", committee)
    result = ledger.rebuild(committee, year)
    rule_set = RuleSet.objects.get(committee=committee, year=year)
    events.record(subject=rule_set, action="evaluation.rebuilt", actor=by, data=result)
    return result


def year_close(*, rule_set: RuleSet, by) -> RuleSet:
    """年度关账: the rules and the ledger of the year are frozen; the year's low scores raise warnings."""
    today = timezone.localdate()
    if rule_set.year > today.year or (rule_set.year == today.year and today < dt.date(today.year, 12, 1)):
        raise TransitionRefused(_("%(year)s 年度尚未结束(12 月 1 日起可以关账)。") % {"year": rule_set.year})
    if rule_set.rebuild_started_at is not None:
        raise TransitionRefused(_("该年度的积分正在重算,请等重算完成后再关账。"))

    # Low scores are checked before the year is frozen, in the same transaction.
    def on_apply(locked):
        locked.closed_at = timezone.now()
        thresholds.check_low_scores(locked.committee, locked.year)
        thresholds.check_idle(locked.committee, locked.year)

    apply(RULE_SET, rule_set, "close", by=by, on_apply=on_apply)
    rule_set.refresh_from_db()
    return rule_set


def check_thresholds(*, committee, year: int, by) -> list[Warning]:
    _require(by, "evaluation.manage", committee)
    return (
        thresholds.check_absences(committee.pk, year)
        + thresholds.check_low_scores(committee, year)
        + thresholds.check_idle(committee, year)
    )


# --------------------------------------------------------------------------- adjustments


def adjust(*, committee, member: Member, year: int, points, reason: str, by) -> Adjustment:
    """A manual adjustment (加分或减分) of a member's score for an open year, with its reason."""
    if by is None or not by.has_perm("evaluation.manage", committee):
        raise PermissionDenied(_("只有机关办公室可以人工调整积分。"))
    if member.committee_id != committee.pk:
        raise ValidationError({"member": _("所选委员不属于本委员会。")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("人工调整积分必须填写理由。")})
    value = _decimal(points, "points", _("调整分值"))
    if value is None or value == 0:
        raise ValidationError({"points": _("请填写不为零的调整分值(减分填负数)。")})
    with transaction.atomic():
        rule_set = RuleSet.objects.select_for_update().filter(committee=committee, year=year).first()
        if rule_set is None:
            raise ValidationError({"year": _("%(year)s 年度还没有开始考评。") % {"year": year}})
        if rule_set.is_closed:
            raise TransitionRefused(_("%(year)s 年度已关账,不能再调整积分。") % {"year": year})
        adjustment = Adjustment.objects.create(
            committee=committee, member=member, year=year, points=value, reason=reason, created_by=by
        )
        event = events.record(
            subject=adjustment,
            action="evaluation.adjusted",
            actor=by,
            reason=reason,
            data={"members": [member.pk], "lead": member.pk, "points": str(value), "year": year},
        )
        ledger.derive(event)
    return adjustment


# --------------------------------------------------------------------------- warnings


def warning_dismiss(*, warning: Warning, by, reason: str):
    return apply(
        WARNING,
        warning,
        "dismiss",
        by=by,
        reason=reason,
        changes={"decided_by": by, "decision": (reason or "").strip(), "decided_at": timezone.now()},
    )


def warning_open_exit(*, warning: Warning, by, reason: str):
    """Open the exit review (退出) of lvzhi/org for the warned member; refused (and nothing recorded) when
    the organisation refuses it (a member who left, a review already open)."""
    from lvzhi.org.services_lifecycle import exit_review_open

    reason = (reason or "").strip()

    def on_apply(locked: Warning) -> None:
        if not reason:
            return  # the engine refuses it
        review = exit_review_open(
            member=locked.member,
            grounds=_("履职预警:%(detail)s\n%(reason)s") % {"detail": locked.detail, "reason": reason},
            by=by,
        )
        locked.exit_review = review

    return apply(
        WARNING,
        warning,
        "open_exit",
        by=by,
        reason=reason,
        on_apply=on_apply,
        changes={"decided_by": by, "decision": reason, "decided_at": timezone.now()},
    )


# --------------------------------------------------------------------------- annual reports


def _standing(member: Member) -> bool:
    return bool(member.is_standing)


def report_for(*, member: Member, year: int, by) -> AnnualReport:
    """The member's report of the year, drafted from the year's record the first time."""
    from .drafting import draft_text

    report = AnnualReport.objects.filter(committee=member.committee, member=member, year=year).first()
    if report:
        return report
    if by is None or by.pk != member.user_id:
        raise PermissionDenied(_("只有委员本人可以起草自己的述职报告。"))
    standing = _standing(member)
    title = (_("%(year)s 年度常委履职报告") if standing else _("%(year)s 年度委员述职报告")) % {"year": year}
    try:
        with transaction.atomic():
            return AnnualReport.objects.create(
                committee=member.committee,
                member=member,
                year=year,
                standing=standing,
                title=title,
                text=draft_text(member, year),
            )
    except IntegrityError:
        return AnnualReport.objects.get(committee=member.committee, member=member, year=year)


def report_save(*, report: AnnualReport, by, title: str, text: str, version: int) -> AnnualReport:
    from lvzhi.org.services import StaleEdit

    if by is None or report.member.user_id != by.pk:
        raise PermissionDenied(_("只有委员本人可以修改自己的述职报告。"))
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写标题。")})
    if not text:
        raise ValidationError({"text": _("请填写述职内容。")})
    if len(text) > 20000:
        raise ValidationError({"text": _("述职内容不能超过 20000 字。")})
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if locked.state != "draft":
            raise TransitionRefused(_("述职报告已提交,不能再修改;如需修改请联系机关办公室退回。"))
        if int(version) != locked.version:
            raise StaleEdit(_("述职报告已在别处修改,请刷新后再编辑。"))
        locked.title, locked.text, locked.version = title, text, locked.version + 1
        locked.save(update_fields=["title", "text", "version", "updated_at"])
        events.record(subject=locked, action="evaluation.report_saved", actor=by)
    return locked


def report_submit(*, report: AnnualReport, by):
    if by is None or report.member.user_id != by.pk:
        raise PermissionDenied(_("只有委员本人可以提交自己的述职报告。"))
    event = apply(REPORT, report, "submit", by=by, changes={"submitted_at": timezone.now()})
    office = thresholds.office_users(report.committee)
    from django.urls import reverse

    from lvzhi.core.notify import notify

    notify(
        committee=report.committee,
        users=office,
        title=_("%(name)s 提交了%(title)s") % {"name": report.member.name, "title": report.title},
        url=reverse("evaluation:staff_report", args=[report.pk]),
    )
    return event


def report_return(*, report: AnnualReport, by, reason: str):
    return apply(REPORT, report, "return", by=by, reason=reason)


def can_review(user, report: AnnualReport) -> bool:
    """Who may review (履职点评) a submitted standing member's report, by the committee's setting."""
    if not report.standing or report.state != "submitted" or user is None:
        return False
    if report.member.user_id == user.pk:
        return False
    roles = roles_of(user, report.committee)
    mode = setting(report.committee, "evaluation.review_by")
    staff_ok = bool(roles & STAFF_ROLES) and mode in ("staff", "both")
    peer_ok = "standing" in roles and bool(roles & MEMBER_ROLES) and mode in ("peers", "both")
    return staff_ok or peer_ok


def review_add(*, report: AnnualReport, by, text: str) -> Review:
    text = (text or "").strip()
    if not can_review(by, report):
        if report.state != "submitted":
            raise TransitionRefused(_("述职报告尚未提交,不能点评。"))
        raise PermissionDenied(_("按本委员会的设置,您不能点评这份履职报告。"))
    if not text:
        raise ValidationError({"text": _("请填写点评意见。")})
    if len(text) > 5000:
        raise ValidationError({"text": _("点评意见不能超过 5000 字。")})
    member = Member.objects.filter(committee=report.committee, user=by).first()
    name = member.name if member else (by.get_full_name() or by.get_username())
    try:
        with transaction.atomic():
            review = Review.objects.create(
                committee=report.committee, report=report, reviewer=by, reviewer_name=name, text=text
            )
            events.record(subject=report, action="evaluation.reviewed", actor=by, data={"review": review.pk})
    except IntegrityError:
        raise ValidationError({"text": _("您已点评过这份报告。")}) from None
    from django.urls import reverse

    from lvzhi.core.notify import notify

    if report.member.user_id:
        notify(
            committee=report.committee,
            users=[report.member.user],
            title=_("您的履职报告收到一条点评"),
            body=text[:200],
            url=reverse("evaluation:member_report", args=[report.year]),
        )
    return review
