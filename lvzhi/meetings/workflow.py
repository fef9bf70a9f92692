"""The meetings' workflows as data: the meeting itself, each invited member's attendance, leave requests
and speeches. Attendance outcomes (present, on leave, absent without leave) are the events that the duty
evaluation counts."""

from django.utils.translation import gettext_lazy as _

from lvzhi.core.roles import SYSTEM, Role
from lvzhi.core.workflow import Workflow, t

STAFF = {Role.STAFF_MEETINGS, Role.STAFF_OFFICE}
MEMBERS = {Role.MEMBER, Role.STANDING}

MEETING = Workflow(
    name="meeting",
    states={"draft": _("筹备中"), "published": _("已发布"), "closed": _("已结束"), "cancelled": _("已取消")},
    transitions=[
        t("draft", "publish", "published", STAFF, _("发布会议通知")),
        t("published", "close", "closed", STAFF | {SYSTEM}, _("结束会议")),
        t(("draft", "published"), "cancel", "cancelled", STAFF, _("取消会议"), reason=True),
    ],
)

ATTENDANCE = Workflow(
    name="attendance",
    states={
        "invited": _("未报到"),
        "registered": _("已报到"),
        "on_leave": _("请假"),
        "present": _("出席"),
        "absent": _("缺席"),
    },
    transitions=[
        t("invited", "register", "registered", MEMBERS | STAFF, _("报到")),
        t(("invited", "registered"), "check_in", "present", MEMBERS | STAFF, _("签到")),
        t(("invited", "registered"), "leave", "on_leave", STAFF | {SYSTEM}, _("准假")),
        t("on_leave", "cancel_leave", "invited", STAFF | {SYSTEM}, _("销假")),
        t(("invited", "registered"), "mark_absent", "absent", STAFF | {SYSTEM}, _("记为缺席")),
        t("present", "undo_check_in", "registered", STAFF, _("撤销签到"), reason=True),
    ],
    compare_and_set=True,  # the door's path: one conditional UPDATE a check-in (lvzhi.core.workflow)
)

LEAVE = Workflow(
    name="leave",
    states={"pending": _("待审批"), "approved": _("已准假"), "refused": _("未准假"), "withdrawn": _("已撤回")},
    transitions=[
        t("pending", "approve", "approved", STAFF, _("批准请假")),
        t("pending", "refuse", "refused", STAFF, _("不准假"), reason=True),
        t("pending", "withdraw", "withdrawn", MEMBERS, _("撤回请假")),
    ],
)

SPEECH = Workflow(
    name="speech",
    states={
        "applied": _("已申请"),
        "selected": _("已安排大会发言"),
        "written": _("列为书面发言"),
        "declined": _("未安排"),
        "withdrawn": _("已撤回"),
    },
    transitions=[
        t("applied", "select", "selected", STAFF, _("安排大会发言")),
        t(("applied", "selected"), "to_written", "written", STAFF, _("列为书面发言")),
        t(("applied", "selected"), "decline", "declined", STAFF, _("不安排发言"), reason=True),
        t(("applied", "selected"), "withdraw", "withdrawn", MEMBERS, _("撤回发言申请")),
    ],
)
