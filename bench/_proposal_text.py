"""Realistic Chinese proposal text for benchmarks, from topic templates (the seed's topics and more), and
reworded near-duplicates (synonym swaps, sentence reordering, inserted phrases). Deterministic for a seed.

Each proposal: a title, a problem (问题) of 2-3 sentences, an analysis (分析) of 2-3 and a suggestion (建议)
of 3-4 numbered measures, drawn from its topic's pools and from shared pools, with places, bodies,
figures and years filled in, so that two proposals of one topic share wording as real ones do but are
rarely the same."""

import random

PLACES = (
    "下沙街道 白杨街道 河庄街道 义蓬街道 新湾街道 临江街道 前进街道 江东新城 钱塘新区 大江东 "
    "文海社区 高沙社区 月雅社区 东方社区 新元村 头蓬村 河庄村 江东村 蜀山村 靖江村 "
    "临平区 萧山区 余杭区 上城区 拱墅区 西湖区 滨江区 富阳区 临安区 桐庐县 淳安县 建德市"
).split()
BODIES = (
    "区发展和改革局 区教育局 区科技局 区经信局 区财政局 区人力社保局 区住建局 区交通运输局 区农业农村局 "
    "区商务局 区文化和广电旅游体育局 区卫生健康局 区市场监管局 区城管局 区民政局 区生态环境分局 区数据资源局 "
    "团区委 区妇联 区总工会 区科协 区工商联 区文联"
).split()
FIELDS = "集成电路 生物医药 新能源汽车 智能制造 半导体 新材料 航空航天 数字安防 人工智能 跨境电商".split()
SUBJECTS = "高校毕业生 新市民 外来务工人员 老年人 留守儿童 残疾人 快递小哥 网约车司机 退役军人 小微企业主".split()

