"""Proposals (提案): from a member's draft to the unit's answer and the proposers' evaluation.

The proposal's own state is driven by the PROPOSAL workflow (workflow.py); the per-unit assignment and the
per-invitation co-signing have their own small workflows. Every rule value (deadlines, reason lists,
answer categories, number format) is a per-committee setting (lvzhi.core.config, keys "proposals.*")."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvzhi.core.tenancy import CommitteeScoped
from lvzhi.org.models import HandlingUnit, Member, NamedScoped, Session, Term


class Category(NamedScoped):
    """A proposal category (提案类别) of a committee: 经济建设, 科技创新…"""

    class Meta(NamedScoped.Meta):
        verbose_name = _("提案类别")
        verbose_name_plural = _("提案类别")
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="proposal_category_unique")]


class Proposal(CommitteeScoped):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("个人提案")
        JOINT = "joint", _("联名提案")
        COLLECTIVE = "collective", _("集体提案")

    class Period(models.TextChoices):
        SESSION = "session", _("大会期间")
        RECESS = "recess", _("闭会期间")

    kind = models.CharField(_("提案方式"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+", verbose_name=_("届"))
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("次会议")
    )
    period = models.CharField(_("提出时段"), max_length=8, choices=Period.choices, blank=True)
    lead = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_proposals",
        verbose_name=_("第一提案人"),
    )
    # Collective proposals: the body on whose behalf staff submit (a sector, special committee, party group).
    collective_name = models.CharField(_("提案单位"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("填写人")
    )
    title = models.CharField(_("案由"), max_length=120)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("类别")
    )
    problem = models.TextField(_("问题"), blank=True)
    analysis = models.TextField(_("分析"), blank=True)
    suggestion = models.TextField(_("建议"), blank=True)
    agree_publish = models.BooleanField(_("同意公开"), default=True)
    state = models.CharField(_("状态"), max_length=16, default="draft", db_index=True)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    serial = models.PositiveIntegerField(_("流水号"), null=True, blank=True)
    number = models.CharField(_("提案号"), max_length=60, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged", verbose_name=_("并入")
    )
    answer_category = models.CharField(_("答复类别"), max_length=4, blank=True)
    due_date = models.DateField(_("答复期限"), null=True, blank=True)
    is_key = models.BooleanField(_("重点提案"), default=False)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("督办领导"),
    )
    excellent_year = models.PositiveSmallIntegerField(_("优秀提案年度"), null=True, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    filed_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "number"], condition=~Q(number=""), name="proposal_number_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "state", "-created_at"]),
            models.Index(fields=["committee", "session", "state"]),
            models.Index(fields=["committee", "due_date"]),
            # the review queue (newest submission first, by state or not) and the "recently filed" scan of
            # similar(): ORDER BY … DESC, id DESC walks these backwards, LIMIT stops it early
            models.Index(fields=["committee", "submitted_at", "id", "state"], name="proposal_queue_idx"),
            models.Index(fields=["committee", "state", "submitted_at", "id"], name="proposal_queue_state_idx"),
            models.Index(
                fields=["committee", "category", "submitted_at", "id", "state"], name="proposal_queue_cat_idx"
            ),
            models.Index(
                fields=["committee", "session", "submitted_at", "id", "state"], name="proposal_queue_sess_idx"
            ),
            models.Index(fields=["committee", "filed_at", "id"], name="proposal_recent_filed_idx"),
            # a staff member's own collective drafts (queries.visibility's sub-query)
            models.Index(fields=["committee", "state", "kind", "created_by"], name="proposal_own_drafts_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def body(self) -> str:
        return "\n".join(p for p in (self.problem, self.analysis, self.suggestion) if p)


class CoSigner(CommitteeScoped):
    """A co-signer (联名人) invited by the lead member; confirms or declines."""

    class State(models.TextChoices):
        INVITED = "invited", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("已谢绝")
        WITHDRAWN = "withdrawn", _("已撤回")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosigners")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="cosignings", verbose_name=_("联名人"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.INVITED)
    order = models.PositiveSmallIntegerField(default=0)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("联名人")
        verbose_name_plural = _("联名人")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "member"], name="cosigner_unique")]

    def __str__(self) -> str:
        return str(self.member)


def attachment_path(instance, filename: str) -> str:
    return f"proposals/{instance.committee_id}/{instance.proposal_id}/{filename}"


class Attachment(CommitteeScoped):
    class Purpose(models.TextChoices):
        MATERIAL = "material", _("附件")
        REPLY_LETTER = "reply_letter", _("答复函")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.MATERIAL)
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


class Assignment(CommitteeScoped):
    """One handling unit's part of a proposal: lead (主办), co-unit (会办) or split (分办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("会办")
        SPLIT = "split", _("分办")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        HandlingUnit, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("承办单位")
    )
    role = models.CharField(_("办理方式"), max_length=8, choices=Role.choices)
    state = models.CharField(_("状态"), max_length=16, default="assigned")  # "opinion_given" is 13
    due_date = models.DateField(_("答复期限"))
    return_deadline = models.DateField(_("退回期限"))
    opinion = models.TextField(_("会办意见"), blank=True)  # a co-unit's opinion to the lead unit
    assigned_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["role", "id"]
        indexes = [models.Index(fields=["committee", "unit", "state"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_role_display()}"


class Contact(CommitteeScoped):
    """A unit's contact with the proposer while handling (面商/电话/书面)."""

    class Method(models.TextChoices):
        MEETING = "meeting", _("面商")
        PHONE = "phone", _("电话")
        WRITTEN = "written", _("书面")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="contacts")
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("沟通方式"), max_length=10, choices=Method.choices)
    date = models.DateField(_("日期"))
    note = models.TextField(_("沟通情况"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("沟通记录")
        verbose_name_plural = _("沟通记录")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.date}"


class Answer(CommitteeScoped):
    """A unit's formal answer (答复) in one round; the office may change its category on review."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("答复单位"))
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    category = models.CharField(_("答复类别"), max_length=4)
    reviewed_category = models.CharField(_("审核后类别"), max_length=4, blank=True)
    text = models.TextField(_("答复内容"))
    letter = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("答复函")
    )
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["round", "answered_at", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "unit", "round"], name="answer_once_per_round")]

    def __str__(self) -> str:
        return f"{self.unit} {self.category}"

    @property
    def final_category(self) -> str:
        return self.reviewed_category or self.category


class Evaluation(CommitteeScoped):
    """A proposer's evaluation (满意度评价) of the answer of one round."""

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evaluations")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("评价人"))
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("意见"), blank=True)
    by_default = models.BooleanField(_("逾期默认评价"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member", "round"], name="evaluation_once_per_round")
        ]

    def __str__(self) -> str:
        return self.get_rating_display()


class ProgressNote(CommitteeScoped):
    """A supervision progress note on a key proposal (重点提案督办)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="progress_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("进展"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("督办进展")
        verbose_name_plural = _("督办进展")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class NumberCounter(CommitteeScoped):
    """The last filing serial of a session (or of a term's recess): taken under a row lock, so numbers
    never repeat and have no gaps even when two staff file at the same moment."""

    scope = models.CharField(max_length=40)  # e.g. "session:12" or "term:3"
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["committee", "scope"], name="number_counter_unique")]

    def __str__(self) -> str:
        return f"{self.scope}: {self.last}"


class IntelBlob(CommitteeScoped):
    """A committee's trained intelligence, stored so every process can load it: the similar-proposal index
    (kind "similarity") and the category/unit classifier (kind "suggest"). Built by background tasks
    (tasks_intel.py); `version` grows on every rebuild so processes know to reload."""

    class Kind(models.TextChoices):
        SIMILARITY = "similarity", _("相似提案索引")
        SUGGEST = "suggest", _("类别与承办单位建议模型")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    version = models.PositiveIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)
    # Proposals filed at or after this instant are not in the index: they are scanned directly ("recent").
    cutoff = models.DateTimeField(null=True, blank=True)
    n_docs = models.PositiveIntegerField(default=0)
    meta = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["committee", "kind"], name="intel_blob_unique")]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"


class IntelChunk(models.Model):
    """One piece (at most a few MB) of an IntelBlob's data for one version; read back in `seq` order."""

    blob = models.ForeignKey(IntelBlob, on_delete=models.CASCADE, related_name="chunks")
    version = models.PositiveIntegerField()
    seq = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blob", "version", "seq"], name="intel_chunk_unique")]

    def __str__(self) -> str:
        return f"{self.blob_id} v{self.version} #{self.seq}"
