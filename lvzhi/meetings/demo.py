"""Demo meetings of the Qiantang committee, written through lvzhi.meetings.services on a demo clock so that
the timelines, registration and check-in times are those the services produce.

- The seed's day: 一届一次会议第一次全体会议 on 2021-07-19 afternoon. The whole committee (205) is invited;
  members register (报到: materials 会议指南 and 出席证, the commitment letter signed by typing their name)
  on the 18th and the morning of the 19th; 196 check in between 13:30 and 14:00 (most by QR code at the
  door, some at the desk, some with the hall's six-digit code); six are on approved leave (one request was
  refused and that member came), three are absent without leave when the meeting is closed. Discussion
  groups by sector with rooms and conveners; plenary speeches of 朱政 (科技创新), 徐钢 (未来乡村) and 茅徐程
  (文创品牌) selected and ordered, written speeches (书面发言) archived, one application not scheduled.
- 一届二次常委会议 in September 2021: the standing committee (31), closed, with one leave and one absence.
- An upcoming 专题议政性常委会 next week (dated from today): published, the standing committee invited with
  the 科技界 members attending (列席), registration open, a few registered already. So 朱政 (科技界) and
  徐钢 (常委) both have something to do now.

Idempotent: nothing is added when the committee has meetings already."""

import contextlib
import datetime as dt

from django.db import transaction
from django.utils import timezone

from lvzhi.accounts.models import User
from lvzhi.org.models import Member, Session

from . import services as s
from . import services_seats as seats
from . import services_setup as setup
from .models import Invitation, Meeting, Speech

STAFF = "huiwu"
DESK = "office"
PLACE = "钱塘区行政中心大会堂"
MATERIALS = ["会议指南", "出席证"]
COMMITMENT = (
    "本人承诺:严格遵守会议纪律和保密规定,按时出席各项会议活动,认真履行委员职责,"
    "不无故缺席,不迟到早退,会议期间不从事与会议无关的活动。"
)
# The nine of 205 who are not present at the opening: (sector, n-th member of that sector by name order).
ON_LEAVE = [
    ("中共", 3, "参加上级组织的专题培训"),
    ("工商联", 5, "在外地处理企业突发事项"),
    ("医药卫生界", 2, "承担新冠疫苗接种医疗保障任务"),
    ("经济界", 7, "出国(境)商务考察,已报备"),
    ("教育界", 4, "参加全省高考阅卷工作"),
    ("农业和社会福利界", 6, "本人住院治疗"),
]
REFUSED = ("经济界", 3, "单位有重要接待任务")  # refused: the member came
ABSENT = [("中共", 11), ("工商联", 14), ("农业和社会福利界", 12)]
SPEECHES = [
    # (username or sector#n, kind, title, text, decision, order)
    (
        "zhuzheng",
        "oral",
        "着力发挥企业创新主体作用,构建开放型区域创新体系",
        "科技创新是钱塘高质量发展的第一动力。建议扩大企业研发费用补助和高新技术企业培育覆盖面,"
        "依托区内高校共建产业创新联合体,建设离岸孵化器,深化与长三角创新城市的合作,"
        "让更多科技成果在钱塘就地转化。",
        "select",
        1,
    ),
    (
        "xugang",
        "oral",
        "精准聚焦美丽乡村建设短板,高水平建设未来乡村",
        "建议拉高标杆、补齐短板,制定未来乡村建设三年行动计划;注重创业园、“硅谷园”等平台建设,"
        "加强与区内高校联动,开设专项课程、设置实训基地;鼓励区内大学生落户钱塘、扎根乡村,"
        "描绘美丽钱塘新画卷。",
        "select",
        2,
    ),
    (
        "maoxucheng",
        "oral",
        "打造钱塘文创品牌,以文化赋能城市新区",
        "建议整合区内文化创意产业园资源,培育具有钱塘辨识度的文创品牌,设立文创产业扶持资金,"
        "推动文创与旅游、科技深度融合,让文化成为钱塘新区的金名片。",
        "select",
        3,
    ),
    (
        "教育界#1",
        "written",
        "推进产教融合,服务钱塘产业发展",
        "建议建立区内高校、职业院校与重点企业的常态化对接机制,共建实训基地和订单班,提高技能人才本地就业比例。",
        "",
        None,
    ),
    (
        "医药卫生界#1",
        "written",
        "优化基层医疗资源布局,打造15分钟健康服务圈",
        "建议按人口分布补足社区卫生服务站点,推进区级医院与社区卫生服务中心医联体建设,提升基层首诊能力。",
        "",
        None,
    ),
    (
        "经济界#1",
        "oral",
        "加快钱塘综合交通体系建设",
        "建议加快地铁延伸线和快速路网建设,优化公交线网,打通断头路,缓解上下班高峰拥堵。",
        "to_written",
        None,
    ),
    (
        "工商联#1",
        "oral",
        "进一步优化民营经济发展环境",
        "建议持续深化“最多跑一次”改革,落实减税降费政策,建立政企常态化沟通机制。",
        "decline",
        None,
    ),
]
PLENARY_AGENDA = [
    ((14, 30), "大会开幕,全体起立,奏唱国歌"),
    ((14, 40), "听取和审议区政协筹备工作报告"),
    ((15, 20), "听取关于提案工作情况的报告"),
    ((15, 50), "大会发言"),
    ((17, 0), "分组讨论安排说明"),
]
GROUP_ROOMS = ["第一会议室", "第二会议室", "第三会议室", "第四会议室", "第五会议室", "第六会议室"]


