"""Consultation (协商) and democratic supervision (民主监督) with their closed outcome loop.

- Plan (协商计划) of a year with its Topics; approved as a whole (draft → submitted → approved).
- Consultation: an event held on a plan topic or ad hoc, with Participants (invited members), departments,
  experts and residents (names), Materials (files; research beforehand is a material of kind "research"),
  Speeches (oral or written opinions of members) and, for 网络议政, Posts of the online discussion.
- Supervision: a democratic supervision topic with Inspections and Findings.
- Outcome (协商成果 / 监督成果): the report of a consultation or of a supervision topic, with numbered
  Recommendations; each recommendation is sent to one or more departments: one Response per
  (recommendation, department) carries adoption, implementation Steps and feedback.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvzhi.core.tenancy import CommitteeScoped
from lvzhi.org.models import HandlingUnit, Member, SpecialCommittee, SubDistrict


class Kind(models.TextChoices):
    THEMED = "themed", _("专题协商")
    COUNTERPART = "counterpart", _("对口协商")
    PROPOSAL = "proposal", _("提案办理协商")
    INVITED = "invited", _("请你来协商")
    GRASSROOTS = "grassroots", _("基层协商")
    ONLINE = "online", _("网络议政")


class Plan(CommitteeScoped):
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=120)
    state = models.CharField(_("状态"), max_length=12, default="draft")
    note = models.TextField(_("说明"), blank=True)
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("协商计划")
        verbose_name_plural = _("协商计划")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["committee", "year"], name="consult_plan_one_a_year")]

    def __str__(self) -> str:
        return self.title


class Topic(CommitteeScoped):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="topics")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    title = models.CharField(_("议题"), max_length=200)
    kind = models.CharField(_("协商形式"), max_length=16, choices=Kind.choices)
    lead = models.ForeignKey(
        SpecialCommittee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("牵头专委会"),
    )
    units = models.ManyToManyField(HandlingUnit, blank=True, related_name="+", verbose_name=_("对口部门"))
    sub_district = models.ForeignKey(
        SubDistrict, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    month = models.PositiveSmallIntegerField(_("计划月份"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("协商议题")
        verbose_name_plural = _("协商议题")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Consultation(CommitteeScoped):
    """One consultation event (协商活动), from a plan topic or ad hoc."""

    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("计划议题")
    )
    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("协商形式"), max_length=16, choices=Kind.choices)
    lead = models.ForeignKey(
        SpecialCommittee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("牵头专委会"),
    )
    sub_district = models.ForeignKey(
        SubDistrict, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    held_on = models.DateField(_("协商日期"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    units = models.ManyToManyField(HandlingUnit, blank=True, related_name="+", verbose_name=_("参加部门"))
    experts = models.TextField(_("特邀专家"), blank=True, help_text=_("每行一位"))
    residents = models.TextField(_("群众代表"), blank=True, help_text=_("每行一位"))
    research = models.TextField(_("会前调研"), blank=True)
    opens_at = models.DateTimeField(_("网上议政开始"), null=True, blank=True)
    closes_at = models.DateTimeField(_("网上议政截止"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=12, default="planned")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("协商活动")
        verbose_name_plural = _("协商活动")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["committee", "held_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_online(self) -> bool:
        return self.kind == Kind.ONLINE


class Participant(CommitteeScoped):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("委员"))
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("参加委员")
        verbose_name_plural = _("参加委员")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["consultation", "member"], name="consult_participant_once")]
        indexes = [models.Index(fields=["member", "consultation"])]

    def __str__(self) -> str:
        return str(self.member)


def material_path(instance, filename: str) -> str:
    return f"consultations/{instance.committee_id}/{instance.consultation_id}/{filename}"


class Material(CommitteeScoped):
    class Purpose(models.TextChoices):
        MATERIAL = "material", _("协商材料")
        RESEARCH = "research", _("调研报告")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="materials")
    purpose = models.CharField(_("类别"), max_length=12, choices=Purpose.choices, default=Purpose.MATERIAL)
    name = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=material_path, max_length=300)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("协商材料")
        verbose_name_plural = _("协商材料")
        ordering = ["purpose", "id"]

    def __str__(self) -> str:
        return self.name


class Speech(CommitteeScoped):
    """A member's speech at the consultation (oral, recorded by staff) or written opinion (书面意见)."""

    class Kind(models.TextChoices):
        ORAL = "oral", _("口头发言")
        WRITTEN = "written", _("书面意见")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="speeches")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("委员"))
    kind = models.CharField(_("方式"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("题目"), max_length=200)
    text = models.TextField(_("内容"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("发言与书面意见")
        verbose_name_plural = _("发言与书面意见")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title or str(self.consultation)


class Post(CommitteeScoped):
    """A post of the online discussion (网络议政)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="posts")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("委员"))
    text = models.TextField(_("内容"))
    created_at = models.DateTimeField(auto_now_add=True)
    hidden = models.BooleanField(_("已隐藏"), default=False)
    hidden_reason = models.CharField(_("隐藏理由"), max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("议政发言")
        verbose_name_plural = _("议政发言")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["consultation", "hidden", "created_at"])]

    def __str__(self) -> str:
        return self.text[:30]


class Supervision(CommitteeScoped):
    """A democratic supervision topic (民主监督议题)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("监督议题"), max_length=200)
    lead = models.ForeignKey(
        SpecialCommittee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("牵头专委会"),
    )
    units = models.ManyToManyField(HandlingUnit, blank=True, related_name="+", verbose_name=_("被监督部门"))
    description = models.TextField(_("监督内容"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("民主监督议题")
        verbose_name_plural = _("民主监督议题")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title


class Inspection(CommitteeScoped):
    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="inspections")
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200)
    members = models.ManyToManyField(Member, blank=True, related_name="+", verbose_name=_("参加委员"))
    notes = models.TextField(_("情况记录"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("监督视察")
        verbose_name_plural = _("监督视察")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.place}"


class Finding(CommitteeScoped):
    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField(_("发现的问题"))
    unit = models.ForeignKey(
        HandlingUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("涉及部门")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("监督发现")
        verbose_name_plural = _("监督发现")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:30]


class Outcome(CommitteeScoped):
    """The outcome report (协商成果 or 监督成果) of exactly one consultation or one supervision topic."""

    consultation = models.OneToOneField(
        Consultation, null=True, blank=True, on_delete=models.PROTECT, related_name="outcome"
    )
    supervision = models.OneToOneField(
        Supervision, null=True, blank=True, on_delete=models.PROTECT, related_name="outcome"
    )
    title = models.CharField(_("成果标题"), max_length=200)
    summary = models.TextField(_("成果报告"))
    drafters = models.ManyToManyField(Member, blank=True, related_name="+", verbose_name=_("执笔委员"))
    state = models.CharField(_("状态"), max_length=12, default="draft")
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("协商成果")
        verbose_name_plural = _("协商成果")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consultation__isnull=False, supervision__isnull=True)
                | Q(consultation__isnull=True, supervision__isnull=False),
                name="consult_outcome_one_source",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def source(self):
        return self.consultation if self.consultation_id else self.supervision


class Recommendation(CommitteeScoped):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("建议内容"))
    units = models.ManyToManyField(HandlingUnit, blank=True, related_name="+", verbose_name=_("责任部门"))
    due_date = models.DateField(_("反馈期限"), null=True, blank=True)  # None: the committee's default

    class Meta:
        verbose_name = _("成果建议")
        verbose_name_plural = _("成果建议")
        ordering = ["number", "id"]
        constraints = [models.UniqueConstraint(fields=["outcome", "number"], name="consult_rec_number_once")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:30]}"


