"""The rules as data: the default rule set (modelled on the published examples of ../shared/RULES.md), the
categories shown to members, and the plain-Chinese explanation of every value."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .models import Kind

D = Decimal

# kind -> (points, cap or None, joint weight). Sources (RULES.md "Duty evaluation"):
# - plenary 5 a half-day, activity 5, proposal 15 lead / 3 others, key +15 / +3, excellent +10 / +2
#   (a Shanghai district): joint weight 20 %;
# - absence without leave −30, with leave −10 on a 120-point scale (a provincial capital): scaled down here
#   to −10 / −2; activities 2 each capped at 10 (a county-level city);
# - opinion report 10 (a county-level city); adopted at base level 1, city +5, national +20; instructions
#   city 10, central 30 (a party's city branch).
DEFAULT_RULES: dict[str, tuple[Decimal, Decimal | None, Decimal]] = {
    Kind.PLENARY_PRESENT: (D(5), None, D(1)),
    Kind.PLENARY_LEAVE: (D(-2), None, D(1)),
    Kind.PLENARY_ABSENT: (D(-10), None, D(1)),
    Kind.MEETING_PRESENT: (D(3), None, D(1)),
    Kind.MEETING_ABSENT: (D(-3), None, D(1)),
    Kind.ACTIVITY_PRESENT: (D(2), D(10), D(1)),
    Kind.PROPOSAL_FILED: (D(15), None, D("0.2")),
    Kind.PROPOSAL_KEY: (D(15), None, D("0.2")),
    Kind.PROPOSAL_EXCELLENT: (D(10), None, D("0.2")),
    Kind.OPINION_PUBLISHED: (D(10), None, D("0.5")),
    Kind.OPINION_ADOPTED_DISTRICT: (D(1), None, D("0.5")),
    Kind.OPINION_ADOPTED_CITY: (D(5), None, D("0.5")),
    Kind.OPINION_ADOPTED_PROVINCE: (D(10), None, D("0.5")),
    Kind.OPINION_ADOPTED_NATIONAL: (D(20), None, D("0.5")),
    Kind.OPINION_INSTRUCTED_DISTRICT: (D(5), None, D("0.5")),
    Kind.OPINION_INSTRUCTED_CITY: (D(10), None, D("0.5")),
    Kind.OPINION_INSTRUCTED_PROVINCE: (D(20), None, D("0.5")),
    Kind.OPINION_INSTRUCTED_NATIONAL: (D(30), None, D("0.5")),
    Kind.SPEECH_PLENARY: (D(10), None, D(1)),
    Kind.SPEECH_WRITTEN: (D(5), None, D(1)),
    Kind.CONSULTATION_ORAL: (D(5), None, D(1)),
    Kind.CONSULTATION_WRITTEN: (D(3), None, D(1)),
    Kind.CONSULTATION_OUTCOME: (D(5), None, D("0.5")),
    Kind.ACTIVITY_REPORT: (D(5), D(20), D("0.5")),
    Kind.READING_RECORD: (D(1), D(10), D(1)),
    Kind.ADJUSTMENT: (D(0), None, D(1)),
}
DEFAULT_ABSENCE_LIMIT = 2  # two unexcused plenary absences in a year (RULES.md "exit rules")
DEFAULT_MIN_SCORE = D(0)  # a year that ends below zero points
# Two years with no proposal or opinion report (RULES.md "exit rules"): off by default (a committee turns it
# on in its rules; the demo's few proposals would flag almost everyone).
DEFAULT_IDLE_YEARS = None

# Categories of the member's page, in order.
CATEGORIES = [
    ("meetings", _("会议出席")),
    ("proposals", _("提案")),
    ("opinions", _("社情民意")),
    ("speeches", _("发言与协商")),
    ("activities", _("履职活动")),
    ("adjustments", _("人工调整")),
]
CATEGORY_OF = {
    Kind.PLENARY_PRESENT: "meetings",
    Kind.PLENARY_LEAVE: "meetings",
    Kind.PLENARY_ABSENT: "meetings",
    Kind.MEETING_PRESENT: "meetings",
    Kind.MEETING_ABSENT: "meetings",
    Kind.ACTIVITY_PRESENT: "activities",
    Kind.PROPOSAL_FILED: "proposals",
    Kind.PROPOSAL_KEY: "proposals",
    Kind.PROPOSAL_EXCELLENT: "proposals",
    Kind.SPEECH_PLENARY: "speeches",
    Kind.SPEECH_WRITTEN: "speeches",
    Kind.CONSULTATION_ORAL: "speeches",
    Kind.CONSULTATION_WRITTEN: "speeches",
    Kind.CONSULTATION_OUTCOME: "speeches",
    Kind.ACTIVITY_REPORT: "activities",
    Kind.READING_RECORD: "activities",
    Kind.ADJUSTMENT: "adjustments",
}
for _k in Kind.values:
    if _k.startswith("opinion_"):
        CATEGORY_OF[_k] = "opinions"

# What earns the points, in plain Chinese (shown on the rules page next to the values).
WHEN = {
    Kind.PLENARY_PRESENT: _("在全体会议(每次会议,通常为半天)签到出席"),
    Kind.PLENARY_LEAVE: _("全体会议经批准请假"),
    Kind.PLENARY_ABSENT: _("全体会议未请假也未出席,会后被记为缺席"),
    Kind.MEETING_PRESENT: _("出席常委会议、主席会议、专题议政性常委会、专题座谈会等"),
    Kind.MEETING_ABSENT: _("上述会议未请假也未出席"),
    Kind.ACTIVITY_PRESENT: _("参加视察、调研、学习等履职活动并签到"),
    Kind.PROPOSAL_FILED: _("提案经审查立案"),
    Kind.PROPOSAL_KEY: _("提案被列为重点提案(取消重点时扣回)"),
    Kind.PROPOSAL_EXCELLENT: _("提案被评为优秀提案"),
    Kind.OPINION_PUBLISHED: _("社情民意信息在专报上刊发"),
    Kind.OPINION_ADOPTED_DISTRICT: _("社情民意信息被区级采用"),
    Kind.OPINION_ADOPTED_CITY: _("社情民意信息被市级采用"),
    Kind.OPINION_ADOPTED_PROVINCE: _("社情民意信息被省级采用"),
    Kind.OPINION_ADOPTED_NATIONAL: _("社情民意信息被全国政协采用"),
    Kind.OPINION_INSTRUCTED_DISTRICT: _("社情民意信息获区领导批示"),
    Kind.OPINION_INSTRUCTED_CITY: _("社情民意信息获市领导批示"),
    Kind.OPINION_INSTRUCTED_PROVINCE: _("社情民意信息获省领导批示"),
    Kind.OPINION_INSTRUCTED_NATIONAL: _("社情民意信息获中央领导批示"),
    Kind.SPEECH_PLENARY: _("在全体会议上作大会发言"),
    Kind.SPEECH_WRITTEN: _("发言材料列为书面发言"),
    Kind.CONSULTATION_ORAL: _("在协商活动中发言"),
    Kind.CONSULTATION_WRITTEN: _("在协商活动中提交书面意见"),
    Kind.CONSULTATION_OUTCOME: _("参与起草的协商成果发布"),
    Kind.ACTIVITY_REPORT: _("提交调研、视察等活动报告"),
    Kind.READING_RECORD: _("在书香政协提交读书笔记"),
    Kind.ADJUSTMENT: _("机关办公室人工调整,须写明理由"),
}


def fmt(value) -> str:
    """A number without a useless decimal: 5, 2.5, −10."""
    if value is None:
        return ""
    value = Decimal(value)
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}".rstrip("0").rstrip(".")
    return text.replace("-", "−")


def explain(rule) -> str:
    """The value of one rule in plain Chinese."""
    from django.utils.translation import gettext as _g

    if rule.kind == Kind.ADJUSTMENT:
        return _g("分值由机关办公室逐笔填写(可加可减),每一笔都写明理由并留痕。")
    points = Decimal(rule.points)
    if points == 0:
        return _g("不计分。")
    if points > 0:
        text = _g("每次加 %(p)s 分") % {"p": fmt(points)}
    else:
        text = _g("每次扣 %(p)s 分") % {"p": fmt(-points)}
    weight = Decimal(rule.joint_weight)
    if weight != 1:
        text += _g(";多人合作(联名)时,第一作者(第一提案人)得全部分值,其他人各得 %(w)s%%,即 %(s)s 分") % {
            "w": fmt(weight * 100),
            "s": fmt((abs(points) * weight).quantize(D("0.1"))),
        }
    if rule.cap is not None:
        if points > 0:
            text += _g(";全年最多计 %(c)s 分,超出部分不再计分") % {"c": fmt(rule.cap)}
        else:
            text += _g(";全年最多扣 %(c)s 分") % {"c": fmt(rule.cap)}
    return text + "。"
