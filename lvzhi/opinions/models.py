"""Public-opinion reports (社情民意信息): from a member's or a contact point's report to the committee's
bulletin 《社情民意》, forwarding upward, adoption (采用) by level and leaders' instructions (批示).

A report's state is driven by the REPORT workflow (workflow.py). Forwarding to the parent committee makes
a copy of the report in the parent committee (`forwarded_from` points at the report it came from, `root`
at the original): the parent's staff handle the copy in their own queue; the original's staff read its
status. Adoptions and instructions are kept against the original (`root`), one adoption per level."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.core.tenancy import CommitteeScoped
from lvzhi.org.models import ContactPoint, Member, Studio


class Level(models.TextChoices):
    DISTRICT = "district", _("区级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("全国")


class Reporter(CommitteeScoped):
    """A user with the reporter role (信息员) and the contact point or studio they report for."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    contact_point = models.ForeignKey(
        ContactPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("联系点")
    )
    studio = models.ForeignKey(
        Studio, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("委员工作室")
    )

    class Meta:
        verbose_name = _("信息员")
        verbose_name_plural = _("信息员")
        constraints = [models.UniqueConstraint(fields=["committee", "user"], name="opinion_reporter_unique")]

    def __str__(self) -> str:
        return str(self.user)


class BulletinIssue(CommitteeScoped):
    """One issue (期) of the committee's bulletin 《社情民意》: numbered per year without gaps."""

    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveSmallIntegerField(_("期号"))
    title = models.CharField(_("标题"), max_length=120, blank=True)
    date = models.DateField(_("日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("社情民意期刊")
        verbose_name_plural = _("社情民意期刊")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year", "number"], name="opinion_issue_number_unique")
        ]

    def __str__(self) -> str:
        return _("%(year)s年第%(number)s期") % {"year": self.year, "number": self.number}


class OpinionReport(CommitteeScoped):
    class Source(models.TextChoices):
        MEMBER = "member", _("委员")
        CONTACT_POINT = "contact_point", _("社情民意联系点")
        STUDIO = "studio", _("委员工作室")

    title = models.CharField(_("标题"), max_length=120)
    topic = models.CharField(_("类别"), max_length=30, blank=True)
    situation = models.TextField(_("情况"), blank=True)
    suggestion = models.TextField(_("建议"), blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, default=Source.MEMBER)
    contact_point = models.ForeignKey(
        ContactPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("联系点")
    )
    studio = models.ForeignKey(
        Studio, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("委员工作室")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("报送人")
    )
    # Residents' private data: shown only to the committee's opinions staff and to the person who entered it.
    resident_name = models.CharField(_("反映群众姓名"), max_length=50, blank=True)
    resident_phone = models.CharField(_("反映群众电话"), max_length=30, blank=True)
    resident_notes = models.TextField(_("群众情况备注"), blank=True)
    state = models.CharField(_("状态"), max_length=16, default="draft", db_index=True)
    # the text as submitted (kept when staff edit it)
    original_title = models.CharField(_("原标题"), max_length=120, blank=True)
    original_situation = models.TextField(_("原情况"), blank=True)
    original_suggestion = models.TextField(_("原建议"), blank=True)
    edited_at = models.DateTimeField(_("采编时间"), null=True, blank=True)
    combined_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="combined", verbose_name=_("合并到")
    )
    issue = models.ForeignKey(
        BulletinIssue, null=True, blank=True, on_delete=models.PROTECT, related_name="reports", verbose_name=_("期刊")
    )
    issue_order = models.PositiveSmallIntegerField(default=0)
    # forwarding: the copy in the parent committee points at the report it came from and at the original
    forwarded_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="forwards", verbose_name=_("上报自")
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("原稿")
    )
    from_proposal = models.OneToOneField(
        "proposals.Proposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinion_report",
        verbose_name=_("由提案转来"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("刊发时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("社情民意信息")
        verbose_name_plural = _("社情民意信息")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["forwarded_from", "committee"],
                condition=models.Q(forwarded_from__isnull=False),
                name="opinion_forward_once",
            )
        ]
        indexes = [
            models.Index(fields=["committee", "state", "submitted_at"]),
            models.Index(fields=["committee", "submitted_by"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def origin_id(self) -> int:
        """The pk of the original report (this one unless it is a forwarded copy)."""
        return self.root_id or self.pk

    @property
    def length(self) -> int:
        return len(self.situation or "") + len(self.suggestion or "")


class ReportAuthor(CommitteeScoped):
    """An author (member) of a report, in order: the lead first."""

    report = models.ForeignKey(OpinionReport, on_delete=models.CASCADE, related_name="author_rows")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="opinion_authorships")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("作者")
        verbose_name_plural = _("作者")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "member"], name="opinion_author_unique")]

    def __str__(self) -> str:
        return str(self.member)


def attachment_path(instance, filename: str) -> str:
    return f"opinions/{instance.committee_id}/{instance.report_id}/{filename}"


class Attachment(CommitteeScoped):
    report = models.ForeignKey(OpinionReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Adoption(CommitteeScoped):
    """采用: one per level per original report (`root`), recorded by the staff of the committee holding
    `report` (the original or a forwarded copy)."""

    root = models.ForeignKey(OpinionReport, on_delete=models.PROTECT, related_name="adoptions")
    report = models.ForeignKey(OpinionReport, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("采用层级"), max_length=10, choices=Level.choices)
    body = models.CharField(_("采用单位"), max_length=100)
    date = models.DateField(_("采用日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("采用")
        verbose_name_plural = _("采用")
        ordering = ["date", "id"]
        constraints = [models.UniqueConstraint(fields=["root", "level"], name="opinion_adoption_once_per_level")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.body}"


class Instruction(CommitteeScoped):
    """批示: a leader's written instruction on a report."""

    root = models.ForeignKey(OpinionReport, on_delete=models.PROTECT, related_name="instructions")
    report = models.ForeignKey(OpinionReport, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("领导层级"), max_length=10, choices=Level.choices)
    leader = models.CharField(_("批示领导"), max_length=60)
    text = models.TextField(_("批示内容"))
    date = models.DateField(_("批示日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("批示")
        verbose_name_plural = _("批示")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.leader}"
