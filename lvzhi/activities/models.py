"""Duty activities (履职活动: 视察 · 调研 · 学习 …) with sign-up, a waiting list, reports, photos and outcomes,
and reading (书香政协): books, reading groups and members' reading records.

The check-in of an activity is a meetings.Meeting of kind "activity" behind it (one-to-one, created when the
activity is published); each confirmed sign-up is an Invitation of that meeting."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvzhi.core.tenancy import CommitteeScoped
from lvzhi.meetings.models import Meeting
from lvzhi.org.models import Member, Sector, SpecialCommittee, Studio


class Activity(CommitteeScoped):
    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("视察")
        RESEARCH = "research", _("专题调研")
        STUDY = "study", _("集体学习")
        LECTURE = "lecture", _("专题讲座 / 同心讲堂")
        TRAINING = "training", _("培训")
        FORUM = "forum", _("交流座谈")
        STUDIO = "studio", _("委员工作室活动")
        ENTERPRISE = "enterprise", _("走访企业")

    class Audience(models.TextChoices):
        ALL = "all", _("全体委员")
        SECTOR = "sector", _("某界别委员")
        SPECIAL = "special", _("某专委会委员")
        STUDIO = "studio", _("某委员工作室委员")

    kind = models.CharField(_("活动类型"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("活动名称"), max_length=120)
    description = models.TextField(_("活动内容"), blank=True)
    place = models.CharField(_("地点"), max_length=120)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    signup_deadline = models.DateTimeField(_("报名截止时间"))
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True, help_text=_("不填为不限名额"))
    # The organiser: a special committee, a studio, or (neither) the committee's office.
    organiser_special = models.ForeignKey(
        SpecialCommittee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("主办专委会"),
    )
    organiser_studio = models.ForeignKey(
        Studio, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("主办委员工作室")
    )
    # Who may sign up.
    audience = models.CharField(_("报名范围"), max_length=8, choices=Audience.choices, default=Audience.ALL)
    audience_sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("限界别")
    )
    audience_special = models.ForeignKey(
        SpecialCommittee, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("限专委会")
    )
    audience_studio = models.ForeignKey(
        Studio, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("限工作室")
    )
    self_checkin = models.BooleanField(_("允许委员输入签到码自助签到"), default=True)
    state = models.CharField(_("状态"), max_length=12, default="draft", db_index=True)
    meeting = models.OneToOneField(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="activity", verbose_name=_("签到")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("履职活动")
        verbose_name_plural = _("履职活动")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["committee", "state", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def organiser_label(self) -> str:
        if self.organiser_special_id:
            return self.organiser_special.name
        if self.organiser_studio_id:
            return self.organiser_studio.name
        return str(_("政协办公室"))

    @property
    def audience_label(self) -> str:
        target = {
            self.Audience.SECTOR: self.audience_sector,
            self.Audience.SPECIAL: self.audience_special,
            self.Audience.STUDIO: self.audience_studio,
        }.get(self.audience)
        if target is None:
            return str(_("全体委员"))
        return f"{target.name}"


class SignUp(CommitteeScoped):
    """One member's sign-up: confirmed within the capacity, waitlisted (in order of sign-up) beyond it, or
    cancelled. A member has at most one live (confirmed or waitlisted) sign-up per activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="activity_signups", verbose_name=_("委员")
    )
    state = models.CharField(_("状态"), max_length=12, default="confirmed")
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "member"],
                condition=Q(state__in=["confirmed", "waitlisted"]),
                name="signup_one_live_per_member",
            )
        ]
        indexes = [models.Index(fields=["activity", "state"])]

    def __str__(self) -> str:
        return f"{self.member} @ {self.activity}"


def upload_path(instance, filename: str) -> str:
    return f"activities/{instance.committee_id}/{filename}"


class ActivityReport(CommitteeScoped):
    """A member's report after an activity (调研报告, 视察报告, 学习心得…), with co-authors."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="reports")
    lead = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("执笔人"))
    authors = models.ManyToManyField(Member, related_name="activity_reports", verbose_name=_("作者"))
    title = models.CharField(_("题目"), max_length=120)
    text = models.TextField(_("正文"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def author_names(self) -> list[str]:
        """The authors' names, the lead first."""
        others = [a.name for a in self.authors.all() if a.pk != self.lead_id]
        return [self.lead.name, *others]

    class Meta:
        verbose_name = _("活动报告")
        verbose_name_plural = _("活动报告")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ReportFile(CommitteeScoped):
    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=upload_path, max_length=300)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Photo(CommitteeScoped):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(_("说明"), max_length=120, blank=True)
    file = models.FileField(_("照片"), upload_to=upload_path, max_length=300)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.file.name


class Outcome(CommitteeScoped):
    """An outcome staff attach to an activity: a research report, an inspection report, a file."""

    class Kind(models.TextChoices):
        RESEARCH = "research", _("调研报告")
        INSPECTION = "inspection", _("视察报告")
        SUGGESTION = "suggestion", _("意见建议")
        OTHER = "other", _("其他成果")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("成果类型"), max_length=12, choices=Kind.choices, default=Kind.RESEARCH)
    title = models.CharField(_("标题"), max_length=120)
    summary = models.TextField(_("摘要"), blank=True)
    name = models.CharField(_("文件名"), max_length=200, blank=True)
    file = models.FileField(_("文件"), upload_to=upload_path, max_length=300, blank=True)
    size = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("活动成果")
        verbose_name_plural = _("活动成果")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


# --------------------------------------------------------------------------- reading (书香政协)


class Book(CommitteeScoped):
    title = models.CharField(_("书名"), max_length=120)
    author = models.CharField(_("作者"), max_length=120, blank=True)
    cover = models.FileField(_("封面"), upload_to=upload_path, max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("图书")
        verbose_name_plural = _("图书")
        ordering = ["title", "id"]
        constraints = [models.UniqueConstraint(fields=["committee", "title", "author"], name="book_unique")]

    def __str__(self) -> str:
        return self.title


class ReadingGroup(CommitteeScoped):
    name = models.CharField(_("读书小组"), max_length=60)
    description = models.TextField(_("简介"), blank=True)
    convener = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("召集人")
    )
    members = models.ManyToManyField(Member, blank=True, related_name="reading_groups", verbose_name=_("组员"))
    books = models.ManyToManyField(Book, blank=True, related_name="groups", verbose_name=_("共读书目"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("读书小组")
        verbose_name_plural = _("读书小组")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="reading_group_unique")]

    def __str__(self) -> str:
        return self.name


class ReadingRecord(CommitteeScoped):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="reading_records", verbose_name=_("委员"))
    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="records", verbose_name=_("书名"))
    group = models.ForeignKey(
        ReadingGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
        verbose_name=_("读书小组"),
    )
    read_on = models.DateField(_("阅读日期"))
    notes = models.TextField(_("读书心得"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("读书记录")
        verbose_name_plural = _("读书记录")
        ordering = ["-read_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["member", "book", "read_on"], name="reading_record_unique")]

    def __str__(self) -> str:
        return f"{self.member} · {self.book}"
