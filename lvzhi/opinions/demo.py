"""Demo public-opinion reports of the Qiantang committee, written through lvzhi.opinions.services.

- 信息员 `lianluo` (刘兰, password Qiantang@2021): role reporter in 钱塘, reporting for the first contact
  point (…街道社情民意联系点).
- Twelve reports in every state: drafts, submitted, sent back, in editing, accepted, published (in issue 1
  of this year's 《社情民意》), not used, combined, withdrawn.
- One report of 朱政 published, forwarded to 杭州市政协, adopted at city level by 杭州市委办公厅 with an
  instruction of a city leader recorded by hz_office, and adopted at district level by 钱塘 staff.

Idempotent: nothing is added when the reporter exists already."""

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from lvzhi.accounts.models import User
from lvzhi.core.roles import Role
from lvzhi.org.demo import DEMO_PASSWORD
from lvzhi.org.models import ContactPoint, Member, Membership

from . import services as s
from .models import OpinionReport, Reporter

STAFF = "xinxi"

TEXTS = [
    # (writer, title, topic, situation, suggestion, state)
    (
        "zhuzheng",
        "关于加快下沙高教园区科技成果就地转化的建议",
        "经济发展",
        "下沙高教园区有高校十余所,每年产生大量科研成果,但在区内转化落地的比例不高。企业反映找不到对口的"
        "技术,高校教师反映缺少中试场地和转化服务,成果多流向外地。",
        "一是建设园区概念验证中心和中试基地;二是设立科技成果转化专项基金;三是建立高校与企业常态化对接机制,"
        "每季度组织一次成果发布会。",
        "published_forwarded",
    ),
    (
        "lianluo",
        "关于解决老旧小区加装电梯资金分摊难的建议",
        "城乡建设",
        "联系点收到多位居民反映,老旧小区加装电梯因低楼层住户不同意、资金分摊比例谈不拢,很多单元停滞。"
        "部分老人上下楼困难,出行只能靠家人背。",
        "建议街道牵头制定资金分摊指导标准,引入第三方调解;对困难家庭给予补贴;推广代建代管模式。",
        "published",
    ),
    (
        "xugang",
        "关于完善未来乡村一老一小服务设施的建议",
        "社会民生",
        "部分村社养老服务站和托育点设施简陋,服务人员不足,村民满意度不高。",
        "建议统筹建设一老一小服务综合体,培养本土服务队伍,引入社会组织运营。",
        "published",
    ),
    (
        "lianluo",
        "关于地铁口非机动车乱停放的情况反映",
        "社会治理",
        "居民反映地铁口周边共享单车和电动车乱停放严重,高峰时段影响行人通行,存在安全隐患。",
        "建议设置电子围栏和停放区,增加高峰时段巡查,督促运营企业及时调度。",
        "accepted",
    ),
    (
        "zhuzheng",
        "关于支持青年人才租房安居的建议",
        "经济发展",
        "园区企业青年人才反映,周边租金上涨较快,人才公寓房源少、申请条件多。",
        "建议扩大人才公寓供给,简化申请流程,对新引进青年人才给予租房补贴。",
        "editing",
    ),
    (
        "maoxucheng",
        "关于打造钱塘文创品牌的建议",
        "文化旅游",
        "钱塘文创企业数量增长较快,但缺少有影响力的区域品牌,企业各自为战。",
        "建议设立文创品牌培育计划,举办年度文创周,搭建统一展示平台。",
        "submitted",
    ),
    (
        "lianluo",
        "关于社区垃圾分类清运不及时的情况反映",
        "生态环境",
        "多个小区居民反映厨余垃圾清运不及时,夏季异味明显,影响居民分类积极性。",
        "建议增加清运频次,公开清运时间,建立居民投诉快速响应机制。",
        "submitted",
    ),
    (
        "xugang",
        "关于农村道路安全隐患整治的建议",
        "社会治理",
        "部分村道弯多路窄,缺少警示标志和路灯,夜间事故时有发生。",
        "建议开展农村道路安全隐患排查,补齐警示标志和照明设施。",
        "revising",
    ),
    (
        "zhuzheng",
        "关于中小学课后服务引入科技社团的建议",
        "教育卫生",
        "课后服务内容以作业辅导为主,科技类项目少。",
        "建议引入高校和企业科技社团进校园,开设科创课程。",
        "not_used",
    ),
    (
        "lianluo",
        "关于小区周边共享单车堆积的反映",
        "社会治理",
        "居民反映小区门口共享单车堆积,影响消防通道。",
        "建议运营企业及时清运,街道加强巡查。",
        "combined",
    ),
    (
        "maoxucheng",
        "关于文创园区停车难的建议",
        "城乡建设",
        "文创园区车位不足,访客停车难。",
        "建议挖潜增设停车位,推广错时共享停车。",
        "draft",
    ),
    (
        "zhuzheng",
        "关于夜间经济街区管理的建议",
        "经济发展",
        "夜间经济街区噪音扰民投诉较多。",
        "建议划定经营时段和噪音标准。",
        "withdrawn",
    ),
]


