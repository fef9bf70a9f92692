"""Demo proposals of the Qiantang committee: categories, and proposals in every state of the workflow,
written through the services so that their timelines are real. The seed names three of them: 朱政 (科技界)
on science and innovation, 徐钢 (致公党) on future villages, 茅徐程 (文化和新闻出版界) on a cultural brand.

Each proposal is a line of PROPOSALS: who writes it, when (a session's first day, or N days before today
for the ones still in progress), and how far it goes (its final state). The loader turns every line into
dated steps (create, invite, submit, review, assign, accept, contact, answer, approve, evaluate, …),
sorts all steps by date and runs them through lvzhi.proposals.services with the platform clock set to
the step's date: the timelines, filing numbers (一届一次·第 0001 号…), due dates and evaluations are those
the services produce. Steps more than 60 days old send no notification (they would have been read long
ago); the recent ones fill the demo people's inboxes as the services do.

Handling units other than 区发展和改革局 (fgj) and 区教育局 (jyj) get a staff account here (UNIT_ACCOUNTS),
so that the proposals are answered by the unit they belong to."""

import contextlib
import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from lvzhi.accounts.models import User
from lvzhi.core.roles import Role
from lvzhi.core.workflow import apply
from lvzhi.org.models import HandlingUnit, Member, Membership, Session

from . import services as s
from .models import Category, Proposal
from .workflow import PROPOSAL

CATEGORIES = ["经济建设", "科技创新", "城乡建设", "社会事业", "文化旅游", "生态环境", "农业农村", "社会治理", "其他"]

# Handling-unit staff accounts added by the proposals demo: (username, name, mobile, unit).
UNIT_ACCOUNTS = [
    ("kjj", "钱立明", "13600000003", "区科技局"),
    ("jsj", "沈建平", "13600000004", "区建设局"),
    ("nyj", "俞春雷", "13600000005", "区农业农村局"),
    ("wlj", "方晓东", "13600000006", "区文化和旅游体育局"),
    ("rsj", "蒋丽华", "13600000007", "区人力资源和社会保障局"),
    ("jtj", "韩振宇", "13600000008", "交通运输钱塘分局"),
]
SUPERVISOR = "jinzhiqiang"
STAFF = "tiwei"


@dataclass
class Spec:
    """One demo proposal. `lead`: a username, "界别#n" (the n-th member of that sector) or "@提案单位"
    for a collective proposal. `when`: ("s", n) = the day after session n opened, ("ago", d) = d days
    before today. `end`: the state it reaches."""

    when: tuple
    lead: str
    category: str
    title: str
    problem: str
    analysis: str
    suggestion: str
    end: str
    unit: str = ""  # username of the lead unit's staff
    co: list = field(default_factory=list)  # co-units (会办), usernames
    cos: list = field(default_factory=list)  # co-signers: (who, "confirm" | "decline" | "invite")
    r1: dict = field(default_factory=dict)  # round-1 ratings by username (default 满意)
    r2: dict = field(default_factory=dict)
    answer: tuple = ("A", "经研究,提案建议已采纳并推进落实。")  # round-1 category and text
    answer2: tuple = ("A", "经重新办理,提案建议已落实。")
    reason: str = ""  # not filed / converted / sent back
    merge_into: int | None = None  # index in PROPOSALS of the lead proposal
    returned_by: str = ""  # a unit returns it (then `unit` takes it over, unless end == "returned")
    key: bool = False
    notes: list = field(default_factory=list)  # supervision progress notes
    publish: bool = False
    agree: bool = True
    excellent: int | None = None
    late: bool = False  # answered after the due date
    answer_sent_back: str = ""  # the office sends the first answer back once, with this reason


