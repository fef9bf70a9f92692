"""Per-committee settings of proposals, with the defaults of ../shared/RULES.md (national 政协提案工作条例
and local rules). A committee overrides any of them in Committee.config."""

from django.utils.translation import gettext_noop

from lvzhi.core.config import DEFAULTS

DEFAULTS.update(
    {
        # 一届一次·第 0001 号: {session} is the session's short name, {serial} the filing serial.
        "proposals.number_format": "{session}·第 {serial:04d} 号",
        "proposals.due_months": 3,  # answer within 3 months of assignment
        "proposals.rehandle_months": 3,  # re-handling after 不满意
        "proposals.return_days": 7,  # a unit may return a mis-assigned proposal within 7 days
        "proposals.co_opinion_days": 30,  # co-units give their opinion to the lead unit within a month
        "proposals.default_evaluation_days": None,  # off; e.g. 30: unevaluated answers count as 满意 after 30 days
        "proposals.default_evaluation_rating": "satisfied",
        "proposals.body_max_chars": 2500,
        "proposals.attachment_max_mb": 10,
        "proposals.attachment_types": [".pdf", ".doc", ".docx", ".jpg", ".jpeg", ".png"],
        "proposals.answer_categories": [
            ["A", gettext_noop("已解决或采纳")],
            ["B", gettext_noop("正在解决或列入计划")],
            ["C", gettext_noop("因条件限制留作参考")],
        ],
        "proposals.reject_reasons": [
            gettext_noop("涉及国家秘密"),
            gettext_noop("属于法律禁止的事项"),
            gettext_noop("属于党派团体内部事务"),
            gettext_noop("属于涉及党员个人的人事问题"),
            gettext_noop("属于诉讼、仲裁中的事项"),
            gettext_noop("属于学术讨论问题"),
            gettext_noop("属于个人或家庭问题"),
            gettext_noop("宣传、推介具体产品或作品"),
            gettext_noop("对具体人员的指控"),
            gettext_noop("没有具体内容或建议"),
        ],
    }
)