def _reporter(committee) -> User:
    user = User.objects.create(
        username="lianluo", display_name="刘兰", mobile="13700000030", password=make_password(DEMO_PASSWORD)
    )
    Membership.objects.create(user=user, committee=committee, role=Role.REPORTER)
    point = ContactPoint.objects.for_committee(committee).order_by("order", "id").first()
    Reporter.objects.create(committee=committee, user=user, contact_point=point)
    return user


@transaction.atomic
def load(committee):
    if Reporter.objects.for_committee(committee).filter(user__username="lianluo").exists():
        return None
    _reporter(committee)
    users = {u.username: u for u in User.objects.filter(username__in={t[0] for t in TEXTS} | {STAFF, "hz_office"})}
    staff = users[STAFF]
    today = timezone.localdate()
    made: dict[str, OpinionReport] = {}
    for writer, title, topic, situation, suggestion, state in TEXTS:
        by = users[writer]
        values = {"title": title, "topic": topic, "situation": situation, "suggestion": suggestion}
        if writer == "lianluo":
            values.update(
                resident_name="王阿姨", resident_phone="13812345678", resident_notes="住3幢2单元,愿意接受回访"
            )
        co = []
        if title.startswith("关于解决老旧小区"):
            co = list(Member.objects.for_committee(committee).filter(user__username="xugang"))
        report = s.draft_save(committee=committee, by=by, values=values, co_authors=co)
        made[title] = report
        if state == "draft":
            continue
        s.report_submit(report=report, by=by)
        if state == "withdrawn":
            s.report_withdraw(report=report, by=by, reason="与已提交信息重复")
        elif state == "revising":
            s.report_send_back(report=report, by=staff, reason="请补充事故数据和具体路段。")
        elif state == "editing":
            s.report_edit(report=report, by=staff, values={"title": title.replace("的建议", "的几点建议")})
        elif state == "not_used":
            s.report_not_use(report=report, by=staff, reason="已有部门专项部署,暂不编发。")
        elif state == "accepted":
            s.report_accept(report=report, by=staff)
    # combine the second bike report into the first
    s.report_combine(
        target=made["关于地铁口非机动车乱停放的情况反映"],
        others=[made["关于小区周边共享单车堆积的反映"]],
        by=staff,
    )
    # issue 1 of this year with three reports
    issue = s.issue_create(committee=committee, by=staff, date=today, title="科技成果转化与民生实事专刊")
    first = made["关于加快下沙高教园区科技成果就地转化的建议"]
    s.report_edit(
        report=first,
        by=staff,
        values={"suggestion": first.suggestion + "四是对在区内转化的项目给予场地和资金支持。"},
    )
    s.issue_publish(
        issue=issue,
        reports=[
            first,
            made["关于解决老旧小区加装电梯资金分摊难的建议"],
            made["关于完善未来乡村一老一小服务设施的建议"],
        ],
        by=staff,
    )
    s.adoption_record(
        report=made["关于解决老旧小区加装电梯资金分摊难的建议"],
        by=staff,
        level="district",
        body="钱塘区委办公室",
        date=today,
    )
    # forwarded to 杭州市政协, adopted there at city level with a city leader's instruction
    copy = s.report_forward(report=first, by=staff, note="建议市政协编发")
    hz = users["hz_office"]
    s.report_accept(report=copy, by=hz)
    s.adoption_record(report=copy, by=hz, level="city", body="杭州市委办公厅《领导参阅》", date=today)
    s.instruction_record(
        report=copy,
        by=hz,
        level="city",
        leader="市政府分管副市长",
        text="请市科技局会同钱塘区研究落实,推动高校科技成果就地转化。",
        date=today,
    )
    return issue