P = Spec
PROPOSALS = [
    # ------------------------------------------------------------------ 一届一次会议 (July 2021): the seed's three
    P(
        ("s", 1),
        "zhuzheng",
        "科技创新",
        "关于着力发挥企业创新主体作用、构建开放型区域创新体系的建议",
        "我区企业创新主体作用发挥还不充分,研发投入集中在少数龙头企业,区域创新资源分散,"
        "高校、科研院所与企业之间协同不够,科技成果就地转化率不高。",
        "一是企业研发机构覆盖率偏低,中小企业缺少持续投入的能力;二是产学研合作多停留在单个项目,"
        "缺少长期稳定的合作平台;三是创新要素对外开放不足,与长三角创新高地的链接不够紧密。",
        "一、着力发挥企业创新主体作用,扩大企业研发费用补助和高新技术企业培育覆盖面;"
        "二、依托区内高校共建产业创新联合体,推动科技成果在钱塘就地转化;"
        "三、构建开放型区域创新体系,建设离岸孵化器,深化与长三角创新城市的合作;"
        "四、完善科技金融服务,设立科技成果转化引导基金。",
        "closed",
        unit="kjj",
        co=["fgj"],
        cos=[("科技界#5", "confirm")],
        answer=("B", "已将企业研发机构建设纳入年度科技工作要点,产业创新联合体正在筹建。"),
        publish=True,
    ),
    P(
        ("s", 1),
        "xugang",
        "农业农村",
        "关于精准聚焦美丽乡村建设短板、高水平建设未来乡村的建议",
        "我区未来乡村建设起步不久,部分村庄基础设施和公共服务仍有短板,乡村产业支撑不足,青年人才回流乡村的通道不畅。",
        "打造高质量共同富裕示范区,乡村是短板也是潜力所在。当前各村建设标准不一,"
        "创业园、“硅谷园”等平台与区内高校联动不够,缺少持续运营的机制。",
        "一、拉高标杆、补齐短板,制定未来乡村建设三年行动计划;二、注重创业园、“硅谷园”等平台建设,"
        "加强与区内高校联动,开设专项课程、设置实训基地;三、鼓励区内大学生落户钱塘、扎根乡村;"
        "四、建立未来乡村长效运营机制,描绘美丽钱塘新画卷。",
        "closed",
        unit="nyj",
        co=["rsj"],
        key=True,
        notes=["召开未来乡村建设专题督办会,明确三年行动计划编制时间表。", "首批5个未来乡村试点村建设方案已审定。"],
        answer=("A", "《钱塘区未来乡村建设三年行动计划》已印发,首批试点村建设全面启动。"),
        publish=True,
    ),
    P(
        ("s", 1),
        "maoxucheng",
        "文化旅游",
        "关于加快打造钱塘文创品牌的建议",
        "文创作为第三产业,已成为钱塘区一股不可小觑的力量,但目前我区文化产业缺乏重点文化会展、"
        "重点产业平台等项目,文创企业的参与度和获得感不高。",
        "区内高校和文创企业资源丰富,但缺少有影响力的品牌活动把它们串联起来,文创产业园区同质化明显。",
        "一、依托企业、高校承办一批具有国际国内影响力的文创产业品牌活动;二、设立文创产业发展专项资金,"
        "支持重点文化会展落地;三、建设文创产业公共服务平台,增强区内文创企业的参与度和获得感。",
        "closed",
        unit="wlj",
        answer=("A", "已举办首届钱塘文创周,设立文创产业发展专项资金,文创公共服务平台上线运行。"),
        publish=True,
        excellent=2021,
    ),
    # ------------------------------------------------------------------ 一届一次会议: more on the seed's topics
    P(
        ("s", 1),
        "科技界#2",
        "城乡建设",
        "关于解决地铁8号线河庄路站周边停车难问题的建议",
        "地铁8号线开通后,河庄路站地铁口附近交通不畅,非机动车和机动车乱停乱放现象突出。",
        "站点周边缺少停车泊位和非机动车停放区,接驳公交线路少,换乘不便。",
        "一、在河庄路站周边规划建设P+R停车场;二、施划非机动车停放区并加强日常管理;"
        "三、优化接驳公交线路,完善地铁出行配套。",
        "closed",
        unit="jtj",
        co=["jsj"],
        r1={"科技界#2": "unsatisfied"},
        answer=("B", "已将河庄路站P+R停车场纳入明年建设计划,先行施划非机动车停放区。"),
        answer2=("A", "河庄路站P+R停车场已建成投用,新增泊位210个,新开接驳公交线路2条。"),
        publish=True,
    ),
    P(
        ("s", 1),
        "教育界#2",
        "城乡建设",
        "关于在地铁站口增设停车泊位、方便市民换乘的建议",
        "地铁站口停车难,市民驾车换乘地铁不便,站口周边道路经常拥堵。",
        "站点配套建设滞后于地铁开通,停车资源与换乘需求不匹配。",
        "建议在地铁站口周边增设停车泊位,完善换乘配套设施。",
        "merged",
        merge_into=3,
    ),
    P(
        ("s", 1),
        "共青团和青联#1",
        "社会事业",
        "关于完善青年人才生活保障、增强企业留才能力的建议",
        "钱塘区是全市最年轻的行政区,但部分企业关键人才流失较快,青年人才安居、子女入学等后顾之忧较多。",
        "现有人才政策偏重引进,对留住人才的生活、物质保障关注不够,政策知晓度和兑现效率有待提高。",
        "一、扩大青年人才公寓供给;二、完善人才子女入学保障;三、建立人才政策“一站式”兑现服务;"
        "四、支持企业建立关键人才激励机制。",
        "closed",
        unit="rsj",
        co=["jyj"],
        cos=[("共青团和青联#2", "confirm"), ("经济界#3", "confirm"), ("共青团和青联#4", "decline")],
        answer=("A", "新增青年人才公寓1200套,人才政策“一站式”兑现平台已上线。"),
        publish=True,
    ),
    P(
        ("s", 1),
        "经济界#2",
        "经济建设",
        "关于推动数字化转型、补齐智能产业发展短板的建议",
        "数字化、智能化是时代发展的趋势,我区智能产业发展存在短板,中小制造企业数字化改造进度慢。",
        "企业数字化改造成本高、人才缺,缺少可复制的行业解决方案和公共服务平台。",
        "一、设立制造业数字化改造专项资金;二、培育一批数字化服务商;三、打造行业数字化转型标杆示范。",
        "closed",
        unit="fgj",
        answer=("B", "已出台制造业数字化改造三年行动方案,首批20家示范企业改造正在推进。"),
    ),
    P(
        ("s", 1),
        "农业和社会福利界#2",
        "城乡建设",
        "关于立足实际推进城市有机更新、治理“城市病”的建议",
        "城市高速发展带来交通拥堵、老旧小区设施老化等“城市病”。",
        "城市更新往往重拆建、轻治理,居民参与不足,历史风貌保护不够。",
        "一、编制城市有机更新专项规划;二、推进老旧小区综合改造;三、建立居民参与更新的议事机制。",
        "closed",
        unit="jsj",
        answer=("A", "城市有机更新专项规划已编制完成,今年完成老旧小区改造12个。"),
        publish=True,
    ),
    P(
        ("s", 1),
        "医药卫生界#2",
        "社会事业",
        "关于推广本院自主研发保健品进社区的建议",
        "社区居民健康意识增强,对保健产品需求大。",
        "本院研发的保健产品效果良好,但推广渠道有限。",
        "建议由政府组织将本院保健产品推广进社区。",
        "not_filed",
        reason="宣传、推介具体产品或作品",
    ),
    P(
        ("s", 1),
        "民建#2",
        "经济建设",
        "关于优化营商环境、推进涉企服务“一件事”改革的建议",
        "企业办事仍需多头跑、重复交材料。",
        "部门数据共享不充分,涉企事项办理流程没有整体重塑。",
        "一、梳理涉企高频“一件事”清单;二、打通部门数据共享;三、推行企业专属服务专员制度。",
        "closed",
        unit="fgj",
        answer=("A", "已推出涉企“一件事”23项,企业办事材料平均减少40%。"),
        r1={"民建#2": "basic"},
    ),
    P(
        ("s", 1),
        "@致公党钱塘区基层委员会",
        "社会治理",
        "关于深化基层社会治理“一张网”建设的建议",
        "基层网格任务多、力量散,各部门平台重复采集信息。",
        "网格事项准入机制不健全,数据多头上报,基层负担重。",
        "一、建立网格事项准入清单;二、整合基层治理平台;三、加强专职网格员队伍建设。",
        "closed",
        unit="fgj",
        answer=("B", "基层治理平台整合方案已报区委审定,网格事项准入清单正在编制。"),
        publish=True,
    ),
    # ------------------------------------------------------------------ 一届二次会议 (January 2022)
    P(
        ("s", 2),
        "教育界#3",
        "社会事业",
        "关于加快补齐新城区中小学学位缺口的建议",
        "新城区人口快速导入,部分学区中小学学位紧张,大班额现象突出。",
        "学校建设周期长,学位供给与人口增长预测衔接不够。",
        "一、建立学龄人口预测和学位预警机制;二、加快新建一批中小学;三、推动优质学校集团化办学。",
        "closed",
        unit="jyj",
        answer=("B", "已建立学位预警机制,3所新建学校列入年度重点工程,预计明年秋季投用。"),
        publish=True,
    ),
    P(
        ("s", 2),
        "科技界#3",
        "科技创新",
        "关于建设高校科技成果转化公共服务平台的建议",
        "区内高校科研成果多,但在钱塘就地转化的比例低。",
        "缺少专业化的技术转移机构和概念验证平台。",
        "一、建设高校科技成果转化公共服务平台;二、培育技术经理人队伍;三、设立概念验证中心。",
        "closed",
        unit="kjj",
        answer=("A", "钱塘高校科技成果转化服务平台已上线,引进技术转移机构5家。"),
        cos=[("zhuzheng", "confirm")],
    ),
    P(
        ("s", 2),
        "农业和社会福利界#3",
        "社会事业",
        "关于加强居家养老服务供给的建议",
        "老年人口比例上升,居家养老服务供给不足。",
        "社区养老服务设施利用率不高,专业护理人员缺乏。",
        "一、推进社区嵌入式养老服务中心建设;二、培育专业养老服务机构;三、发展“互联网+养老”。",
        "converted",
        reason="内容宜由相关部门在日常工作中研究吸收,转为意见建议办理。",
    ),
    P(
        ("s", 2),
        "民盟#2",
        "社会事业",
        "关于加强中小学生心理健康教育的建议",
        "中小学生心理问题呈低龄化趋势。",
        "学校专职心理教师配备不足,家校社协同不够。",
        "一、按标准配齐专职心理教师;二、建立学生心理健康监测体系;三、加强家校社协同育人。",
        "closed",
        unit="jyj",
        late=True,
        answer=("A", "全区中小学专职心理教师已配齐,心理健康监测实现全覆盖。"),
    ),
    # ------------------------------------------------------------------ 一届三次会议 (January 2023)
    P(
        ("s", 3),
        "工商联#2",
        "经济建设",
        "关于支持跨境电商和数字贸易发展的建议",
        "我区跨境电商企业规模小、品牌弱。",
        "自贸区政策优势发挥不够,物流、结汇等配套服务不完善。",
        "一、用足自贸区政策,建设跨境电商产业园;二、培育平台型、数字化服务旗舰企业;三、完善海外仓布局。",
        "closed",
        unit="fgj",
        answer=("A", "跨境电商产业园已开园,入驻企业86家。"),
        publish=True,
    ),
    P(
        ("s", 3),
        "九三学社#2",
        "生态环境",
        "关于加强钱塘江沿岸生态保护和滨江绿道建设的建议",
        "钱塘江沿岸部分岸段生态修复滞后,绿道不连通。",
        "沿江开发与生态保护统筹不够,缺少整体规划。",
        "一、编制沿江生态保护规划;二、贯通滨江绿道;三、建设沿江生态公园。",
        "closed",
        unit="jsj",
        answer=("B", "滨江绿道贯通工程已开工,计划明年底全线贯通。"),
    ),
    P(
        ("s", 3),
        "民进#2",
        "社会治理",
        "关于建立社情民意快速反映机制的建议",
        "群众急难愁盼问题反映渠道多但响应慢。",
        "信息收集和部门响应之间缺少闭环。",
        "建议将此类信息通过社情民意渠道快速报送。",
        "to_report",
        reason="内容时效性强,转为社情民意信息报送。",
    ),
    # ------------------------------------------------------------------ 一届四次会议 (January 2024)
    P(
        ("s", 4),
        "文化和新闻出版界#2",
        "文化旅游",
        "关于挖掘围垦文化、打造钱塘文化地标的建议",
        "钱塘围垦文化底蕴深厚,但保护利用不够。",
        "文化遗存分散,缺少系统展示和品牌传播。",
        "一、建设围垦文化博物馆;二、策划围垦文化主题线路;三、开发围垦文化文创产品。",
        "closed",
        unit="wlj",
        cos=[("maoxucheng", "confirm")],
        answer=("B", "围垦文化博物馆已完成选址和方案设计。"),
        publish=True,
    ),
    P(
        ("s", 4),
        "医药卫生界#3",
        "社会事业",
        "关于推进区域医疗中心建设、提升基层医疗服务能力的建议",
        "优质医疗资源集中,基层医疗服务能力不足。",
        "医联体内部人员、设备、信息共享不充分。",
        "一、推进区域医疗中心建设;二、深化医共体改革;三、推广远程会诊。",
        "closed",
        unit="fgj",
        answer=("A", "区域医疗中心一期已投用,远程会诊覆盖全部社区卫生服务中心。"),
    ),
    P(
        ("s", 4),
        "民革#2",
        "其他",
        "关于本人房屋拆迁补偿问题的建议",
        "本人房屋拆迁补偿标准偏低。",
        "补偿协商未达成一致。",
        "请求提高补偿标准。",
        "not_filed",
        reason="属于个人或家庭问题",
    ),
    # ------------------------------------------------------------------ 一届五次会议 (January 2025)
    P(
        ("s", 5),
        "经济界#4",
        "经济建设",
        "关于加快发展生物医药产业集群的建议",
        "生物医药是我区主导产业,但产业链条不完整。",
        "研发外包、中试等公共服务平台不足。",
        "一、建设生物医药中试基地;二、引进CRO、CDMO机构;三、完善产业链招商。",
        "closed",
        unit="fgj",
        co=["kjj"],
        answer=("A", "生物医药中试基地已建成,引进CDMO机构3家。"),
        publish=True,
    ),
    P(
        ("s", 5),
        "xugang",
        "农业农村",
        "关于发展乡村休闲旅游、促进农民增收的建议",
        "乡村旅游资源开发不足,农民增收渠道窄。",
        "缺少统一规划和品牌营销,配套设施薄弱。",
        "一、编制乡村休闲旅游规划;二、打造精品民宿集群;三、推动农文旅融合。",
        "closed",
        unit="nyj",
        co=["wlj"],
        cos=[("致公党#2", "confirm")],
        answer=("B", "乡村休闲旅游规划已编制,精品民宿集群正在培育。"),
    ),
    # ------------------------------------------------------------------ 闭会期间, in progress now
    P(
        ("ago", 80),
        "zhuzheng",
        "科技创新",
        "关于支持中小企业建设企业研究院的建议",
        "中小企业研发投入不足,企业研究院数量少。",
        "研发机构认定门槛高,扶持政策兑现慢。",
        "一、降低企业研究院认定门槛;二、加大研发投入补助;三、推动企业与高校共建研究院。",
        "rehandling",
        unit="kjj",
        cos=[("xugang", "confirm")],
        r1={"zhuzheng": "unsatisfied", "xugang": "basic"},
        answer=("C", "受财力所限,研发补助标准暂不调整。"),
    ),
    P(
        ("ago", 78),
        "教育界#4",
        "社会事业",
        "关于推进职业教育产教融合的建议",
        "职业院校专业设置与区内产业需求匹配度不高。",
        "校企合作深度不够,企业参与办学积极性不高。",
        "一、建设产教融合实训基地;二、推行现代学徒制;三、建立专业动态调整机制。",
        "rehandling",
        unit="jyj",
        co=["rsj"],
        r1={"教育界#4": "unsatisfied"},
        answer=("B", "正在研究产教融合实训基地建设方案。"),
    ),
    P(
        ("ago", 70),
        "maoxucheng",
        "文化旅游",
        "关于建设城市书房、打造书香钱塘的建议",
        "公共阅读空间分布不均,新城区阅读设施不足。",
        "城市书房建设缺少统一标准和运营保障。",
        "一、在新城区建设一批城市书房;二、引入社会力量运营;三、开展全民阅读活动。",
        "replied",
        unit="wlj",
        answer=("A", "今年新建城市书房8家,全民阅读活动常态化开展。"),
    ),
    P(
        ("ago", 69),
        "经济界#5",
        "经济建设",
        "关于加快建设智能制造公共服务平台的建议",
        "中小制造企业智能化改造缺少专业服务。",
        "公共服务平台功能单一,服务能力不足。",
        "一、建设智能制造公共服务平台;二、培育智能制造系统解决方案供应商。",
        "replied",
        unit="fgj",
        cos=[("zhuzheng", "confirm")],
        answer=("B", "智能制造公共服务平台建设方案已列入明年计划。"),
    ),
    P(
        ("ago", 63),
        "工商联#3",
        "经济建设",
        "关于缓解中小微企业融资难的建议",
        "中小微企业融资难、融资贵问题仍然存在。",
        "银企信息不对称,担保体系不健全。",
        "一、搭建银企对接平台;二、扩大政府性融资担保规模;三、推广知识产权质押融资。",
        "answered",
        unit="fgj",
        answer=("A", "银企对接平台已上线,政府性融资担保规模扩大至50亿元。"),
    ),
    P(
        ("ago", 65),
        "教育界#5",
        "社会事业",
        "关于推进学校课后服务提质扩面的建议",
        "课后服务内容单一,家长满意度有待提高。",
        "师资力量不足,社会资源引入不够。",
        "一、丰富课后服务内容;二、引入社会优质资源;三、合理保障教师权益。",
        "answered",
        unit="jyj",
        answer=("A", "已引入120家社会机构参与课后服务,开设课程300余门。"),
        answer_sent_back="请补充教师权益保障的具体措施。",
    ),
    P(
        ("ago", 40),
        "xugang",
        "农业农村",
        "关于推进未来乡村数字化建设的建议",
        "乡村数字化基础设施薄弱,数字应用场景少。",
        "数字乡村建设缺少统一规划,各村应用重复建设。",
        "一、完善乡村数字基础设施;二、建设未来乡村数字化应用场景;三、培育乡村数字人才。",
        "handling",
        unit="nyj",
        co=["fgj"],
        key=True,
        notes=["农业农村局已制定数字乡村建设工作方案。"],
        cos=[("maoxucheng", "confirm")],
    ),
    P(
        ("ago", 38),
        "共青团和青联#3",
        "社会事业",
        "关于打造青年发展型城区、吸引青年人才留钱塘的建议",
        "青年人才来钱塘多、留钱塘少。",
        "青年住房、婚恋、文体等配套服务不足。",
        "一、建设青年发展型城区;二、完善青年人才住房保障;三、丰富青年文体生活。",
        "handling",
        unit="rsj",
    ),
    P(
        ("ago", 120),
        "农业和社会福利界#4",
        "城乡建设",
        "关于加快老旧小区加装电梯的建议",
        "老旧小区老年人上下楼难,加装电梯进度慢。",
        "居民意见难统一,审批流程复杂,资金筹措难。",
        "一、简化加装电梯审批流程;二、加大财政补助;三、建立居民协商机制。",
        "handling",
        unit="jsj",
    ),
    P(
        ("ago", 36),
        "@科技界委员",
        "科技创新",
        "关于建设钱塘科创走廊、打造开放型创新高地的建议",
        "科创资源分布分散,缺少有带动力的科创平台。",
        "科创走廊规划尚未形成,区域协同创新不足。",
        "一、编制钱塘科创走廊规划;二、建设一批高能级创新平台;三、深化与长三角创新城市合作。",
        "handling",
        unit="kjj",
    ),
    P(
        ("ago", 17),
        "医药卫生界#4",
        "社会事业",
        "关于加强社区急救能力建设的建议",
        "社区急救设备配置不足,公众急救技能普及率低。",
        "AED配置缺少统一规划,急救培训覆盖面窄。",
        "一、在公共场所配置AED;二、开展全民急救技能培训。",
        "returned",
        unit="fgj",
        returned_by="jyj",
        reason="本提案内容属卫生健康部门职责,不属于我局职责范围。",
    ),
    P(
        ("ago", 15),
        "民进#3",
        "社会事业",
        "关于推进幼儿园托育一体化的建议",
        "0-3岁婴幼儿托育服务供给不足。",
        "托育机构数量少、收费高。",
        "一、推进幼儿园开设托班;二、发展普惠托育服务。",
        "assigned",
        unit="jyj",
    ),
    P(
        ("ago", 15),
        "经济界#6",
        "经济建设",
        "关于推动低空经济产业发展的建议",
        "低空经济是新兴产业,我区布局尚处起步阶段。",
        "缺少产业规划和应用场景。",
        "一、编制低空经济产业规划;二、开放低空应用场景;三、招引龙头企业。",
        "assigned",
        unit="fgj",
    ),
    P(
        ("ago", 9),
        "九三学社#3",
        "生态环境",
        "关于推进河道水环境综合治理的建议",
        "部分河道水质不稳定,汛期污水溢流。",
        "雨污分流改造不彻底,河道管护机制不健全。",
        "一、推进雨污分流改造;二、建立河道长效管护机制。",
        "filed",
    ),
    P(
        ("ago", 9),
        "民建#3",
        "经济建设",
        "关于提升产业园区配套服务水平的建议",
        "产业园区生活配套不足,职工通勤不便。",
        "园区规划重生产、轻生活。",
        "一、完善园区餐饮、住宿配套;二、开通园区通勤班车。",
        "filed",
    ),
    P(
        ("ago", 10),
        "无党派人士#2",
        "社会治理",
        "关于规范电动自行车停放充电管理的建议",
        "电动自行车违规停放充电,存在消防隐患。",
        "集中充电设施不足。",
        "建议加强管理。",
        "revising",
        reason="建议部分过于笼统,请补充具体可行的措施后再提交。",
    ),
    P(
        ("ago", 3),
        "农工党#2",
        "社会事业",
        "关于完善儿童友好型城市建设的建议",
        "儿童活动空间不足,公共设施适儿化程度低。",
        "儿童友好理念尚未融入城市规划。",
        "一、编制儿童友好城市建设规划;二、建设儿童友好公园和街区。",
        "submitted",
        cos=[("农工党#3", "confirm")],
    ),
    P(
        ("ago", 3),
        "经济界#7",
        "城乡建设",
        "关于加快推进城市有机更新、建设未来社区的建议",
        "部分老城区功能老化,公共服务配套不足。",
        "城市有机更新与未来社区建设衔接不够。",
        "一、推进城市有机更新与未来社区建设联动;二、完善社区公共服务配套。",
        "submitted",
    ),
    P(
        ("ago", 2),
        "科技界#4",
        "科技创新",
        "关于加强人工智能产业人才培养的建议",
        "人工智能企业招人难,本地培养能力不足。",
        "高校专业设置与企业需求脱节。",
        "一、支持高校开设人工智能专业;二、共建实训基地;三、引进高端人才。",
        "submitted",
    ),
    P(
        ("ago", 6),
        "民盟#3",
        "社会治理",
        "关于加强物业管理、提升小区治理水平的建议",
        "部分小区物业服务质量差,业主矛盾多。",
        "业委会组建难,物业监管不到位。",
        "一、推进业委会规范化建设;二、建立物业服务评价机制。",
        "withdrawn",
    ),
    P(
        ("ago", 2),
        "zhuzheng",
        "科技创新",
        "关于建设钱塘概念验证中心的建议",
        "高校早期科研成果缺少概念验证环节,转化风险高。",
        "",
        "",
        "draft",
    ),
    P(
        ("ago", 1),
        "经济界#8",
        "经济建设",
        "关于发展夜间经济、激发消费活力的建议",
        "夜间消费场景少,商圈夜间人气不足。",
        "缺少夜间经济规划和配套交通。",
        "一、打造夜间经济集聚区;二、延长公共交通运营时间。",
        "draft",
        cos=[("maoxucheng", "invite")],
    ),
]

