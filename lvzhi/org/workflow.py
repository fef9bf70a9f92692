"""Workflows of the organisation: membership end, nomination (the seed's seven steps), exit review."""

from django.utils.translation import gettext_lazy as _

from lvzhi.core.roles import Role
from lvzhi.core.workflow import Workflow, t

OFFICE = {Role.STAFF_OFFICE}

MEMBER = Workflow(
    name="member",
    states={"active": _("在任"), "ended": _("已退出")},
    transitions=[
        t("active", "end", "ended", OFFICE, _("终止委员资格"), reason=True),
        t("ended", "reinstate", "active", OFFICE, _("恢复委员资格"), reason=True),
    ],
)

NOMINATION_STEPS = ["recommended", "consulted", "inspected", "reviewed", "evaluated", "approved", "confirmed"]
NOMINATION = Workflow(
    name="nomination",
    states={
        "recommended": _("界别推荐"),
        "consulted": _("民主协商"),
        "inspected": _("组织考察"),
        "reviewed": _("部门联审"),
        "evaluated": _("综合评价"),
        "approved": _("常委会研究同意"),
        "confirmed": _("全体会议审议通过"),
        "rejected": _("未通过"),
    },
    transitions=[
        t("recommended", "consult", "consulted", OFFICE, _("完成民主协商")),
        t("consulted", "inspect", "inspected", OFFICE, _("完成组织考察")),
        t("inspected", "review", "reviewed", OFFICE, _("完成部门联审")),
        t("reviewed", "evaluate", "evaluated", OFFICE, _("完成综合评价")),
        t("evaluated", "approve", "approved", OFFICE, _("常委会研究同意")),
        t("approved", "confirm", "confirmed", OFFICE, _("全体会议审议通过")),
        t(NOMINATION_STEPS[:-1], "reject", "rejected", OFFICE, _("不予通过"), reason=True),
    ],
)

EXIT = Workflow(
    name="exit_review",
    states={"open": _("审查中"), "exited": _("决定退出"), "retained": _("决定保留")},
    transitions=[
        t("open", "exit", "exited", OFFICE, _("决定退出"), reason=True),
        t("open", "retain", "retained", OFFICE, _("决定保留"), reason=True),
    ],
)
