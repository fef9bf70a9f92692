"""Tenancy: every domain row carries `committee`; every query is scoped through the manager."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeQuerySet(models.QuerySet):
    def for_committee(self, committee):
        if committee is None:
            return self.none()
        return self.filter(committee=committee)


class CommitteeScoped(models.Model):
    """Abstract base of every domain row: it belongs to exactly one committee."""

    committee = models.ForeignKey(
        "org.Committee", on_delete=models.PROTECT, related_name="+", verbose_name=_("委员会"), db_index=True
    )

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        abstract = True


def committee_of(obj):
    """The committee an object belongs to (the object itself if it is a committee)."""
    from lvzhi.org.models import Committee

    if obj is None or isinstance(obj, Committee):
        return obj
    return getattr(obj, "committee", None)