# The order of the stages; `end` says how far a proposal goes.
REACH = {
    "draft": "create",
    "withdrawn": "withdraw",
    "submitted": "submit",
    "revising": "review",
    "not_filed": "review",
    "converted": "review",
    "to_report": "review",
    "merged": "review",
    "filed": "review",
    "assigned": "assign",
    "returned": "assign",
    "handling": "contact",
    "answered": "answer",
    "replied": "approve",
    "rehandling": "evaluate",
    "closed": "close",
}
STAGES = ["create", "withdraw", "submit", "review", "assign", "contact", "answer", "approve", "evaluate", "close"]


class _Clock:
    """The platform clock during the demo load: django.utils.timezone.now answers the step's time, so
    the services and auto_now fields date everything as it would have happened."""

    def __init__(self):
        self.at = timezone.now()
        self._real = None

    def now(self):
        return self.at

    @contextlib.contextmanager
    def running(self):
        self._real = timezone.now
        timezone.now = self.now
        try:
            yield self
        finally:
            timezone.now = self._real


def _quiet_notify(**kwargs):
    """Old steps send no notifications (they would have been read long ago)."""


def load(committee) -> None:
    if not Category.objects.for_committee(committee).exists():
        Category.objects.bulk_create(
            [Category(committee=committee, name=name, order=i) for i, name in enumerate(CATEGORIES, 1)]
        )
    _unit_accounts(committee)
    if Proposal.objects.for_committee(committee).exists():
        return
    _load_proposals(committee)