class _Clock:
    """The platform clock during the load: django.utils.timezone.now answers `at` (see proposals/demo.py)."""

    def __init__(self):
        self.at = timezone.now()

    def now(self):
        return self.at

    @contextlib.contextmanager
    def running(self):
        real = timezone.now
        timezone.now = self.now
        try:
            yield self
        finally:
            timezone.now = real


def _quiet_notify(**kwargs):
    """Past meetings send no notifications (they would have been read long ago)."""


def load(committee) -> None:
    if Meeting.objects.for_committee(committee).exists():
        return
    _load(committee)


def _aware(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute, second)))


@transaction.atomic
def _load(committee) -> None:
    staff, desk = User.objects.get(username=STAFF), User.objects.get(username=DESK)
    members = list(
        Member.objects.for_committee(committee)
        .filter(state=Member.State.ACTIVE)
        .select_related("user", "sector")
        .order_by("sector__order", "name", "pk")
    )
    clock = _Clock()
    real_notify = s.notify
    s.notify = _quiet_notify
    try:
        with clock.running():
            _plenary(committee, members, staff, desk, clock)
            _standing(committee, members, staff, clock)
        # Next week's meeting notifies its members in the app (not by SMS: nobody is really texted).
        s.notify = lambda **kwargs: real_notify(**{**kwargs, "channels": ("inapp",)})
        _upcoming(committee, members, staff)
    finally:
        s.notify = real_notify


def _nth(members, sector: str, n: int) -> Member:
    return [m for m in members if m.sector.name == sector][n - 1]


def _by_ref(members, ref: str) -> Member:
    if "#" in ref:
        sector, n = ref.split("#")
        return _nth(members, sector, int(n))
    return next(m for m in members if m.user and m.user.username == ref)


def _agenda(meeting, by, items) -> None:
    day = timezone.localtime(meeting.starts_at).date()
    for hm, title in items:
        setup.agenda_add(meeting=meeting, by=by, title=title, starts_at=_aware(day, *hm))


