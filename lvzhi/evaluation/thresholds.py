"""Thresholds with consequences: a year's unexcused plenary absences reaching the rule set's limit (checked as
absences are derived), and a year's score under the rule set's minimum (checked when the year is closed, or
when staff ask). Crossing one raises a warning (预警) to the office: a page and a notification. Staff decide
(services.warning_dismiss / services.warning_open_exit)."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import events
from lvzhi.core.notify import notify
from lvzhi.core.roles import Role
from lvzhi.org.models import Committee, Member, Membership

from .models import Kind, LedgerLine, RuleSet, Warning

events.ACTION_LABELS.setdefault("evaluation.warning_raised", gettext_lazy("触发履职预警"))


def office_users(committee) -> list:
    return [
        m.user
        for m in Membership.objects.filter(committee=committee, role=Role.STAFF_OFFICE).select_related("user")
        if m.user.is_active
    ]


def raise_warning(committee, member: Member, year: int, kind: str, detail: str) -> Warning | None:
    """Create the warning unless the member has one of that kind for the year already."""
    if Warning.objects.filter(committee=committee, member=member, year=year, kind=kind).exists():
        return None
    try:
        with transaction.atomic():
            warning = Warning.objects.create(committee=committee, member=member, year=year, kind=kind, detail=detail)
            events.record(
                subject=warning,
                action="evaluation.warning_raised",
                to_state="open",
                reason=detail,
                data={"member": member.pk, "year": year, "kind": kind},
            )
    except IntegrityError:  # raised meanwhile by another derivation
        return None
    notify(
        committee=committee,
        users=office_users(committee),
        title=_("履职预警:%(name)s") % {"name": member.name},
        body=detail,
        url=reverse("evaluation:warning", args=[warning.pk]),
    )
    return warning


def check_absences(committee_id: int, year: int, member_ids=None) -> list[Warning]:
    rule_set = RuleSet.objects.filter(committee_id=committee_id, year=year).first()
    if rule_set is None or not rule_set.absence_limit:
        return []
    lines = LedgerLine.objects.filter(committee_id=committee_id, year=year, rule__kind=Kind.PLENARY_ABSENT)
    if member_ids is not None:
        lines = lines.filter(member_id__in=member_ids)
    counts = (
        lines.values("member_id")
        .annotate(
            n=Count("id", filter=Q(reverses__isnull=True)) - Count("id", filter=Q(reverses__isnull=False)),
        )
        .filter(n__gte=rule_set.absence_limit)
    )
    committee = Committee.objects.get(pk=committee_id)
    raised = []
    for row in counts:
        member = Member.objects.get(pk=row["member_id"])
        detail = _("%(year)s 年度无故缺席全体会议 %(n)s 次,达到预警次数(%(limit)s 次)。") % {
            "year": year,
            "n": row["n"],
            "limit": rule_set.absence_limit,
        }
        warning = raise_warning(committee, member, year, Warning.Kind.ABSENCE, detail)
        if warning:
            raised.append(warning)
    return raised


def check_low_scores(committee, year: int) -> list[Warning]:
    """Warn about the active members whose year's score is under the rule set's minimum."""
    rule_set = RuleSet.objects.filter(committee=committee, year=year).first()
    if rule_set is None or rule_set.min_score is None:
        return []
    minimum = Decimal(rule_set.min_score)
    totals = dict(
        LedgerLine.objects.filter(committee=committee, year=year)
        .values_list("member_id")
        .annotate(total=Sum("points"))
        .order_by()
    )
    raised = []
    for member in Member.objects.for_committee(committee).filter(state=Member.State.ACTIVE).order_by("pk"):
        total = totals.get(member.pk, Decimal(0))
        if total < minimum:
            detail = _("%(year)s 年度履职积分 %(score)s 分,低于最低要求 %(min)s 分。") % {
                "year": year,
                "score": total,
                "min": minimum,
            }
            warning = raise_warning(committee, member, year, Warning.Kind.LOW_SCORE, detail)
            if warning:
                raised.append(warning)
    return raised


WORK_KINDS = (Kind.PROPOSAL_FILED, Kind.OPINION_PUBLISHED)


def check_idle(committee, year: int) -> list[Warning]:
    """Warn about the active members with no filed proposal nor published opinion report (net of
    reversals) in the rule set's number of consecutive years ending with `year`. Years without a rule set
    count as unknown: the check needs every year of the window evaluated."""
    rule_set = RuleSet.objects.filter(committee=committee, year=year).first()
    if rule_set is None or not rule_set.idle_years:
        return []
    window = list(range(year - rule_set.idle_years + 1, year + 1))
    if RuleSet.objects.filter(committee=committee, year__in=window).count() < len(window):
        return []
    worked = set(
        LedgerLine.objects.filter(committee=committee, year__in=window, rule__kind__in=WORK_KINDS)
        .values("member_id")
        .annotate(n=Count("id", filter=Q(reverses__isnull=True)) - Count("id", filter=Q(reverses__isnull=False)))
        .filter(n__gt=0)
        .values_list("member_id", flat=True)
    )
    raised = []
    # members for the whole window: their term began before the window's second year
    members = Member.objects.for_committee(committee).filter(
        state=Member.State.ACTIVE, term__start_date__lt=dt.date(window[0] + 1, 1, 1)
    )
    for member in members.order_by("pk"):
        if member.pk in worked:
            continue
        detail = _("%(first)s–%(last)s 年连续 %(n)s 年没有立案提案,也没有刊发社情民意信息。") % {
            "first": window[0],
            "last": year,
            "n": len(window),
        }
        warning = raise_warning(committee, member, year, Warning.Kind.IDLE, detail)
        if warning:
            raised.append(warning)
    return raised