def _unit_accounts(committee) -> None:
    template = User.objects.filter(username="fgj").first()
    for username, name, mobile, unit_name in UNIT_ACCOUNTS:
        unit = HandlingUnit.objects.for_committee(committee).filter(name=unit_name).first()
        if unit is None or User.objects.filter(username=username).exists():
            continue
        user = User.objects.create(
            username=username,
            display_name=name,
            mobile=mobile,
            password=template.password if template else "!",
        )
        Membership.objects.create(user=user, committee=committee, role=Role.UNIT, handling_unit=unit)


@transaction.atomic
def _load_proposals(committee) -> None:
    real_now = timezone.localtime()
    today = real_now.date()
    sessions = {x.number: x for x in Session.objects.for_committee(committee)}
    categories = {c.name: c for c in Category.objects.for_committee(committee)}
    people: dict[str, object] = {}

    def who(ref: str):
        """A user: a username, or "界别#n", the n-th member of a sector."""
        if ref not in people:
            if "#" in ref:
                sector, n = ref.split("#")
                m = Member.objects.for_committee(committee).filter(sector__name=sector).order_by("pk")[int(n) - 1]
                people[ref] = m.user
            else:
                people[ref] = User.objects.get(username=ref)
        return people[ref]

    members: dict[str, Member] = {}
    units: dict[str, HandlingUnit] = {}

    def member(ref: str) -> Member:
        if ref not in members:
            members[ref] = Member.objects.select_related("committee", "user").get(committee=committee, user=who(ref))
        return members[ref]

    def unit(ref: str) -> HandlingUnit:
        if ref not in units:
            units[ref] = s.unit_of(who(ref), committee)
        return units[ref]

    staff, leader = who(STAFF), who(SUPERVISOR)
    made: dict[int, Proposal] = {}
    steps: list[tuple[dt.datetime, int, int, object]] = []

    def at(d0: dt.date, days: int, hour: int, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(d0 + dt.timedelta(days=days), dt.time(hour, minute)))

    for i, spec in enumerate(PROPOSALS):
        if spec.when[0] == "s":
            d0 = sessions[spec.when[1]].start_date + dt.timedelta(days=1)
        else:
            d0 = today - dt.timedelta(days=spec.when[1])
        reach = STAGES.index(REACH[spec.end])
        seq = [0]

        def add(when, fn, _i=i, _seq=seq):
            _seq[0] += 1
            steps.append((when, _i, _seq[0], fn))

        for step_when, fn in _plan(
            committee, spec, i, d0, reach, at, who, member, unit, categories, staff, leader, made
        ):
            add(step_when, fn)

    steps.sort(key=lambda row: (row[0], row[1], row[2]))
    clock = _Clock()
    real_notify = s.notify
    quiet_before = real_now - dt.timedelta(days=60)
    with clock.running():
        try:
            for when, _i, _seq, fn in steps:
                if when > real_now:
                    raise ValueError(f"demo step in the future: proposal {_i} at {when}")
                clock.at = when
                s.notify = _quiet_notify if when < quiet_before else real_notify
                fn()
        finally:
            s.notify = real_notify


