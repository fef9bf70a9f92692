from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tenancy import CommitteeScoped


class Event(CommitteeScoped):
    """One append-only row per state change: the timeline, the audit trail and the input of the points ledger."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    action = models.CharField(_("动作"), max_length=64)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "created_at"]),
            models.Index(fields=["committee", "action", "created_at"]),
        ]

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("events are append-only")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}->{self.to_state}"


class Notification(CommitteeScoped):
    """A message in a user's inbox (the in-app channel)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "committee", "read_at"])]

    def __str__(self) -> str:
        return self.title
