"""Demo duty activities and reading of the Qiantang committee, written through the services (on the meetings
demo's clock for the past one), so that sign-ups, check-ins and events are those the services produce.

- 专题调研 two months ago (经济委员会): 8 members signed up (朱政 among them), 7 checked in (QR and code),
  one absent when it was closed; 朱政's research report with a co-author; a research report outcome.
- 视察 next week with 5 seats: full, two on the waiting list (徐钢 first).
- 集体学习 for the whole committee (朱政 signed up), 同心讲堂 with 80 seats, a studio's activity for its
  members, a 走访企业 still in draft, and a cancelled 培训.
- Reading: 3 books, 2 reading groups (朱政 in one), and some reading records with notes.

Idempotent: nothing is added when the committee has activities already. Notifications are quiet."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from lvzhi.accounts.models import User
from lvzhi.meetings import services as meetings
from lvzhi.meetings.demo import _Clock
from lvzhi.meetings.models import Invitation, Meeting
from lvzhi.org.models import Member, SpecialCommittee, Studio

from . import services as s
from . import services_content as content
from . import services_reading as reading
from .models import Activity


def _quiet(**kwargs):
    """Demo data sends no notifications."""


def load(committee) -> None:
    if Activity.objects.for_committee(committee).exists():
        return
    _TODAY[:] = [timezone.localdate()]
    real = (s.notify, meetings.notify)
    s.notify = meetings.notify = _quiet
    try:
        _load(committee)
    finally:
        s.notify, meetings.notify = real


_TODAY = []  # the real date of the load (the demo clock moves timezone.now)


def _day(days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = _TODAY[0] + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@transaction.atomic
def _load(committee) -> None:
    staff = User.objects.get(username="zhuanwei")
    office = User.objects.get(username="office")
    members = list(
        Member.objects.for_committee(committee)
        .filter(state=Member.State.ACTIVE, user__isnull=False)
        .select_related("user", "sector")
        .order_by("sector__order", "name", "pk")
    )
    zhu = next(m for m in members if m.user.username == "zhuzheng")
    xu = next(m for m in members if m.user.username == "xugang")
    others = [m for m in members if m.pk not in (zhu.pk, xu.pk)]
    economy = SpecialCommittee.objects.get(committee=committee, name="经济委员会")
    culture = SpecialCommittee.objects.get(committee=committee, name="文化文史和学习委员会")
    studio = Studio.objects.for_committee(committee).order_by("order", "id").first()
    clock = _Clock()

    # --- the past research, on the demo clock
    with clock.running():
        clock.at = _day(-70, 9)
        research = s.activity_create(
            committee=committee,
            by=staff,
            kind=Activity.Kind.RESEARCH,
            title="科技型中小企业创新发展情况专题调研",
            description="走访区内科技型中小企业和孵化器,了解研发投入、人才引进和成果转化中的困难,形成调研报告。",
            place="钱塘区科技城孵化园",
            starts_at=_day(-60, 9),
            ends_at=_day(-60, 12),
            signup_deadline=_day(-62, 17),
            capacity=10,
            organiser_special=economy,
        )
        s.activity_publish(activity=research, by=staff)
        team = [zhu, *others[:7]]
        for k, m in enumerate(team):
            clock.at = _day(-68 + k // 3, 10, 5 * k)
            s.sign_up(activity=research, member=m, by=m.user)
        research.refresh_from_db()
        meeting = Meeting.objects.get(pk=research.meeting_id)
        for k, m in enumerate(team[:7]):
            clock.at = _day(-60, 8, 35 + 3 * k)
            invitation = Invitation.objects.select_related("member", "meeting").get(meeting=meeting, member=m)
            if k % 3 == 2:
                meetings.check_in_by_code(meeting=meeting, member=m, code=meeting.checkin_code, by=m.user)
            else:
                meetings.check_in_by_qr(meeting=meeting, token=meetings.qr_token(invitation), by=office)
        clock.at = _day(-60, 12, 30)
        s.activity_close(activity=research, by=staff)
        clock.at = _day(-55, 20)
        content.report_submit(
            activity=research,
            member=zhu,
            by=zhu.user,
            title="关于加大科技型中小企业研发支持力度的调研报告",
            text="调研发现,区内科技型中小企业研发投入强度逐年提高,但普遍存在融资难、高层次人才引进难、"
            "成果转化渠道少等问题。建议扩大研发费用补助覆盖面,设立科技成果转化基金,"
            "依托高校共建中试平台,完善人才住房保障。",
            coauthors=[team[1]],
        )
        clock.at = _day(-50, 10)
        content.outcome_add(
            activity=research,
            by=staff,
            kind="research",
            title="钱塘区科技型中小企业创新发展调研报告",
            summary="报告提出扩大研发补助、设立成果转化基金、共建中试平台等六条建议,已报送区政府。",
        )

    # --- upcoming and open activities (the real clock)
    inspection = s.activity_create(
        committee=committee,
        by=staff,
        kind=Activity.Kind.INSPECTION,
        title="钱塘江海塘安澜工程建设情况视察",
        description="实地察看海塘安澜工程施工现场,听取区水利部门情况介绍并座谈。",
        place="钱塘江海塘义蓬段",
        starts_at=_day(7, 9),
        ends_at=_day(7, 11, 30),
        signup_deadline=_day(5, 17),
        capacity=5,
        organiser_special=economy,
    )
    s.activity_publish(activity=inspection, by=staff)
    for m in others[10:15]:
        s.sign_up(activity=inspection, member=m, by=m.user)
    s.sign_up(activity=inspection, member=xu, by=xu.user)
    s.sign_up(activity=inspection, member=others[15], by=others[15].user)

    study = s.activity_create(
        committee=committee,
        by=office,
        kind=Activity.Kind.STUDY,
        title="委员集体学习:新修订的政协章程",
        description="学习新修订的《中国人民政治协商会议章程》,交流学习体会。",
        place="区政协三楼会议室",
        starts_at=_day(3, 14, 30),
        ends_at=_day(3, 16, 30),
        signup_deadline=_day(2, 17),
    )
    s.activity_publish(activity=study, by=office)
    for m in [zhu, *others[20:26]]:
        s.sign_up(activity=study, member=m, by=m.user)

    lecture = s.activity_create(
        committee=committee,
        by=staff,
        kind=Activity.Kind.LECTURE,
        title="同心讲堂:数字经济与城市治理",
        place="钱塘区文化中心报告厅",
        starts_at=_day(12, 14),
        ends_at=_day(12, 16),
        signup_deadline=_day(10, 17),
        capacity=80,
        organiser_special=culture,
    )
    s.activity_publish(activity=lecture, by=staff)
    for m in others[30:42]:
        s.sign_up(activity=lecture, member=m, by=m.user)

    if studio is not None:
        studio_activity = s.activity_create(
            committee=committee,
            by=office,
            kind=Activity.Kind.STUDIO,
            title=f"{studio.name}:委员接待日",
            description="委员在工作室接待群众来访,收集社情民意。",
            place=studio.address or studio.name,
            starts_at=_day(9, 9),
            ends_at=_day(9, 11),
            signup_deadline=_day(8, 12),
            capacity=6,
            organiser_studio=studio,
            audience=Activity.Audience.STUDIO,
            audience_studio=studio,
        )
        s.activity_publish(activity=studio_activity, by=office)

    s.activity_create(
        committee=committee,
        by=staff,
        kind=Activity.Kind.ENTERPRISE,
        title="走访重点制造企业,听取企业发展意见",
        place="钱塘区江东工业园",
        starts_at=_day(20, 9),
        ends_at=_day(20, 12),
        signup_deadline=_day(17, 17),
        capacity=12,
        organiser_special=economy,
    )
    training = s.activity_create(
        committee=committee,
        by=office,
        kind=Activity.Kind.TRAINING,
        title="新任委员履职培训",
        place="区委党校",
        starts_at=_day(15, 9),
        ends_at=_day(15, 17),
        signup_deadline=_day(13, 17),
        capacity=40,
    )
    s.activity_publish(activity=training, by=office)
    s.activity_cancel(activity=training, by=office, reason="与区人代会时间冲突,培训另行安排。")

    # --- reading (书香政协)
    books = [
        reading.book_add(committee=committee, by=office, title=title, author=author)
        for title, author in (
            ("人民政协理论与实践", "人民政协理论研究会"),
            ("之江新语", "习近平"),
            ("乡土中国", "费孝通"),
        )
    ]
    group_a = reading.group_save(
        committee=committee,
        by=office,
        name="科技界读书小组",
        description="每月共读一本书,季度交流一次。",
        convener=zhu,
        members=[zhu, *others[:5]],
        books=books[:2],
    )
    group_b = reading.group_save(
        committee=committee,
        by=office,
        name="文史读书小组",
        convener=others[40],
        members=others[40:48],
        books=books[1:],
    )
    with clock.running():
        entries = [
            (zhu, books[0], group_a, -40, "深入理解了协商民主的制度优势,履职中要把调查研究作为基本功。"),
            (zhu, books[2], None, -20, "差序格局的分析对理解基层治理很有启发,基层协商要因地制宜。"),
            (others[1], books[1], group_a, -30, "短小精悍,常读常新,对做好本职工作和委员履职都有指导意义。"),
            (others[2], books[0], group_a, -25, "结合本界别实际,学习提案和社情民意信息撰写的要求。"),
            (others[40], books[2], group_b, -15, "重读经典,思考乡村振兴中乡土社会的变与不变。"),
            (others[41], books[1], group_b, -10, "读后深感要把为民情怀落实到每一次调研和每一件提案中。"),
        ]
        for member, book, group, days, notes in entries:
            clock.at = _day(days, 21)
            reading.record_add(
                member=member, by=member.user, book=book, group=group, read_on=clock.at.date(), notes=notes
            )
