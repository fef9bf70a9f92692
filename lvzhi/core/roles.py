"""The roles a user can hold in one committee. A user may hold several roles in a committee and
different roles in different committees. Who may do what with them is in lvzhi/core/permissions.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("委员")
    STANDING = "standing", _("常委")
    STAFF_OFFICE = "staff_office", _("机关·办公室")
    STAFF_PROPOSALS = "staff_proposals", _("机关·提案委")
    STAFF_MEETINGS = "staff_meetings", _("机关·会务")
    STAFF_OPINIONS = "staff_opinions", _("机关·社情民意")
    STAFF_SPECIAL = "staff_special", _("机关·专委会")
    UNIT = "unit", _("承办单位")
    REPORTER = "reporter", _("信息员")  # runs a contact point (社情民意联系点) or a studio, reports for residents
    LEADER = "leader", _("领导")


STAFF_ROLES = frozenset(
    {Role.STAFF_OFFICE, Role.STAFF_PROPOSALS, Role.STAFF_MEETINGS, Role.STAFF_OPINIONS, Role.STAFF_SPECIAL}
)
MEMBER_ROLES = frozenset({Role.MEMBER, Role.STANDING})
# The pseudo-role of the platform itself (scheduled jobs, automatic transitions).
SYSTEM = "system"
