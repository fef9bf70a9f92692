"""The activities' workflows as data: the activity itself and each member's sign-up."""

from django.utils.translation import gettext_lazy as _

from lvzhi.core.roles import SYSTEM, Role
from lvzhi.core.workflow import Workflow, t

STAFF = {Role.STAFF_OFFICE, Role.STAFF_SPECIAL, Role.STAFF_MEETINGS}
MEMBERS = {Role.MEMBER, Role.STANDING}

ACTIVITY = Workflow(
    name="activity",
    states={"draft": _("草稿"), "published": _("报名中"), "closed": _("已结束"), "cancelled": _("已取消")},
    transitions=[
        t("draft", "publish", "published", STAFF, _("发布活动")),
        t("published", "close", "closed", STAFF | {SYSTEM}, _("结束活动")),
        t(("draft", "published"), "cancel", "cancelled", STAFF, _("取消活动"), reason=True),
    ],
)

SIGNUP = Workflow(
    name="signup",
    states={"confirmed": _("已报名"), "waitlisted": _("候补"), "cancelled": _("已取消")},
    transitions=[
        t(("confirmed", "waitlisted"), "cancel", "cancelled", MEMBERS | STAFF, _("取消报名")),
        t("waitlisted", "promote", "confirmed", STAFF | {SYSTEM}, _("候补转正")),
    ],
)
