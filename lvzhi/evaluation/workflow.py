"""The evaluation's workflows as data: closing a year's rule set, deciding a warning, and the annual report
(年度述职 / 常委履职报告)."""

from django.utils.translation import gettext_lazy as _

from lvzhi.core.roles import SYSTEM, Role
from lvzhi.core.workflow import Workflow, t

OFFICE = {Role.STAFF_OFFICE}
MEMBERS = {Role.MEMBER, Role.STANDING}

RULE_SET = Workflow(
    name="evaluation_year",
    states={"open": _("进行中"), "closed": _("已关账")},
    transitions=[
        t("open", "close", "closed", OFFICE | {SYSTEM}, _("年度关账")),
    ],
)

WARNING = Workflow(
    name="evaluation_warning",
    states={"open": _("待处理"), "dismissed": _("已处理(不启动退出)"), "exit_opened": _("已启动退出审查")},
    transitions=[
        t("open", "dismiss", "dismissed", OFFICE, _("不予处理"), reason=True),
        t("open", "open_exit", "exit_opened", OFFICE, _("启动退出审查"), reason=True),
    ],
)

REPORT = Workflow(
    name="evaluation_report",
    states={"draft": _("草稿"), "submitted": _("已提交")},
    transitions=[
        t("draft", "submit", "submitted", MEMBERS, _("提交述职报告")),
        t("submitted", "return", "draft", OFFICE, _("退回修改"), reason=True),
    ],
)
