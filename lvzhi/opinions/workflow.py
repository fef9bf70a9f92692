"""The public-opinion report's workflow as data."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.core.roles import SYSTEM, Role
from lvzhi.core.workflow import Workflow, t

AUTHORS = {Role.MEMBER, Role.STANDING, Role.REPORTER}
STAFF = {Role.STAFF_OPINIONS, Role.STAFF_OFFICE}
HANDLING = ("submitted", "editing", "accepted")  # in the staff queue

REPORT = Workflow(
    name="opinion",
    states={
        "draft": _("草稿"),
        "submitted": _("待采编"),
        "revising": _("退回修改"),
        "editing": _("采编中"),
        "accepted": _("拟编发"),
        "published": _("已刊发"),
        "not_used": _("不予编发"),
        "combined": _("已合并"),
        "withdrawn": _("已撤回"),
    },
    transitions=[
        t(("draft", "revising"), "submit", "submitted", AUTHORS, _("提交社情民意")),
        t(("draft", "revising", "submitted"), "withdraw", "withdrawn", AUTHORS, _("撤回")),
        t(("submitted", "editing"), "send_back", "revising", STAFF, pgettext_lazy("action", "退回修改"), reason=True),
        t("submitted", "start_edit", "editing", STAFF, _("开始采编")),
        t(("submitted", "editing"), "accept", "accepted", STAFF, _("拟编发")),
        t(HANDLING, "publish", "published", STAFF, _("刊发")),
        t(HANDLING, "not_use", "not_used", STAFF, pgettext_lazy("action", "不予编发"), reason=True),
        t(HANDLING, "combine", "combined", STAFF, _("合并到其他信息")),
        t("accepted", "reopen", "editing", STAFF, _("撤回拟编发")),
        # copies created by forwarding or from a converted proposal start in the queue
        t("draft", "receive", "submitted", {SYSTEM}, _("进入采编队列")),
    ],
)

OPEN_STATES = {"submitted", "editing", "accepted", "revising"}