def _plenary(committee, members, staff, desk, clock) -> None:
    day = dt.date(2021, 7, 19)
    clock.at = _aware(dt.date(2021, 7, 10), 9)
    meeting = s.meeting_create(
        committee=committee,
        by=staff,
        kind=Meeting.Kind.PLENARY,
        session=Session.objects.for_committee(committee).get(number=1),
        title="政协杭州市钱塘区第一届委员会第一次会议 第一次全体会议",
        place=PLACE,
        starts_at=_aware(day, 14, 30),
        ends_at=_aware(day, 17, 30),
        doors_open_at=_aware(day, 13, 30),
        registration_required=True,
        materials=MATERIALS,
        commitment_text=COMMITMENT,
        self_checkin=True,
    )
    _agenda(meeting, staff, PLENARY_AGENDA)
    clock.at = _aware(dt.date(2021, 7, 10), 10)
    s.meeting_invite(meeting=meeting, by=staff, members=members)
    groups = s.groups_by_sector(meeting=meeting, by=staff, group_count=len(GROUP_ROOMS))
    clock.at = _aware(dt.date(2021, 7, 12), 9)
    s.meeting_publish(meeting=meeting, by=staff)

    invitations = {i.member_id: i for i in meeting.invitations.select_related("member__user", "meeting")}
    for g, room in zip(groups, GROUP_ROOMS, strict=True):
        first = next((i.member for i in invitations.values() if i.group_id == g.pk and i.member.is_standing), None)
        setup.group_update(group=g, by=staff, name=g.name, room=room, convener=first)

    leave_members = [(_nth(members, sec, n), reason) for sec, n, reason in ON_LEAVE]
    refused_member = _nth(members, REFUSED[0], REFUSED[1])
    absent_ids = {_nth(members, sec, n).pk for sec, n in ABSENT}
    away_ids = {m.pk for m, _r in leave_members} | absent_ids

    # Leave: asked during the week before, decided the next morning (one after the doors opened: late).
    for k, (m, reason) in enumerate(leave_members):
        clock.at = _aware(dt.date(2021, 7, 13 + k % 5), 10, 15 + k)
        if k == len(leave_members) - 1:
            clock.at = _aware(day, 13, 40)
        leave = s.leave_request(invitation=invitations[m.pk], by=m.user, reason=reason)
        clock.at += dt.timedelta(hours=1 if k < len(leave_members) - 1 else 0, minutes=10)
        s.leave_decide(leave=leave, by=staff, approve=True)
    clock.at = _aware(dt.date(2021, 7, 15), 16)
    leave = s.leave_request(invitation=invitations[refused_member.pk], by=refused_member.user, reason=REFUSED[2])
    clock.at = _aware(dt.date(2021, 7, 16), 9)
    s.leave_decide(leave=leave, by=staff, approve=False, reason="首次全体会议须全体委员出席,请妥善安排工作。")

    # Registration (报到): the 196 who come, on the 18th and the morning of the 19th; the absent do not.
    coming = [m for m in members if m.pk not in away_ids]
    for k, m in enumerate(coming):
        if k < 150:
            clock.at = _aware(dt.date(2021, 7, 18), 9 + k * 8 // 150, (k * 37) % 60, k % 60)
        else:
            clock.at = _aware(day, 8, 30) + dt.timedelta(seconds=(k - 150) * 3000 // len(coming[150:]))
        s.registration_complete(invitation=invitations[m.pk], by=m.user, materials=MATERIALS, signed_name=m.name)

    # Check-in between 13:30 and 14:00: by QR at the door (staff), at the desk, or with the hall's code.
    meeting.refresh_from_db()
    order = sorted(coming, key=lambda m: (m.pk * 7919) % 1009)
    for k, m in enumerate(order):
        clock.at = _aware(day, 13, 30) + dt.timedelta(seconds=k * 1790 // len(order) + 5)
        if m.user and m.user.username in ("zhuzheng", "xugang", "maoxucheng"):
            s.check_in_by_qr(meeting=meeting, token=s.qr_token(invitations[m.pk]), by=staff)
        elif k % 10 < 7:  # scanned at the door: what check_in_by_qr does once the code is verified
            s.check_in(invitation=invitations[m.pk], by=staff, method=Invitation.Method.QR)
        elif k % 10 < 9:
            s.check_in_by_code(meeting=meeting, member=m, code=meeting.checkin_code, by=m.user)
        else:
            s.check_in(invitation=invitations[m.pk], by=desk, method=Invitation.Method.DESK)

    # Speeches: applied the week before, decided on the 16th.
    made = []
    for k, (ref, kind, title, text, decision, order_no) in enumerate(SPEECHES):
        m = _by_ref(members, ref)
        clock.at = _aware(dt.date(2021, 7, 12), 14 + k % 4, 10 * k % 60)
        made.append(
            (
                s.speech_apply(meeting=meeting, member=m, by=m.user, title=title, text=text, kind=kind),
                decision,
                order_no,
            )
        )
    clock.at = _aware(dt.date(2021, 7, 16), 10)
    for speech, decision, order_no in made:
        if decision:
            clock.at += dt.timedelta(minutes=3)
            reason = "发言名额有限,请以提案形式提交。" if decision == "decline" else ""
            s.speech_decide(speech=speech, by=staff, action=decision, order=order_no, reason=reason)

    # The group discussion of the science sector's group, with who spoke.
    zhu = _by_ref(members, "zhuzheng")
    group = invitations[zhu.pk].group
    spoke = [zhu, *[i.member for i in invitations.values() if i.group_id == group.pk and i.member_id != zhu.pk][:3]]
    clock.at = _aware(day, 17, 20)
    setup.group_minutes_save(
        group=group,
        by=staff,
        minutes="围绕区政协筹备工作报告展开讨论。委员们一致赞同报告,建议在科技创新、产业升级、"
        "人才引育等方面加强协商议政,推动更多委员走进企业和基层开展调研。",
        speakers=spoke,
    )
    clock.at = _aware(day, 17, 35)
    s.meeting_close(meeting=meeting, by=staff)


def _standing(committee, members, staff, clock) -> None:
    day = dt.date(2021, 9, 28)
    standing = [m for m in members if m.is_standing]
    clock.at = _aware(dt.date(2021, 9, 15), 10)
    meeting = s.meeting_create(
        committee=committee,
        by=staff,
        kind=Meeting.Kind.STANDING,
        session=None,
        title="政协杭州市钱塘区第一届委员会常务委员会第二次会议",
        place="钱塘区行政中心三楼第一会议室",
        starts_at=_aware(day, 9),
        ends_at=_aware(day, 11, 30),
        doors_open_at=_aware(day, 8, 30),
    )
    _agenda(
        meeting,
        staff,
        [
            ((9, 0), "学习习近平总书记关于加强和改进人民政协工作的重要思想"),
            ((9, 40), "协商讨论《关于加快钱塘未来社区建设的建议案(草案)》"),
            ((10, 40), "审议通过委员履职考评办法"),
        ],
    )
    s.meeting_invite(meeting=meeting, by=staff, members=standing)
    s.meeting_publish(meeting=meeting, by=staff)
    invitations = {i.member_id: i for i in meeting.invitations.select_related("member__user", "meeting")}
    on_leave, absent = standing[4], standing[9]
    clock.at = _aware(dt.date(2021, 9, 24), 15)
    leave = s.leave_request(invitation=invitations[on_leave.pk], by=on_leave.user, reason="参加省里召开的行业会议")
    clock.at = _aware(dt.date(2021, 9, 26), 9)
    s.leave_decide(leave=leave, by=staff, approve=True)
    for k, m in enumerate(x for x in standing if x.pk not in (on_leave.pk, absent.pk)):
        clock.at = _aware(day, 8, 31 + k)
        s.check_in(invitation=invitations[m.pk], by=staff, method=Invitation.Method.QR)
    clock.at = _aware(day, 11, 40)
    s.meeting_close(meeting=meeting, by=staff)


def _upcoming(committee, members, staff) -> None:
    """Next week's 专题议政性常委会, on the real clock: published, registration open."""
    day = timezone.localdate() + dt.timedelta(days=7)
    invited = [m for m in members if m.is_standing or m.sector.name == "科技界"]
    meeting = s.meeting_create(
        committee=committee,
        by=staff,
        kind=Meeting.Kind.THEMED_STANDING,
        session=None,
        title="专题议政性常委会:推进科技创新与产业升级",
        place="钱塘区行政中心三楼第一会议室",
        starts_at=_aware(day, 14, 30),
        ends_at=_aware(day, 17),
        doors_open_at=_aware(day, 14),
        registration_required=True,
        materials=["会议指南", "专题调研报告"],
        commitment_text=COMMITMENT,
        self_checkin=True,
    )
    _agenda(
        meeting,
        staff,
        [
            ((14, 30), "通报专题调研情况"),
            ((14, 50), "区科技局通报全区科技创新工作情况"),
            ((15, 20), "常委和科技界委员协商发言"),
            ((16, 40), "区政府领导讲话"),
        ],
    )
    s.meeting_invite(meeting=meeting, by=staff, members=invited)
    s.meeting_publish(meeting=meeting, by=staff)
    # A few have registered already (the named members have not: the demo shows them what to do).
    named = {"zhuzheng", "xugang", "maoxucheng"}
    early = [m for m in invited if not (m.user and m.user.username in named)][:5]
    for inv in meeting.invitations.filter(member__in=early).select_related("member", "meeting"):
        s.registration_complete(invitation=inv, by=inv.member.user, materials=["会议指南"], signed_name=inv.member.name)
    # The hall: 6 rows of 12, the front row kept for the leaders; everyone else seated by sector and name.
    seats.plan_arrange(meeting=meeting, by=staff, rows=6, seats_per_row=12, reserved_rows=[1], reserved_label="领导席")
    seats.seats_auto_assign(meeting=meeting, by=staff, order=seats.ORDER_SECTOR)
    speaker = next(m for m in invited if m.sector.name == "科技界" and m.is_standing)
    s.speech_apply(
        meeting=meeting,
        member=speaker,
        by=speaker.user,
        title="加快科技成果就地转化",
        text="建议设立科技成果转化引导基金,建设中试基地,打通高校成果到企业产品的“最后一公里”。",
        kind=Speech.Kind.ORAL,
    )
