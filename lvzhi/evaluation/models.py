"""Duty evaluation (履职量化考评): a committee's rule set for each year, the points ledger derived from the
events of every capability, manual adjustments, threshold warnings and the members' annual reports.

Every point a member holds is one LedgerLine: exactly one event and one rule. The ledger is derived (see
lvzhi/evaluation/ledger.py): incrementally as events arrive, or rebuilt for a whole year."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models import Event
from lvzhi.core.tenancy import CommitteeScoped
from lvzhi.org.models import ExitReview, Member


class Kind(models.TextChoices):
    """The kinds of duty a rule gives points for (one rule of each kind in a year's rule set)."""

    PLENARY_PRESENT = "plenary_present", _("出席全体会议")
    PLENARY_LEAVE = "plenary_leave", _("全体会议请假")
    PLENARY_ABSENT = "plenary_absent", _("全体会议无故缺席")
    MEETING_PRESENT = "meeting_present", _("出席常委会议等其他会议")
    MEETING_ABSENT = "meeting_absent", _("其他会议无故缺席")
    ACTIVITY_PRESENT = "activity_present", _("参加履职活动")
    PROPOSAL_FILED = "proposal_filed", _("提案立案")
    PROPOSAL_KEY = "proposal_key", _("重点提案")
    PROPOSAL_EXCELLENT = "proposal_excellent", _("优秀提案")
    OPINION_PUBLISHED = "opinion_published", _("社情民意信息刊发")
    OPINION_ADOPTED_DISTRICT = "opinion_adopted_district", _("社情民意被区级采用")
    OPINION_ADOPTED_CITY = "opinion_adopted_city", _("社情民意被市级采用")
    OPINION_ADOPTED_PROVINCE = "opinion_adopted_province", _("社情民意被省级采用")
    OPINION_ADOPTED_NATIONAL = "opinion_adopted_national", _("社情民意被全国采用")
    OPINION_INSTRUCTED_DISTRICT = "opinion_instructed_district", _("社情民意获区领导批示")
    OPINION_INSTRUCTED_CITY = "opinion_instructed_city", _("社情民意获市领导批示")
    OPINION_INSTRUCTED_PROVINCE = "opinion_instructed_province", _("社情民意获省领导批示")
    OPINION_INSTRUCTED_NATIONAL = "opinion_instructed_national", _("社情民意获中央领导批示")
    SPEECH_PLENARY = "speech_plenary", _("大会发言")
    SPEECH_WRITTEN = "speech_written", _("书面发言")
    CONSULTATION_ORAL = "consultation_oral", _("协商活动发言")
    CONSULTATION_WRITTEN = "consultation_written", _("协商活动书面意见")
    CONSULTATION_OUTCOME = "consultation_outcome", _("起草协商成果")
    ACTIVITY_REPORT = "activity_report", _("调研视察报告")
    READING_RECORD = "reading_record", _("读书笔记")
    ADJUSTMENT = "adjustment", _("人工调整")


class RuleSet(CommitteeScoped):
    """The rules of one committee for one year. Closed (frozen) when the year is closed."""

    year = models.PositiveSmallIntegerField(_("年度"))
    state = models.CharField(_("状态"), max_length=12, default="open")
    # Thresholds with consequences (None: off).
    absence_limit = models.PositiveSmallIntegerField(
        _("全体会议无故缺席预警次数"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    min_score = models.DecimalField(_("年度最低积分"), max_digits=7, decimal_places=1, null=True, blank=True)
    # Consecutive years (this one included) without a filed proposal nor a published opinion report.
    idle_years = models.PositiveSmallIntegerField(
        _("连续无提案和社情民意的年数"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    note = models.TextField(_("说明"), blank=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("复制自")
    )
    closed_at = models.DateTimeField(_("关账时间"), null=True, blank=True)
    # A rebuild in progress claims the year (see ledger.rebuild): a second rebuild is refused meanwhile.
    rebuild_started_at = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(_("最近重算时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考评规则")
        verbose_name_plural = _("考评规则")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["committee", "year"], name="evaluation_ruleset_year_unique")]

    def __str__(self) -> str:
        return f"{self.committee} {self.year}"

    @property
    def is_closed(self) -> bool:
        return self.state == "closed"


class Rule(CommitteeScoped):
    """Points for one kind of duty. `cap`: the most (in absolute value) that kind counts for a member in
    the year; `joint_weight`: the share of the points each other credited member of a joint work gets
    (the lead or sole author gets the full points)."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("履职事项"), max_length=32, choices=Kind.choices)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=1, default=0)
    cap = models.DecimalField(
        _("年度上限"), max_digits=7, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    joint_weight = models.DecimalField(
        _("联名(合作)者计分比例"),
        max_digits=3,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )

    class Meta:
        verbose_name = _("考评细则")
        verbose_name_plural = _("考评细则")
        ordering = ["rule_set", "id"]
        constraints = [models.UniqueConstraint(fields=["rule_set", "kind"], name="evaluation_rule_kind_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points}"


class LedgerLine(CommitteeScoped):
    """One line of the points ledger: one event, one rule, one member."""

    # No index of their own: (member, rule) and the unique (event, rule, member) lead with them.
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="ledger_lines", db_index=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="lines")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+", db_index=False)
    # The points before the cap (for a reversal: minus the reversed line's raw points).
    raw = models.DecimalField(max_digits=7, decimal_places=1)
    points = models.DecimalField(_("积分"), max_digits=7, decimal_places=1)
    joint = models.BooleanField(_("联名(合作)"), default=False)
    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="reversed_by", verbose_name=_("冲销")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("积分明细")
        verbose_name_plural = _("积分明细")
        ordering = ["event__created_at", "event_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "rule", "member"], name="evaluation_line_unique"),
        ]
        indexes = [
            models.Index(fields=["committee", "year", "member"]),
            models.Index(fields=["member", "rule"]),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.rule.kind} {self.points}"


class Adjustment(CommitteeScoped):
    """A manual adjustment of a member's score, with its reason (recorded as the event evaluation.adjusted)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("委员"))
    year = models.PositiveSmallIntegerField(_("年度"))
    points = models.DecimalField(_("调整分值"), max_digits=6, decimal_places=1)
    reason = models.TextField(_("调整理由"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("积分调整")
        verbose_name_plural = _("积分调整")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member} {self.points}"


class Warning(CommitteeScoped):  # noqa: A001 - the domain's word (预警)
    class Kind(models.TextChoices):
        ABSENCE = "absence", _("全体会议无故缺席")
        LOW_SCORE = "low_score", _("年度积分偏低")
        IDLE = "idle", _("连续无提案和社情民意")

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("委员"))
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("预警类型"), max_length=16, choices=Kind.choices)
    detail = models.TextField(_("情况"))
    state = models.CharField(_("状态"), max_length=16, default="open", db_index=True)
    decision = models.TextField(_("处理说明"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    exit_review = models.ForeignKey(
        ExitReview, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("退出审查")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("履职预警")
        verbose_name_plural = _("履职预警")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "member", "year", "kind"], name="evaluation_warning_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year} {self.kind}"


class AnnualReport(CommitteeScoped):
    """年度述职 of a member; for a standing member it is the 常委履职报告 and receives reviews (履职点评)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("委员"))
    year = models.PositiveSmallIntegerField(_("年度"))
    standing = models.BooleanField(_("常委履职报告"), default=False)
    title = models.CharField(_("标题"), max_length=120)
    text = models.TextField(_("正文"))
    state = models.CharField(_("状态"), max_length=12, default="draft")
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("年度述职")
        verbose_name_plural = _("年度述职")
        ordering = ["-year", "member__name"]
        constraints = [models.UniqueConstraint(fields=["committee", "member", "year"], name="evaluation_report_unique")]

    def __str__(self) -> str:
        return self.title


class Review(CommitteeScoped):
    """履职点评 of a standing member's duty report by staff or a peer."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer_name = models.CharField(_("点评人"), max_length=50)
    text = models.TextField(_("点评意见"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("履职点评")
        verbose_name_plural = _("履职点评")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "reviewer"], name="evaluation_review_unique")]

    def __str__(self) -> str:
        return f"{self.report} · {self.reviewer_name}"
