"""Demo data of consultations (Qiantang), written through the services, then dated into the past.

- 2026 年度协商计划, approved, with six topics (one of each kind).
- 专题协商「加快建设高能级科创平台」held in June with speeches and written opinions; its outcome report
  (five recommendations) was sent to five departments in July and is published: one fed back (区发展和改革局),
  one being implemented (区教育局), one answered (区科技局), one not answered and overdue (区建设局), one not
  adopted with a reason and fed back (区农业农村局).
- 网络议政「优化营商环境」held in September with posts (one hidden by staff).
- 网络议政「“一老一小”服务设施布局」planned, its online discussion open now for a week (朱政 and 徐钢 invited).
- 民主监督「河湖长制落实情况」with two inspections and three findings.

Idempotent: nothing is added when the committee has a consultation plan already."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from lvzhi.accounts.models import User
from lvzhi.org.models import HandlingUnit, Member, SpecialCommittee, SubDistrict

from . import services as s
from .models import Consultation, Outcome, Plan, Post, Response

STAFF = "zhuanwei"


@transaction.atomic
def load(committee):
    if Plan.objects.for_committee(committee).exists():
        return None
    staff = User.objects.get(username=STAFF)
    office = User.objects.get(username="office")
    today = timezone.localdate()
    year = 2026

    def unit(name):
        return HandlingUnit.objects.get(committee=committee, name=name)

    def sc(name):
        return SpecialCommittee.objects.get(committee=committee, name=name)

    def member(username):
        return Member.objects.get(committee=committee, user__username=username)

    members = list(
        Member.objects.filter(committee=committee, state=Member.State.ACTIVE, user__isnull=False).order_by("pk")[:12]
    )
    zhu, xu, mao = member("zhuzheng"), member("xugang"), member("maoxucheng")
    invited = [zhu, xu, mao, *[m for m in members if m.pk not in (zhu.pk, xu.pk, mao.pk)][:7]]
    fgj, jyj, kjj, jsj, nyj = (
        unit("区发展和改革局"), unit("区教育局"), unit("区科技局"), unit("区建设局"), unit("区农业农村局")
    )  # fmt: skip

    # --- the plan
    plan = s.plan_create(committee=committee, by=staff, year=year, title="2026 年度政协协商计划")
    topics = [
        ("加快建设高能级科创平台", "themed", "经济委员会", [fgj, kjj, jyj, jsj, nyj], 6, None),
        ("优化营商环境", "online", "经济委员会", [fgj], 9, None),
        ("推进义务教育优质均衡发展", "counterpart", "社会事业委员会", [jyj], 10, None),
        ("重点提案“加快未来乡村建设”办理", "proposal", "提案委员会", [nyj], 5, None),
        ("老旧小区加装电梯", "grassroots", "社会和法制委员会", [jsj], 11, "下沙街道"),
        ("“一老一小”服务设施布局", "online", "社会事业委员会", [fgj, jyj], 12, None),
    ]
    saved = []
    for title, kind, lead, units, month, sub in topics:
        saved.append(
            s.topic_save(
                plan=plan,
                by=staff,
                title=title,
                kind=kind,
                month=month,
                lead=sc(lead),
                units=units,
                sub_district=SubDistrict.objects.get(committee=committee, name=sub) if sub else None,
            )  # fmt: skip
        )
    s.plan_act(plan=plan, by=staff, action="submit")
    s.plan_act(plan=plan, by=office, action="approve")
    Plan.objects.filter(pk=plan.pk).update(approved_at=timezone.make_aware(dt.datetime(year, 1, 20, 10)))

    # --- 专题协商, held, with its outcome
    themed = s.consultation_create(
        committee=committee, by=staff, topic=saved[0], held_on=dt.date(year, 6, 18), place="区政协三楼会议室",
        experts="浙江大学 陈教授\n区科技创新研究院 刘研究员", residents="科技企业代表 王女士",
        research="会前赴下沙科创园、大创小镇走访企业 12 家,召开座谈会 3 次,形成调研报告。",
    )  # fmt: skip
    s.invite(consultation=themed, by=staff, members=invited)
    s.speech_record(
        consultation=themed, by=staff, member=zhu, kind="oral", title="强化科技金融支撑",
        text="建议设立科创平台专项基金,引导社会资本投向早期项目。",
    )  # fmt: skip
    s.speech_record(
        consultation=themed, by=staff, member=xu, kind="oral", title="加强人才公寓保障",
        text="建议在科创园周边统筹建设人才公寓。",
    )  # fmt: skip
    s.opinion_submit(
        consultation=themed, by=mao.user, title="文创与科技融合",
        text="建议在科创平台中预留文创企业孵化空间。",
    )  # fmt: skip
    s.consultation_act(consultation=themed, by=staff, action="hold")
    outcome = s.outcome_create(
        committee=committee, by=staff, consultation=themed, title="关于加快建设高能级科创平台的协商成果",
        summary="围绕高能级科创平台建设,区政协组织专题协商,委员、专家和企业代表共提出意见建议 20 余条,"
        "经梳理形成以下五条建议。",
        drafters=[zhu, xu],
    )  # fmt: skip
    recs = [
        ("统筹科创平台空间布局,编制专项规划。", [fgj]),
        ("建立校企联合培养机制,支持职业院校开设紧缺专业。", [jyj]),
        ("设立科创平台专项基金,完善科技金融服务。", [kjj]),
        ("加快人才公寓和配套设施建设。", [jsj]),
        ("在科创平台周边配建农业科技示范园。", [nyj]),
    ]
    saved_recs = [s.recommendation_save(outcome=outcome, by=staff, text=t, units=u) for t, u in recs]
    s.outcome_send(outcome=outcome, by=staff)
    sent_on = dt.date(year, 7, 10)
    Response.objects.filter(recommendation__outcome=outcome).update(
        sent_on=sent_on, due_date=sent_on + dt.timedelta(days=90)
    )

    def who(u):
        return User.objects.filter(memberships__handling_unit=u).first()

    r1, r2, r3, _r4, r5 = saved_recs
    s.response_answer(recommendation=r1, unit=fgj, by=who(fgj), adoption="adopted", answer="采纳。已列入年度工作计划。")
    s.step_add(
        recommendation=r1, unit=fgj, by=who(fgj), date=dt.date(year, 8, 5), text="启动科创平台空间布局专项规划编制。"
    )
    s.step_add(recommendation=r1, unit=fgj, by=who(fgj), date=dt.date(year, 9, 20), text="完成规划初稿并征求意见。")
    s.response_feed_back(
        recommendation=r1, unit=fgj, by=who(fgj), feedback="专项规划已于 9 月底经区政府常务会议审议通过。"
    )
    s.response_answer(
        recommendation=r2, unit=jyj, by=who(jyj), adoption="partly", answer="部分采纳。先在区职业高中试点两个专业。"
    )
    s.step_add(recommendation=r2, unit=jyj, by=who(jyj), date=dt.date(year, 9, 1), text="与三家企业签订联合培养协议。")
    s.response_answer(
        recommendation=r3, unit=kjj, by=who(kjj), adoption="adopted", answer="采纳,正在研究基金设立方案。"
    )
    s.response_answer(
        recommendation=r5, unit=nyj, by=who(nyj), adoption="not_adopted", answer="经研究,暂不采纳。",
        reason="周边用地已规划为产业用地,不具备建设农业示范园的条件。",
    )  # fmt: skip
    s.response_feed_back(recommendation=r5, unit=nyj, by=who(nyj), feedback="已向委员当面说明不采纳的原因。")
    s.outcome_publish(outcome=outcome, by=staff)
    Outcome.objects.filter(pk=outcome.pk).update(
        sent_at=timezone.make_aware(dt.datetime(year, 7, 10, 9)),
        published_at=timezone.make_aware(dt.datetime(year, 10, 15, 9)),
    )

    # --- 网络议政, held, with posts (one hidden)
    online = s.consultation_create(
        committee=committee, by=staff, topic=saved[1], held_on=dt.date(year, 9, 10),
        opens_at=timezone.now() - dt.timedelta(days=1), closes_at=timezone.now() + dt.timedelta(days=1),
    )  # fmt: skip
    s.invite(consultation=online, by=staff, members=invited)
    texts = [
        (zhu, "建议推行涉企事项“一件事”集成办理,减少企业跑腿。"),
        (xu, "建议建立企业诉求快速响应机制,限时办结。"),
        (mao, "建议加强对小微文创企业的政策宣传。"),
        (invited[3], "某某公司产品好,欢迎大家购买。"),
    ]
    posts = [s.post_create(consultation=online, by=m.user, text=t) for m, t in texts]
    s.post_hide(post=posts[-1], by=staff, reason="与议题无关的广告内容")
    s.speech_record(
        consultation=online, by=staff, member=zhu, kind="written", title="营商环境书面意见",
        text="建议完善政企沟通平台。",
    )  # fmt: skip
    s.consultation_act(consultation=online, by=staff, action="hold")
    window = dict(
        opens_at=timezone.make_aware(dt.datetime(year, 9, 1, 9)),
        closes_at=timezone.make_aware(dt.datetime(year, 9, 10, 18)),
    )
    Consultation.objects.filter(pk=online.pk).update(**window)
    for i, p in enumerate(posts):
        Post.objects.filter(pk=p.pk).update(created_at=window["opens_at"] + dt.timedelta(days=1, hours=i))

    # --- 网络议政 open now (members can post from their phones)
    now = timezone.now()
    upcoming = s.consultation_create(
        committee=committee, by=staff, topic=saved[5], held_on=today + dt.timedelta(days=10),
        opens_at=now - dt.timedelta(hours=2), closes_at=now + dt.timedelta(days=7),
    )  # fmt: skip
    s.invite(consultation=upcoming, by=staff, members=invited)
    s.post_create(consultation=upcoming, by=xu.user, text="建议在新建小区同步配建托育和养老服务用房。")

    # --- democratic supervision
    sup = s.supervision_create(
        committee=committee, by=staff, year=year, title="河湖长制落实情况民主监督", lead=sc("农业农村委员会"),
        units=[nyj, jsj], description="围绕河湖长制落实、河道保洁和水质改善开展监督。",
    )  # fmt: skip
    s.inspection_add(
        supervision=sup, by=staff, date=dt.date(year, 4, 16), place="河庄街道 新湾河", members=[xu, zhu],
        notes="实地查看河道保洁和排污口整治情况。",
    )  # fmt: skip
    s.inspection_add(
        supervision=sup, by=staff, date=dt.date(year, 5, 21), place="义蓬街道 义南横河", members=[xu],
        notes="走访河长公示牌,抽查巡河记录。",
    )  # fmt: skip
    s.finding_add(supervision=sup, by=staff, text="部分河长公示牌信息未及时更新。", unit=nyj)
    s.finding_add(supervision=sup, by=staff, text="个别河段存在雨污混排现象。", unit=jsj)
    s.finding_add(supervision=sup, by=staff, text="巡河记录填写不规范。")
    return plan