TOPICS = {
    "科技创新": {
        "title": [
            "关于着力构建开放型区域创新体系的建议",
            "关于加快{field}产业创新平台建设的建议",
            "关于强化企业科技创新主体地位的建议",
            "关于推动{place}科创走廊高质量发展的建议",
        ],
        "problem": [
            "我区{field}企业研发投入强度仅为{pct}%,低于全市平均水平。",
            "全区高新技术企业{n}家,但科技型中小企业融资难问题依然突出。",
            "{place}的创新资源较为分散,产学研协同机制不健全。",
            "部分企业对研发费用加计扣除等政策知晓率不高,享受政策的比例只有{pct}%。",
            "科技成果转化率偏低,{year}年技术合同成交额同比下降{pct}%。",
        ],
        "analysis": [
            "究其原因,一是创新平台能级不高,二是高端人才引育不足。",
            "研发投入过度集中在少数龙头企业,{field}领域中小企业创新动力不足。",
            "科技金融产品供给单一,首贷、信用贷占比偏低。",
            "高校院所与企业之间的需求对接渠道不畅,成果落地周期长。",
        ],
        "suggestion": [
            "建议由{body}牵头设立{field}产业创新联合体。",
            "扩大企业研发费用补助和高新技术企业培育覆盖面,力争{year}年新增{n}家。",
            "完善科技金融服务体系,设立规模{n}亿元的科创母基金。",
            "建设概念验证中心和中试基地,打通成果转化最后一公里。",
            "在{place}布局一批新型研发机构,引进{n}个高水平创新团队。",
        ],
    },
    "未来乡村": {
        "title": [
            "关于推进未来乡村建设的建议",
            "关于以未来乡村建设促进共同富裕的建议",
            "关于加快{place}未来乡村示范创建的建议",
        ],
        "problem": [
            "我区{n}个行政村中,已创建未来乡村的仅有{m}个。",
            "{place}部分村庄公共服务配套滞后,年轻人外流明显。",
            "乡村产业同质化严重,村集体经济年收入低于{n}万元的村还有{m}个。",
            "未来乡村建设重硬件轻运营,部分场景建成后使用率不足{pct}%。",
        ],
        "analysis": [
            "乡村运营人才匮乏,缺少懂市场、会经营的职业经理人。",
            "资金投入主要依靠财政,社会资本参与的渠道和激励不足。",
            "数字乡村应用场景分散在多个部门,数据没有打通。",
            "农房闲置率较高,宅基地盘活利用的政策路径不清晰。",
        ],
        "suggestion": [
            "建议由{body}统筹制定未来乡村建设三年行动计划。",
            "引进乡村职业经理人,对运营成效好的村给予{n}万元奖励。",
            "以{place}为试点,探索强村公司与社会资本合作运营模式。",
            "推动闲置农房盘活利用,发展民宿、研学等新业态。",
            "建设乡村数字化服务平台,实现一老一小服务场景全覆盖。",
        ],
    },
    "文创品牌": {
        "title": [
            "关于打造钱塘文创品牌的建议",
            "关于推动文化创意产业高质量发展的建议",
            "关于加强{place}历史文化资源保护利用的建议",
        ],
        "problem": [
            "我区文创企业{n}家,但缺少具有全国影响力的文创品牌。",
            "{place}的围垦文化、江海文化等资源挖掘不够,文旅融合程度不高。",
            "文创产品同质化明显,设计研发能力薄弱,{year}年文创产业增加值仅增长{pct}%。",
        ],
        "analysis": [
            "文创产业扶持政策碎片化,缺少专门的品牌培育资金。",
            "文创人才引进和留用机制不完善,高端设计人才流失严重。",
            "知识产权保护力度不够,原创作品被仿冒的情况时有发生。",
        ],
        "suggestion": [
            "建议由{body}牵头编制文创品牌培育规划。",
            "设立每年{n}万元的文创品牌专项扶持资金。",
            "在{place}建设文创产业园,集聚设计、动漫、影视等企业。",
            "举办钱塘文创设计大赛,评选一批精品文创产品。",
            "加强文创知识产权保护,建立快速维权机制。",
        ],
    },
    "青年人才": {
        "title": [
            "关于进一步做好青年人才引育留用工作的建议",
            "关于建设青年发展型城区的建议",
            "关于解决{subject}住房和就业困难的建议",
        ],
        "problem": [
            "近三年我区引进青年人才{n}人,但两年内流失率达到{pct}%。",
            "{subject}反映租房成本高,人才公寓供给不足{n}套。",
            "青年人才在子女入学、通勤等方面面临不少实际困难。",
        ],
        "analysis": [
            "人才政策兑现流程繁琐,部分补贴申领周期超过{m}个月。",
            "产业平台对青年人才的吸引力不足,职业发展通道不清晰。",
            "城区配套与青年需求存在差距,夜间文化和体育设施较少。",
        ],
        "suggestion": [
            "建议由{body}建立青年人才一站式服务平台,政策兑现最多跑一次。",
            "在{place}新建人才公寓{n}套,对{subject}给予租房补贴。",
            "设立青年创新创业基金,支持青年人才领办创办企业。",
            "优化人才子女入学保障,开通地铁接驳通勤专线。",
        ],
    },
    "地铁口停车": {
        "title": [
            "关于规范地铁口周边非机动车停放的建议",
            "关于解决{place}地铁站接驳停车难问题的建议",
        ],
        "problem": [
            "{place}地铁口周边共享单车和电动自行车乱停乱放现象严重,高峰时段堆放超过{n}辆。",
            "非机动车占用人行道和盲道,影响行人通行安全。",
            "地铁站周边机动车临时停车位不足,接送车辆违停问题突出。",
        ],
        "analysis": [
            "地铁站建设时非机动车停放区规划不足,停放需求增长{pct}%。",
            "共享单车企业投放量大,调度运维不及时,管理责任落实不到位。",
            "城管、交警、街道之间职责交叉,缺乏常态化的协同机制。",
        ],
        "suggestion": [
            "建议由{body}牵头,在地铁口周边规划设置非机动车停放区。",
            "推行电子围栏管理,对共享单车实行总量控制和考核。",
            "在{place}地铁站试点建设立体停车设施,增加{n}个停车泊位。",
            "建立城管、交警、街道联合执法机制,常态化开展整治。",
        ],
    },
    "城市有机更新": {
        "title": [
            "关于稳步推进城市有机更新的建议",
            "关于加快{place}老旧小区综合改造的建议",
            "关于在城市有机更新中保留城市记忆的建议",
        ],
        "problem": [
            "我区建成于{year}年前的老旧小区还有{n}个,普遍存在设施老化问题。",
            "{place}部分城中村改造后配套设施建设滞后,群众获得感不强。",
            "加装电梯推进缓慢,已完成加装的只占需求的{pct}%。",
        ],
        "analysis": [
            "居民意见难以统一,改造方案协商成本高。",
            "改造资金主要依靠政府投入,居民出资和社会资本参与不足。",
            "更新项目重拆建轻保护,部分有历史价值的建筑被拆除。",
        ],
        "suggestion": [
            "建议由{body}制定城市有机更新专项规划。",
            "建立政府、居民、社会资本共担的改造资金机制。",
            "在{place}开展完整社区试点,补齐养老托育等公共服务短板。",
            "对有历史价值的建筑和街巷实行挂牌保护,留住城市记忆。",
            "简化加装电梯审批流程,对每台电梯补助{n}万元。",
        ],
    },
    "数字化转型": {
        "title": [
            "关于加快中小企业数字化转型的建议",
            "关于推进政府数字化转型的建议",
            "关于推动{field}产业数字化转型的建议",
        ],
        "problem": [
            "我区规上工业企业数字化改造覆盖率为{pct}%,中小企业转型意愿不强。",
            "部分企业担心数字化投入大、见效慢,存在不敢转、不会转的问题。",
            "政务数据共享不充分,{n}个部门系统之间仍存在数据壁垒。",
        ],
        "analysis": [
            "数字化服务商供给不足,缺少适合中小企业的轻量化解决方案。",
            "企业缺乏既懂业务又懂技术的复合型人才。",
            "数据安全和标准体系建设滞后,企业上云顾虑较多。",
        ],
        "suggestion": [
            "建议由{body}牵头编制中小企业数字化转型指南。",
            "对实施数字化改造的企业按投入的{pct}%给予补助。",
            "在{place}建设数字化转型公共服务平台,提供诊断咨询服务。",
            "推进政务数据归集共享,打破部门间的数据壁垒。",
            "培育{n}家本地数字化服务商,打造一批标杆示范项目。",
        ],
    },
    "养老服务": {
        "title": ["关于完善居家社区养老服务体系的建议", "关于发展{place}嵌入式养老服务的建议"],
        "problem": [
            "我区60岁以上老年人口{n}人,占户籍人口的{pct}%。",
            "居家养老服务照料中心运营困难,部分中心使用率不高。",
            "失能失智老人照护床位缺口约{n}张。",
        ],
        "analysis": [
            "养老护理员收入低、流动性大,专业人才短缺。",
            "养老服务补贴标准多年未调整,社会力量参与积极性不高。",
        ],
        "suggestion": [
            "建议由{body}牵头推进嵌入式养老服务机构建设。",
            "提高养老护理员岗位补贴,每人每月增加{n}元。",
            "在{place}试点家庭养老床位,完善上门服务标准。",
            "发展老年助餐服务,实现助餐点社区全覆盖。",
        ],
    },
    "生态环境": {
        "title": ["关于加强钱塘江沿岸生态保护的建议", "关于推进{place}河道综合治理的建议"],
        "problem": [
            "{place}部分河道水质不稳定,{year}年有{m}个断面水质未达标。",
            "建筑垃圾和装修垃圾乱倒现象时有发生。",
            "工业园区挥发性有机物排放监管存在薄弱环节。",
        ],
        "analysis": [
            "雨污分流改造不彻底,部分管网存在混接错接。",
            "环境监管力量不足,执法人员与企业数量不匹配。",
        ],
        "suggestion": [
            "建议由{body}开展河道水质提升专项行动。",
            "加快雨污分流改造,{year}年底前完成{n}公里管网排查。",
            "建设建筑垃圾资源化利用项目,规范消纳处置。",
            "推进环境监管数字化,实现重点企业在线监测全覆盖。",
        ],
    },
    "营商环境": {
        "title": ["关于持续优化营商环境的建议", "关于为{subject}提供更好服务的建议"],
        "problem": [
            "部分涉企审批事项办理时限仍然较长,平均需要{m}个工作日。",
            "{subject}反映惠企政策多、分散,找不到、看不懂、办不了。",
            "涉企检查频次较多,{year}年企业平均接受检查{m}次。",
        ],
        "analysis": [
            "部门之间信息不共享,企业需要重复提交材料。",
            "政策宣传渠道单一,缺少精准推送机制。",
        ],
        "suggestion": [
            "建议由{body}建立惠企政策直达平台,实现免申即享。",
            "推行综合查一次,减少对企业的重复检查。",
            "在{place}设立企业服务驿站,提供一站式帮办代办。",
            "建立营商环境监督员制度,聘请{n}名企业家担任监督员。",
        ],
    },
    "教育公平": {
        "title": ["关于促进义务教育优质均衡发展的建议", "关于解决{place}学位紧张问题的建议"],
        "problem": [
            "{place}新建住宅集中交付,{year}年小学学位缺口约{n}个。",
            "城乡学校之间师资水平差距较大,骨干教师占比相差{pct}个百分点。",
            "{subject}子女入学积分政策门槛较高。",
        ],
        "analysis": [
            "学校建设规划滞后于人口增长,配套学校建设周期长。",
            "教师编制不足,代课教师比例偏高。",
        ],
        "suggestion": [
            "建议由{body}根据人口变化滚动编制学校布局规划。",
            "推进教共体建设,促进城乡教师交流轮岗。",
            "在{place}加快新建{m}所学校,确保按时交付使用。",
            "合理调整积分入学政策,保障{subject}子女就近入学。",
        ],
    },
    "基层治理": {
        "title": ["关于提升基层治理能力的建议", "关于为{place}社区工作者减负的建议"],
        "problem": [
            "社区工作者承担的事务性工作多,每月填报报表{n}余份。",
            "{place}流动人口占比达到{pct}%,网格化管理压力大。",
            "部分小区物业矛盾突出,业委会成立率不足{pct}%。",
        ],
        "analysis": [
            "基层数字化平台多头建设,数据重复录入。",
            "社区工作者待遇偏低,队伍稳定性不强。",
        ],
        "suggestion": [
            "建议由{body}清理规范社区工作事项,切实为基层减负。",
            "整合基层治理数字化平台,实现数据一次采集、多方共享。",
            "在{place}推行红色物业联盟,化解物业矛盾。",
            "提高社区工作者薪酬待遇,建立职业发展体系。",
        ],
    },
}

