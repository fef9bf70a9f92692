"""The workflows of consultations as data: the yearly plan, a consultation event, an outcome report and one
department's follow-up of one recommendation (a Response)."""

from django.utils.translation import gettext_lazy as _

from lvzhi.core.roles import SYSTEM, Role
from lvzhi.core.workflow import Workflow, t

STAFF = {Role.STAFF_SPECIAL, Role.STAFF_OFFICE}  # consultations.manage
APPROVERS = {Role.STAFF_OFFICE, Role.LEADER}  # the plan is approved as a whole (主席会议 → recorded by the office)
UNIT = {Role.UNIT}


def _plan_has_topics(plan, data):
    if not plan.topics.exists():
        return _("协商计划还没有议题,不能提交。")
    return None


PLAN = Workflow(
    name="consultation_plan",
    states={"draft": _("草稿"), "submitted": _("待批准"), "approved": _("已批准")},
    transitions=[
        t("draft", "submit", "submitted", STAFF, _("提交协商计划"), guard=_plan_has_topics),
        t("submitted", "send_back", "draft", APPROVERS, _("退回修改协商计划"), reason=True),
        t("submitted", "approve", "approved", APPROVERS, _("批准协商计划")),
    ],
)

CONSULTATION = Workflow(
    name="consultation",
    states={"planned": _("筹备中"), "held": _("已举行"), "cancelled": _("已取消")},
    transitions=[
        t("planned", "hold", "held", STAFF, _("举行协商")),
        t("planned", "cancel", "cancelled", STAFF, _("取消协商"), reason=True),
    ],
)


def _outcome_ready(outcome, data):
    recs = list(outcome.recommendations.all())
    if not recs:
        return _("成果还没有建议,不能送达。")
    missing = [str(r.number) for r in recs if not r.units.exists()]
    if missing:
        return _("第 %(numbers)s 条建议还没有责任部门。") % {"numbers": "、".join(missing)}
    return None


OUTCOME = Workflow(
    name="consultation_outcome",
    states={"draft": _("起草中"), "sent": _("已送达部门"), "published": _("已公开")},
    transitions=[
        t("draft", "send", "sent", STAFF, _("送达责任部门"), guard=_outcome_ready),
        t("sent", "publish", "published", STAFF, _("公开协商成果")),
    ],
)


def _not_adopted_needs_reason(response, data):
    if data.get("adoption") == "not_adopted" and not (data.get("reason") or "").strip():
        return _("不采纳须说明理由。")
    return None


RESPONSE = Workflow(
    name="consultation_response",
    states={"sent": _("待答复"), "answered": _("已答复"), "implementing": _("落实中"), "closed": _("已反馈")},
    transitions=[
        t("sent", "answer", "answered", UNIT, _("答复采纳情况"), guard=_not_adopted_needs_reason),
        t("answered", "implement", "implementing", UNIT, _("开始落实")),
        t(("answered", "implementing"), "feed_back", "closed", UNIT, _("反馈落实结果")),
        t("closed", "reopen", "implementing", STAFF | {SYSTEM}, _("退回继续落实"), reason=True),
    ],
)
