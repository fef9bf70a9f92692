"""The proposal's workflows as data. Unit-level steps (accept, return, answer) are checked against the
unit's assignment in services and then move the proposal with the platform's own role (SYSTEM)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.core.roles import SYSTEM, Role
from lvzhi.core.workflow import Workflow, t

MEMBERS = {Role.MEMBER, Role.STANDING}
OFFICE = {Role.STAFF_PROPOSALS}
UNIT = {Role.UNIT}

PROPOSAL = Workflow(
    name="proposal",
    states={
        "draft": _("草稿"),
        "submitted": _("待审查"),
        "revising": _("退回修改"),
        "withdrawn": _("已撤回"),
        "filed": _("已立案"),
        "not_filed": _("不予立案"),
        "converted": _("转为意见建议"),
        "to_report": _("转为社情民意"),
        "merged": _("已并案"),
        "assigned": _("已交办"),
        "returned": _("单位退回"),
        "handling": _("办理中"),
        "answered": _("答复待审核"),
        "replied": _("已答复"),
        "rehandling": _("重新办理"),
        "closed": _("已办结"),
    },
    transitions=[
        # 1. draft and submit (staff submit collective proposals on a body's behalf)
        t(("draft", "revising"), "submit", "submitted", MEMBERS | OFFICE, _("提交提案")),
        t(("draft", "revising"), "withdraw", "withdrawn", MEMBERS | OFFICE, _("撤回提案")),
        # 2. review
        t("submitted", "send_back", "revising", OFFICE, pgettext_lazy("action", "退回修改"), reason=True),
        t("submitted", "file", "filed", OFFICE, _("立案")),
        t("submitted", "reject", "not_filed", OFFICE, pgettext_lazy("action", "不予立案"), reason=True),
        t("submitted", "convert_opinion", "converted", OFFICE, pgettext_lazy("action", "转为意见建议"), reason=True),
        t("submitted", "convert_report", "to_report", OFFICE, pgettext_lazy("action", "转为社情民意"), reason=True),
        t(("submitted", "filed"), "merge", "merged", OFFICE, _("并案")),
        # 3. assignment
        t(("filed", "returned"), "assign", "assigned", OFFICE, _("交办")),
        t("assigned", "start", "handling", {SYSTEM}, _("承办单位签收")),
        t(("assigned", "handling"), "unit_return", "returned", {SYSTEM}, _("承办单位退回"), reason=True),
        # 4. answer and review of the answer
        t(("handling", "rehandling"), "answer", "answered", {SYSTEM}, _("承办单位答复")),
        t("answered", "approve_answer", "replied", OFFICE, _("审核答复并送达提案人")),
        t("answered", "send_back_answer", "handling", OFFICE, _("答复退回承办单位修改"), reason=True),
        # 5. evaluation: after every proposer has evaluated (or by default)
        t("replied", "rehandle", "rehandling", {SYSTEM}, _("不满意,重新办理")),
        t("replied", "close", "closed", {SYSTEM} | OFFICE, _("办结")),
    ],
)

ASSIGNMENT = Workflow(
    name="assignment",
    states={
        "assigned": _("待签收"),
        "accepted": _("办理中"),
        "returned": _("已退回"),
        "opinion_given": _("已提会办意见"),
        "answered": _("已答复"),
        "cancelled": _("已撤销"),
    },
    transitions=[
        t("assigned", "accept", "accepted", UNIT, _("签收")),
        t("assigned", "return", "returned", UNIT, _("退回"), reason=True),
        t("accepted", "give_opinion", "opinion_given", UNIT, _("提出会办意见")),
        t("accepted", "answer", "answered", UNIT, _("答复")),
        t("answered", "reopen", "accepted", {SYSTEM}, _("重新办理")),
        t(("assigned", "accepted", "opinion_given"), "cancel", "cancelled", {SYSTEM} | OFFICE, _("撤销交办")),
    ],
)

COSIGNER = Workflow(
    name="cosigner",
    states={"invited": _("待确认"), "confirmed": _("已确认"), "declined": _("已谢绝"), "withdrawn": _("已撤回")},
    transitions=[
        t("invited", "confirm", "confirmed", MEMBERS, _("确认联名")),
        t("invited", "decline", "declined", MEMBERS, _("谢绝联名")),
        t(("invited", "confirmed", "declined"), "withdraw", "withdrawn", MEMBERS | OFFICE, _("撤回联名邀请")),
    ],
)

# States a member reads as "in progress" / "finished", for the phone list.
OPEN_STATES = {"submitted", "revising", "filed", "assigned", "returned", "handling", "answered", "rehandling"}
FINISHED_STATES = {"closed", "not_filed", "converted", "to_report", "merged", "withdrawn"}
