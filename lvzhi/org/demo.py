"""Demo data: the Qiantang District committee of the seed (钱塘区政协一届一次会议, July 2021), its 205
members in 17 sectors (synthetic names, but the four people the seed names), 7 sub-districts with a
studio and a contact point each, handling units of the district government, and the Hangzhou city
committee above it. Loaded by `make run` and by the test suite. Deterministic: the same every time."""

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction

from lvzhi.accounts.models import User
from lvzhi.core.roles import Role

from .models import (
    Committee,
    ContactPoint,
    HandlingUnit,
    Level,
    Member,
    Membership,
    Party,
    Sector,
    Session,
    SpecialCommittee,
    Studio,
    SubDistrict,
    Term,
)

DEMO_PASSWORD = "Qiantang@2021"
QIANTANG = "杭州市钱塘区政协"
HANGZHOU = "杭州市政协"

# 17 sectors (界别) and how many of the 205 members sit in each.
SECTORS = [
    ("中共", 30),
    ("民革", 6),
    ("民盟", 8),
    ("民建", 9),
    ("民进", 8),
    ("农工党", 7),
    ("致公党", 6),
    ("九三学社", 7),
    ("无党派人士", 8),
    ("工商联", 20),
    ("共青团和青联", 8),
    ("科技界", 14),
    ("教育界", 14),
    ("文化和新闻出版界", 10),
    ("医药卫生界", 14),
    ("经济界", 20),
    ("农业和社会福利界", 16),
]
PARTY_OF_SECTOR = {
    "民革": "中国国民党革命委员会",
    "民盟": "中国民主同盟",
    "民建": "中国民主建国会",
    "民进": "中国民主促进会",
    "农工党": "中国农工民主党",
    "致公党": "中国致公党",
    "九三学社": "九三学社",
    "中共": "中国共产党",
    "无党派人士": "无党派人士",
}
PARTIES = [
    ("中国共产党", Party.Kind.CPC),
    ("中国国民党革命委员会", Party.Kind.DEMOCRATIC),
    ("中国民主同盟", Party.Kind.DEMOCRATIC),
    ("中国民主建国会", Party.Kind.DEMOCRATIC),
    ("中国民主促进会", Party.Kind.DEMOCRATIC),
    ("中国农工民主党", Party.Kind.DEMOCRATIC),
    ("中国致公党", Party.Kind.DEMOCRATIC),
    ("九三学社", Party.Kind.DEMOCRATIC),
    ("无党派人士", Party.Kind.NONE),
    ("群众", Party.Kind.NONE),
    ("工商联", Party.Kind.GROUP),
    ("共青团", Party.Kind.GROUP),
]
SPECIAL_COMMITTEES = [
    "提案委员会",
    "经济委员会",
    "社会事业委员会",
    "文化文史和学习委员会",
    "农业农村委员会",
    "社会和法制委员会",
]
SUB_DISTRICTS = ["下沙", "白杨", "河庄", "义蓬", "新湾", "临江", "前进"]
UNITS = [
    "区发展和改革局",
    "区教育局",
    "区科技局",
    "区经济和信息化局",
    "公安钱塘分局",
    "区民政局",
    "区财政局",
    "区人力资源和社会保障局",
    "规划和自然资源钱塘分局",
    "生态环境钱塘分局",
    "区建设局",
    "交通运输钱塘分局",
    "区农业农村局",
    "区商务局",
    "区文化和旅游体育局",
    "区卫生健康局",
    "区应急管理局",
    "区市场监督管理局",
    "区城市管理局",
    "医疗保障钱塘分局",
]
EMPLOYERS = {
    "科技界": ["杭州沃镭智能科技股份有限公司", "浙江理工大学", "钱塘区科创中心"],
    "教育界": ["杭州电子科技大学", "钱塘区文海实验学校", "下沙中学"],
    "医药卫生界": ["浙江大学医学院附属邵逸夫医院钱塘院区", "钱塘区人民医院", "白杨社区卫生服务中心"],
    "经济界": ["杭州钱塘新区建设投资集团", "浙商银行钱塘支行", "杭州万向职业技术学院"],
    "工商联": ["杭州娃哈哈集团钱塘分公司", "杭州长安福特汽车有限公司", "钱塘区总商会"],
}
DEFAULT_EMPLOYERS = ["钱塘区人民政府", "钱塘区文联", "河庄街道办事处", "义蓬街道社区", "新湾街道新北桥社区"]
POSTS = ["董事长", "总经理", "教授", "主任医师", "校长", "副主任", "研究员", "律师", "主任", "总工程师"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501 - one string of surnames
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华文辉志强玉兰国庆海燕红梅晓东建平丽娟春雷振华立新慧敏"
# The people the seed names: (username, name, sector, party, employer, post, standing).
NAMED = [
    ("zhuzheng", "朱政", "科技界", "群众", "杭州沃镭智能科技股份有限公司", "研发总监", False),
    ("xugang", "徐钢", "致公党", "中国致公党", "钱塘区农业发展服务中心", "主任", True),
    ("maoxucheng", "茅徐程", "文化和新闻出版界", "中国民主促进会", "钱塘区文化创意产业园", "总经理", False),
]


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        name = rng.choice(SURNAMES) + given
        if name not in used:
            used.add(name)
            return name


def is_loaded() -> bool:
    return Committee.objects.filter(name=QIANTANG).exists()


@transaction.atomic
def load() -> Committee:
    """Create the demo district; does nothing when it exists already. Returns the Qiantang committee."""
    existing = Committee.objects.filter(name=QIANTANG).first()
    if existing:
        return existing
    rng = random.Random(20210719)
    password = make_password(DEMO_PASSWORD)

    national = Committee.objects.create(name="全国政协", level=Level.NATIONAL)
    zhejiang = Committee.objects.create(name="浙江省政协", level=Level.PROVINCE, parent=national)
    hangzhou = Committee.objects.create(name=HANGZHOU, short_name="杭州市政协", level=Level.CITY, parent=zhejiang)
    qt = Committee.objects.create(name=QIANTANG, short_name="钱塘区政协", level=Level.DISTRICT, parent=hangzhou)

    term = Term.objects.create(committee=qt, number=1, name="一届", start_date=dt.date(2021, 7, 19))
    session_names = ["一届一次会议", "一届二次会议", "一届三次会议", "一届四次会议", "一届五次会议"]
    for i, name in enumerate(session_names, start=1):
        start = dt.date(2021, 7, 19) if i == 1 else dt.date(2020 + i, 1, 10)
        Session.objects.create(
            committee=qt, term=term, number=i, name=name, start_date=start, end_date=start + dt.timedelta(days=3)
        )
    sectors = {n: Sector.objects.create(committee=qt, name=n, order=i) for i, (n, _) in enumerate(SECTORS, 1)}
    parties = {n: Party.objects.create(committee=qt, name=n, kind=k, order=i) for i, (n, k) in enumerate(PARTIES, 1)}
    specials = [
        SpecialCommittee.objects.create(committee=qt, name=n, order=i) for i, n in enumerate(SPECIAL_COMMITTEES, 1)
    ]
    subs, studios = [], []
    for i, n in enumerate(SUB_DISTRICTS, 1):
        sd = SubDistrict.objects.create(committee=qt, name=f"{n}街道", order=i)
        subs.append(sd)
        studios.append(
            Studio.objects.create(
                committee=qt, name=f"{n}街道委员工作室", sub_district=sd, order=i, address=f"{n}街道便民服务中心二楼"
            )
        )
        ContactPoint.objects.create(
            committee=qt, name=f"{n}街道社情民意联系点", sub_district=sd, order=i, address=f"{n}街道社区服务中心"
        )
    units = [
        HandlingUnit.objects.create(
            committee=qt, name=n, order=i, contact_name="办公室", contact_phone=f"0571-8698{i:04d}"
        )
        for i, n in enumerate(UNITS, 1)
    ]

    # --- members: 205, the named three first, mobiles 139 0000 0001…
    used = {n[1] for n in NAMED} | {"金志强"}
    rows = []
    named_by_sector: dict[str, list] = {}
    for entry in NAMED:
        named_by_sector.setdefault(entry[2], []).append(entry)
    seq = 0
    standing_left = 31
    for sector_name, count in SECTORS:
        for k in range(count):
            seq += 1
            named = named_by_sector.get(sector_name, [])
            if k < len(named):
                username, name, _, party_name, employer, post, standing = named[k]
            else:
                username = None
                name = _name(rng, used)
                party_name = PARTY_OF_SECTOR.get(sector_name) or rng.choice(
                    ["群众", "群众", "中国共产党", "无党派人士"]
                )
                employer = rng.choice(EMPLOYERS.get(sector_name, DEFAULT_EMPLOYERS))
                post = rng.choice(POSTS)
                standing = standing_left > 0 and k % 6 == 0
            standing_left -= int(standing)
            rows.append(
                dict(
                    username=username or f"m{seq:04d}",
                    name=name,
                    sector=sectors[sector_name],
                    party=parties[party_name],
                    employer=employer,
                    post=post,
                    standing=standing,
                    mobile=f"139{seq:08d}",
                    gender=rng.choice("MMMF"),
                    birth=dt.date(1960 + rng.randrange(30), rng.randrange(1, 13), rng.randrange(1, 28)),
                    sd=subs[seq % len(subs)],
                )
            )
    users = User.objects.bulk_create(
        [User(username=r["username"], display_name=r["name"], mobile=r["mobile"], password=password) for r in rows]
    )
    members = Member.objects.bulk_create(
        [
            Member(
                committee=qt,
                user=u,
                term=term,
                name=r["name"],
                gender=r["gender"],
                birth_date=r["birth"],
                ethnicity="汉族",
                mobile=r["mobile"],
                sector=r["sector"],
                party=r["party"],
                employer=r["employer"],
                post=r["post"],
                is_standing=r["standing"],
                sub_district=r["sd"],
                studio=studios[subs.index(r["sd"])],
            )
            for u, r in zip(users, rows, strict=True)
        ]
    )
    through = Member.special_committees.through
    through.objects.bulk_create(
        [through(member_id=m.pk, specialcommittee_id=specials[i % len(specials)].pk) for i, m in enumerate(members)]
    )
    grants = [Membership(user=u, committee=qt, role=Role.MEMBER) for u in users]
    grants += [
        Membership(user=u, committee=qt, role=Role.STANDING) for u, r in zip(users, rows, strict=True) if r["standing"]
    ]

    # --- staff, leaders and handling-unit staff
    def account(username, name, mobile, committee, *roles, unit=None):
        user = User.objects.create(username=username, display_name=name, mobile=mobile, password=password)
        grants.extend(Membership(user=user, committee=committee, role=r, handling_unit=unit) for r in roles)
        return user

    account("office", "王晓燕", "13700000001", qt, Role.STAFF_OFFICE, Role.STAFF_MEETINGS)
    account("tiwei", "李建国", "13700000002", qt, Role.STAFF_PROPOSALS)
    account("huiwu", "陈丽娟", "13700000003", qt, Role.STAFF_MEETINGS)
    account("xinxi", "周海燕", "13700000004", qt, Role.STAFF_OPINIONS)
    account("zhuanwei", "吴立新", "13700000005", qt, Role.STAFF_SPECIAL)
    account("jinzhiqiang", "金志强", "13700000010", qt, Role.LEADER)
    account("fgj", "赵振华", "13600000001", qt, Role.UNIT, unit=units[0])
    account("jyj", "孙慧敏", "13600000002", qt, Role.UNIT, unit=units[1])
    account("hz_office", "郑国庆", "13700000020", hangzhou, Role.STAFF_OFFICE)

    # Hangzhou city committee: a small roster so that a person in both committees has something to switch to.
    hz_term = Term.objects.create(committee=hangzhou, number=12, name="十二届", start_date=dt.date(2022, 1, 5))
    Session.objects.create(
        committee=hangzhou,
        term=hz_term,
        number=1,
        name="十二届一次会议",
        start_date=dt.date(2022, 1, 5),
        end_date=dt.date(2022, 1, 9),
    )
    hz_sector = Sector.objects.create(committee=hangzhou, name="文化艺术界", order=1)
    hz_party = Party.objects.create(committee=hangzhou, name="中国民主促进会", kind=Party.Kind.DEMOCRATIC, order=1)
    Sector.objects.create(committee=hangzhou, name="经济界", order=2)
    HandlingUnit.objects.create(committee=hangzhou, name="杭州市发展和改革委员会", order=1)
    mao = next(u for u in users if u.username == "maoxucheng")
    Member.objects.create(
        committee=hangzhou,
        user=mao,
        term=hz_term,
        name="茅徐程",
        mobile=mao.mobile,
        sector=hz_sector,
        party=hz_party,
        employer="钱塘区文化创意产业园",
        post="总经理",
    )
    grants.append(Membership(user=mao, committee=hangzhou, role=Role.MEMBER))
    for i in range(1, 12):
        u = User.objects.create(
            username=f"hz{i:03d}", display_name=_name(rng, used), mobile=f"158{i:08d}", password=password
        )
        Member.objects.create(
            committee=hangzhou,
            user=u,
            term=hz_term,
            name=u.display_name,
            mobile=u.mobile,
            sector=hz_sector,
            party=hz_party,
            employer="杭州市文联",
            post="副主席",
        )
        grants.append(Membership(user=u, committee=hangzhou, role=Role.MEMBER))
    Membership.objects.bulk_create(grants)
    User.objects.create_superuser("admin", password=DEMO_PASSWORD, display_name="系统管理员")
    return qt


# The accounts README lists; `manage.py demo_accounts` prints them.
ACCOUNTS = [
    ("office", "机关·办公室(委员、组织、会务管理)", "钱塘区政协"),
    ("tiwei", "机关·提案委", "钱塘区政协"),
    ("huiwu", "机关·会务", "钱塘区政协"),
    ("xinxi", "机关·社情民意", "钱塘区政协"),
    ("zhuanwei", "机关·专委会(协商计划、民主监督、履职活动)", "钱塘区政协"),
    ("lianluo", "信息员(社情民意联系点,代群众反映)", "钱塘区政协"),
    ("jinzhiqiang", "领导(筹备组组长)", "钱塘区政协"),
    ("zhuzheng", "委员(科技界)", "钱塘区政协"),
    ("xugang", "常委(致公党)", "钱塘区政协"),
    ("maoxucheng", "委员,同时是杭州市政协委员(可切换委员会)", "钱塘区政协 + 杭州市政协"),
    ("fgj", "承办单位·区发展和改革局", "钱塘区政协"),
    ("hz_office", "杭州市政协机关·办公室", "杭州市政协"),
    ("admin", "系统管理员(/admin/)", "—"),
]
