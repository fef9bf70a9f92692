"""Demo data of the duty evaluation (runs last, after every other capability's demo). Idempotent.

- A rule set for every year the demo's events span (2021 → this year), the default rules modelled on the
  published examples of RULES.md; the ledger of each year rebuilt from the events (the 2021 plenary and
  standing-committee meeting, the proposals filed, key and excellent proposals, the speeches).
- The past years closed (frozen); closing 2021 raises the low-score warnings of the members who ended the
  year below zero (absent from the plenary without leave, or on leave with nothing else); one of them is
  decided (dismissed with a reason).
- Members see their rank within their sector (evaluation.show_rank on); 徐钢 (standing member) submitted
  his 2021 duty report, reviewed by the office; one manual adjustment this year for 朱政."""

from django.utils import timezone

from lvzhi.accounts.models import User
from lvzhi.core.models import Event
from lvzhi.org.models import Member

from . import ledger, services
from .drafting import draft_text
from .models import AnnualReport, RuleSet, Warning


def load(committee):
    if RuleSet.objects.for_committee(committee).exists():
        return
    first = (
        Event.objects.filter(committee=committee).order_by("created_at").values_list("created_at", flat=True).first()
    )
    this_year = timezone.localdate().year
    start = ledger.year_of(first) if first else this_year
    config = dict(committee.config or {})
    if "evaluation.show_rank" not in config:
        config["evaluation.show_rank"] = True
        committee.config = config
        committee.save(update_fields=["config"])
    for year in range(start, this_year + 1):
        services.create_year(committee, year)
        ledger.rebuild(committee, year)
    office = User.objects.filter(username="office").first()
    for rule_set in RuleSet.objects.for_committee(committee).filter(year__lt=this_year).order_by("year"):
        services.year_close(rule_set=rule_set, by=None)
    warning = Warning.objects.for_committee(committee).filter(year=start).order_by("pk").first()
    if warning and office:
        services.warning_dismiss(
            warning=warning, by=office, reason="经了解,该委员因突发疾病住院未能请假,已补交说明,不予处理。"
        )
    zhuzheng = Member.objects.for_committee(committee).filter(user__username="zhuzheng").first()
    if zhuzheng and office:
        services.adjust(
            committee=committee,
            member=zhuzheng,
            year=this_year,
            points=3,
            reason="参加区政协组织的“委员进社区”志愿服务(线下登记)。",
            by=office,
        )
    xugang = Member.objects.for_committee(committee).filter(user__username="xugang").first()
    if xugang and xugang.is_standing:
        report = AnnualReport.objects.create(
            committee=committee,
            member=xugang,
            year=start,
            standing=True,
            title=f"{start} 年度常委履职报告",
            text=draft_text(xugang, start),
        )
        services.report_submit(report=report, by=xugang.user)
        if office:
            services.review_add(
                report=report, by=office, text="履职积极,大会发言聚焦未来乡村建设,建议进一步加强调研成果转化。"
            )