OPEN_STATES = ("sent", "answered", "implementing")


class Response(CommitteeScoped):
    """One department's follow-up of one recommendation: adoption, implementation and feedback."""

    class Adoption(models.TextChoices):
        ADOPTED = "adopted", _("采纳")
        PARTLY = "partly", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("不采纳")

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任部门"))
    state = models.CharField(_("状态"), max_length=14, default="sent")
    sent_on = models.DateField(_("送达日期"))
    due_date = models.DateField(_("反馈期限"))
    adoption = models.CharField(_("采纳情况"), max_length=12, choices=Adoption.choices, blank=True)
    reason = models.TextField(_("不采纳理由"), blank=True)
    answer = models.TextField(_("办理意见"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    feedback = models.TextField(_("反馈"), blank=True)
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    reminded_on = models.DateField(_("最近催办"), null=True, blank=True)

    class Meta:
        verbose_name = _("建议办理")
        verbose_name_plural = _("建议办理")
        ordering = ["recommendation__number", "id"]
        constraints = [models.UniqueConstraint(fields=["recommendation", "unit"], name="consult_response_once")]
        indexes = [
            # The open-recommendations page: a committee's open responses by due date, with or without a unit.
            models.Index(
                fields=["committee", "due_date", "id"], condition=Q(state__in=OPEN_STATES), name="consult_open_due"
            ),
            models.Index(
                fields=["committee", "unit", "due_date", "id"],
                condition=Q(state__in=OPEN_STATES),
                name="consult_open_unit_due",
            ),
            models.Index(fields=["unit", "state"], name="consult_resp_unit_state"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} · {self.unit}"


class Step(CommitteeScoped):
    """An implementation step (落实举措) a department records with its date."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="steps")
    date = models.DateField(_("日期"))
    text = models.TextField(_("落实情况"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("落实情况")
        verbose_name_plural = _("落实情况")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["response", "date"])]

    def __str__(self) -> str:
        return self.text[:30]