SHARED = {
    "problem": [
        "这一问题群众反映强烈,已成为影响{place}发展的突出短板。",
        "据调研,{year}年以来相关投诉达到{n}件。",
    ],
    "analysis": [
        "相关部门之间统筹协调不够,政策合力尚未形成。",
        "考核评价机制不健全,工作落实存在温差。",
        "与先进地区相比,我区在这方面还存在明显差距。",
    ],
    "suggestion": [
        "加强督查考核,将相关工作纳入部门年度目标责任制。",
        "加强宣传引导,营造全社会共同参与的良好氛围。",
    ],
}

NUMERALS = "一二三四五六七八"

# Rewording: synonym swaps, inserted phrases (the sentences are also reordered)
SYNONYMS = [
    ("建议", "提议"),
    ("加强", "强化"),
    ("推进", "推动"),
    ("完善", "健全"),
    ("提升", "提高"),
    ("企业", "市场主体"),
    ("部门", "单位"),
    ("目前", "当前"),
    ("较为", "比较"),
    ("不足", "不够"),
    ("突出", "明显"),
    ("牵头", "负责牵头"),
    ("问题", "困难"),
    ("加快", "加速"),
    ("群众", "老百姓"),
]
INSERTS = ["据了解,", "笔者调研发现,", "值得注意的是,", "从实际情况看,", "客观地说,", "总体来看,"]


