"""Meetings (会议): plenary sessions, standing-committee and chairman's meetings, themed meetings; the
invited members with their registration (报到), check-in (签到), leave (请假), groups and speeches."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.core.tenancy import CommitteeScoped
from lvzhi.org.models import Member, Session


class Meeting(CommitteeScoped):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("全体会议")
        STANDING = "standing", _("常委会议")
        CHAIRMAN = "chairman", _("主席会议")
        THEMED_STANDING = "themed_standing", _("专题议政性常委会")
        FORUM = "forum", _("专题座谈会")
        ACTIVITY = "activity", _("履职活动")  # the check-in of a duty activity (lvzhi/activities)
        OTHER = "other", _("其他会议")

    kind = models.CharField(_("会议类型"), max_length=20, choices=Kind.choices)
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("次会议")
    )
    title = models.CharField(_("会议名称"), max_length=120)
    place = models.CharField(_("地点"), max_length=120)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    doors_open_at = models.DateTimeField(_("开始签到时间"))
    state = models.CharField(_("状态"), max_length=12, default="draft", db_index=True)
    registration_required = models.BooleanField(_("需要报到"), default=False)
    materials = models.JSONField(_("领取材料"), default=list, blank=True)  # ["会议指南", "出席证", …]
    commitment_text = models.TextField(_("承诺书"), blank=True)
    self_checkin = models.BooleanField(_("允许委员自助签到"), default=False)
    checkin_code = models.CharField(_("签到码"), max_length=6, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["committee", "state", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class AgendaItem(CommitteeScoped):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    title = models.CharField(_("议程"), max_length=200)
    starts_at = models.DateTimeField(_("时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


def document_path(instance, filename: str) -> str:
    return f"meetings/{instance.committee_id}/{instance.meeting_id}/{filename}"


class Document(CommitteeScoped):
    """A meeting document (会议指南, a report…), optionally attached to an agenda item."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    name = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=document_path, max_length=300)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议文件")
        verbose_name_plural = _("会议文件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Group(CommitteeScoped):
    """A discussion group (分组讨论) with its convener and room."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("组名"), max_length=60)
    room = models.CharField(_("会议室"), max_length=60, blank=True)
    convener = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("召集人")
    )
    minutes = models.TextField(_("讨论纪要"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("讨论组")
        verbose_name_plural = _("讨论组")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Invitation(CommitteeScoped):
    """One invited member of a meeting and their attendance: registered, on leave, present or absent."""

    class Method(models.TextChoices):
        QR = "qr", _("扫码签到")
        CODE = "code", _("签到码自助签到")
        DESK = "desk", _("工作人员代签")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("委员"))
    state = models.CharField(_("状态"), max_length=12, default="invited")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations")
    seat = models.CharField(_("座位"), max_length=20, blank=True)  # the label shown to people: "3排12座"
    # The seat in the meeting's seat plan (SeatPlan): row 1 is the front row, seats numbered from the left.
    seat_row = models.PositiveSmallIntegerField(_("排"), null=True, blank=True)
    seat_number = models.PositiveSmallIntegerField(_("座号"), null=True, blank=True)
    registered_at = models.DateTimeField(_("报到时间"), null=True, blank=True)
    materials_received = models.JSONField(_("已领材料"), default=list, blank=True)
    commitment_signed_name = models.CharField(_("承诺书签名"), max_length=50, blank=True)
    commitment_signed_at = models.DateTimeField(_("承诺书签署时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checkin_method = models.CharField(_("签到方式"), max_length=8, choices=Method.choices, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("参会委员")
        verbose_name_plural = _("参会委员")
        ordering = ["member__sector__order", "member__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="invitation_unique"),
            # one member per seat in a meeting (two staff assigning the same seat at once: one is refused)
            models.UniqueConstraint(
                fields=["meeting", "seat_row", "seat_number"],
                condition=models.Q(seat_row__isnull=False),
                name="invitation_seat_unique",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "state"])]

    def __str__(self) -> str:
        return f"{self.member} @ {self.meeting}"


class SeatPlan(CommitteeScoped):
    """The hall of a meeting (座位图, optional): rows × seats per row; reserved rows (e.g. the front row for
    the leaders) are left out of the automatic assignment. The seats themselves are on Invitation."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="seat_plan")
    rows = models.PositiveSmallIntegerField(_("排数"))
    seats_per_row = models.PositiveSmallIntegerField(_("每排座位数"))
    reserved_rows = models.JSONField(_("预留排"), default=list, blank=True)  # [1] = the front row
    reserved_label = models.CharField(_("预留排用途"), max_length=30, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("座位图")
        verbose_name_plural = _("座位图")

    def __str__(self) -> str:
        return f"{self.meeting} · {self.rows}×{self.seats_per_row}"


class LeaveRequest(CommitteeScoped):
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="leave_requests")
    reason = models.TextField(_("请假事由"))
    state = models.CharField(_("状态"), max_length=12, default="pending")
    late = models.BooleanField(_("逾期请假"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("请假")
        verbose_name_plural = _("请假")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.reason[:30]


class Speech(CommitteeScoped):
    """An application to speak at the plenary (大会发言) or a written speech (书面发言)."""

    class Kind(models.TextChoices):
        ORAL = "oral", _("大会口头发言")
        WRITTEN = "written", _("书面发言")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speeches")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="speeches", verbose_name=_("发言人"))
    kind = models.CharField(_("发言方式"), max_length=8, choices=Kind.choices, default=Kind.ORAL)
    title = models.CharField(_("题目"), max_length=120)
    text = models.TextField(_("发言稿"))
    state = models.CharField(_("状态"), max_length=12, default="applied")
    order = models.PositiveSmallIntegerField(_("发言顺序"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("发言")
        verbose_name_plural = _("发言")
        ordering = ["order", "created_at", "id"]

    def __str__(self) -> str:
        return self.title