def _plan(committee, spec, i, d0, reach, at, who, member, unit, categories, staff, leader, made):
    """The dated steps of one proposal, as (datetime, callable)."""
    stage = STAGES.index
    lead_user = None if spec.lead.startswith("@") else who(spec.lead)
    writer = lead_user or staff

    def create():
        values = dict(
            title=spec.title,
            category=categories[spec.category],
            problem=spec.problem,
            analysis=spec.analysis,
            suggestion=spec.suggestion,
            agree_publish=spec.agree,
        )
        if lead_user:
            made[i] = s.proposal_create(committee=committee, by=writer, lead=member(spec.lead), **values)
        else:
            made[i] = s.proposal_create(committee=committee, by=staff, collective_name=spec.lead[1:], **values)

    yield at(d0, 0, 9), create
    if spec.cos:
        yield (
            at(d0, 0, 9, 10),
            lambda: s.cosigner_invite(proposal=made[i], members=[member(ref) for ref, _ in spec.cos], by=writer),
        )
        for n, (ref, answer) in enumerate(spec.cos):
            if answer == "invite":
                continue

            def respond(ref=ref, answer=answer):
                row = made[i].cosigners.get(member=member(ref))
                s.cosigner_respond(cosigner=row, by=who(ref), confirm=answer == "confirm")

            yield at(d0, 0, 11, n), respond
    if reach < stage("withdraw"):
        return
    if spec.end == "withdrawn":
        yield at(d0, 1, 10), lambda: s.proposal_withdraw(proposal=made[i], by=writer)
        return
    yield at(d0, 0, 16), lambda: s.proposal_submit(proposal=made[i], by=writer)
    if reach < stage("review"):
        return

    # review, 7 days later
    review = at(d0, 7, 10)
    if spec.end == "revising":
        yield review, lambda: s.proposal_send_back(proposal=made[i], by=staff, reason=spec.reason)
        return
    if spec.end == "not_filed":
        yield review, lambda: s.proposal_reject(proposal=made[i], by=staff, reason=spec.reason)
        return
    if spec.end in ("converted", "to_report"):
        to = "opinion" if spec.end == "converted" else "report"
        yield review, lambda: s.proposal_convert(proposal=made[i], by=staff, to=to, reason=spec.reason)
        return
    if spec.end == "merged":
        yield at(d0, 7, 11), lambda: s.proposal_merge(lead=made[spec.merge_into], others=[made[i]], by=staff)
        return
    yield review, lambda: s.proposal_file(proposal=made[i], by=staff)
    if spec.key:
        yield at(d0, 10, 10), lambda: s.proposal_mark_key(proposal=made[i], by=staff, supervisor=leader)
    if reach < stage("assign"):
        return

    # assignment, 14 days after submission; a unit may return it within the return window
    first_unit = spec.returned_by or spec.unit
    co_units = [] if spec.returned_by else spec.co
    yield (
        at(d0, 14, 10),
        lambda: s.proposal_assign(
            proposal=made[i], by=staff, lead_unit=unit(first_unit), co_units=[unit(u) for u in co_units]
        ),
    )
    accepted = 16
    if spec.returned_by:
        yield (
            at(d0, 16, 10),
            lambda: s.assignment_return(proposal=made[i], by=who(spec.returned_by), reason=spec.reason),
        )
        if spec.end == "returned":
            return
        yield (
            at(d0, 18, 10),
            lambda: s.proposal_assign(
                proposal=made[i], by=staff, lead_unit=unit(spec.unit), co_units=[unit(u) for u in spec.co]
            ),
        )
        accepted = 20
    if reach < stage("contact"):
        return
    for n, ref in enumerate([spec.unit, *spec.co]):
        yield at(d0, accepted, 9, n), lambda ref=ref: s.assignment_accept(proposal=made[i], by=who(ref))
    for n, ref in enumerate(spec.co):
        yield (
            at(d0, 30, 10, n),
            lambda ref=ref: s.co_opinion_give(
                proposal=made[i], by=who(ref), opinion="同意主办单位的办理意见,我单位将在职责范围内配合落实。"
            ),
        )
    for n, text in enumerate(spec.notes):
        yield at(d0, 25 + 10 * n, 15), lambda text=text: s.progress_note_add(proposal=made[i], by=leader, text=text)
    if lead_user:
        method = ("meeting", "phone", "written")[i % 3]
        yield (
            at(d0, 35, 14),
            lambda: s.contact_record(
                proposal=made[i],
                by=who(spec.unit),
                method=method,
                date=(d0 + dt.timedelta(days=35)),
                note="与提案人沟通办理思路和进度,听取意见建议。",
            ),
        )
    if reach < stage("answer"):
        return
    answered = 110 if spec.late else 60

    yield (
        at(d0, answered, 10),
        lambda: s.answer_submit(proposal=made[i], by=who(spec.unit), category=spec.answer[0], text=spec.answer[1]),
    )
    if spec.answer_sent_back:
        yield (
            at(d0, answered + 1, 10),
            lambda: s.answer_send_back(proposal=made[i], by=staff, reason=spec.answer_sent_back),
        )
        yield (
            at(d0, answered + 2, 10),
            lambda: s.answer_submit(
                proposal=made[i],
                by=who(spec.unit),
                category=spec.answer[0],
                text=spec.answer[1] + "教师参与课后服务按规定给予补助,并纳入绩效考核。",
            ),
        )
    if reach < stage("approve"):
        return
    yield at(d0, answered + 8, 10), lambda: s.answer_approve(proposal=made[i], by=staff)
    if reach < stage("evaluate"):
        return
    yield from _evaluate(made, i, spec.r1, at(d0, answered + 15, 9), who)
    if reach < stage("close"):
        return
    if not lead_user:
        if spec.end == "closed":
            yield (
                at(d0, answered + 15, 10),
                lambda: apply(PROPOSAL, made[i], "close", by=staff, changes={"closed_at": timezone.now()}),
            )
    elif "unsatisfied" in spec.r1.values() and spec.end == "closed":
        second = answered + 50
        yield (
            at(d0, second, 10),
            lambda: s.answer_submit(
                proposal=made[i], by=who(spec.unit), category=spec.answer2[0], text=spec.answer2[1]
            ),
        )
        yield at(d0, second + 3, 10), lambda: s.answer_approve(proposal=made[i], by=staff)
        yield from _evaluate(made, i, spec.r2, at(d0, second + 10, 9), who)
        answered = second
    if spec.publish:
        yield at(d0, answered + 20, 10), lambda: s.proposal_publish(proposal=made[i], by=staff)
    if spec.excellent:
        yield at(d0, 150, 10), lambda: s.proposal_mark_excellent(proposal=made[i], by=staff, year=spec.excellent)


def _evaluate(made, i, ratings, when, who):
    """Every proposer evaluates (the lead, confirmed co-signers, proposers of merged proposals)."""
    by_user = {who(ref).pk: rating for ref, rating in ratings.items()}

    def run():
        for person in s.proposers(made[i]):
            made[i].refresh_from_db()
            if made[i].state != "replied":
                return
            s.evaluation_submit(
                proposal=made[i],
                by=person.user,
                rating=by_user.get(person.user_id, "satisfied"),
                comment="" if by_user.get(person.user_id) != "unsatisfied" else "答复措施不够具体,希望进一步落实。",
            )

    yield when, run