class Generator:
    def __init__(self, seed: int = 2025):
        self.rng = random.Random(seed)
        self.topics = list(TOPICS)

    def _fill(self, template: str) -> str:
        r = self.rng
        if "{" not in template:
            return template
        return template.format(
            place=r.choice(PLACES),
            body=r.choice(BODIES),
            field=r.choice(FIELDS),
            subject=r.choice(SUBJECTS),
            n=r.randint(3, 9999),
            m=r.randint(2, 60),
            pct=f"{r.randint(1, 95)}.{r.randint(0, 9)}",
            year=r.randint(2015, 2026),
        )

    def proposal(self, topic: str | None = None) -> dict:
        """{"topic", "title", "problem", "analysis", "suggestion"}."""
        r = self.rng
        topic = topic or r.choice(self.topics)
        pools = TOPICS[topic]
        out = {"topic": topic, "title": self._fill(r.choice(pools["title"]))}
        for part, count in (("problem", (2, 3)), ("analysis", (2, 3)), ("suggestion", (3, 4))):
            pool = pools[part] + SHARED[part]
            chosen = r.sample(pool, min(len(pool), r.randint(*count)))
            sentences = [self._fill(s) for s in chosen]
            if part == "suggestion":
                sentences = [f"{NUMERALS[i]}是{s}" for i, s in enumerate(sentences)]
            out[part] = "".join(sentences)
        return out

    def reword(self, proposal: dict) -> dict:
        """A near-duplicate: sentences reordered inside each section, some words swapped for synonyms, a
        phrase or two inserted, the title slightly changed."""
        r = self.rng
        swaps = r.sample(SYNONYMS, 5)
        out = {"topic": proposal["topic"]}
        for part in ("title", "problem", "analysis", "suggestion"):
            text = proposal[part]
            sentences = [s + "。" for s in text.split("。") if s] if part != "title" else [text]
            if len(sentences) > 1:
                r.shuffle(sentences)
            if part != "title" and r.random() < 0.7:
                i = r.randrange(len(sentences))
                sentences[i] = r.choice(INSERTS) + sentences[i]
            text = "".join(sentences)
            for a, b in swaps:
                text = text.replace(a, b)
            out[part] = text
        out["title"] = out["title"].replace("的建议", "的提议") if r.random() < 0.5 else "关于" + out["title"][2:]
        return out


def text_of(p: dict) -> str:
    return "\n".join((p["title"], p["problem"], p["analysis"], p["suggestion"]))
