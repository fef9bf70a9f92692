"""Excel import and export of the member roster (委员名册).

The import checks EVERY row first (missing name, bad mobile, duplicates in the file or in the committee,
names of sectors, parties, special committees, sub-districts and studios that do not exist in this
committee, bad dates, bad gender, over-long text…). If any row is wrong it imports nothing and returns
every problem by row and column; otherwise it creates all members in one transaction through
`services.member_create` (each gets an account by mobile, the member role, and a recorded event).
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lvzhi.core.xlsx import XlsxError, cell_text, read_rows

from . import queries
from .models import Member, Party, Sector, SpecialCommittee, Studio, SubDistrict
from .services import member_create, validate_mobile

MAX_ROWS = 5000

# (header msgid, key): the columns of the import template; the export adds the state. Headers are shown
# in the user's language; the import accepts them in that language and in Chinese.
COLUMNS = [
    (gettext_noop("姓名"), "name"),
    (gettext_noop("性别"), "gender"),
    (gettext_noop("出生日期"), "birth_date"),
    (gettext_noop("民族"), "ethnicity"),
    (gettext_noop("手机号"), "mobile"),
    (gettext_noop("界别"), "sector"),
    (gettext_noop("党派团体"), "party"),
    (gettext_noop("工作单位"), "employer"),
    (gettext_noop("职务"), "post"),
    (gettext_noop("常委"), "is_standing"),
    (gettext_noop("专委会"), "special_committees"),
    (gettext_noop("联系街道"), "sub_district"),
    (gettext_noop("委员工作室"), "studio"),
]
STATE_HEADER = gettext_noop("状态")
REQUIRED = ["name", "mobile", "sector", "party"]
TEXT_FIELDS = ["name", "ethnicity", "employer", "post"]
LIST_SEPARATORS = re.compile(r"[、,,;;/|\s]+")
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"]
YES = {"是", "常委", "√", "✓", "y", "yes", "true", "1"}
NO = {"否", "", "×", "n", "no", "false", "0"}


def headers() -> list[str]:
    return [_(h) for h, _key in COLUMNS]


def export_headers() -> list[str]:
    return headers() + [_(STATE_HEADER)]


def export_rows(members):
    """Rows of the export, in the order of `export_headers()`. Prefetch special_committees."""
    for m in members:
        yield [
            m.name,
            m.get_gender_display(),
            m.birth_date,
            m.ethnicity,
            m.mobile,
            m.sector.name,
            m.party.name,
            m.employer,
            m.post,
            _("是") if m.is_standing else _("否"),
            "、".join(sc.name for sc in m.special_committees.all()),
            m.sub_district.name if m.sub_district_id else "",
            m.studio.name if m.studio_id else "",
            m.get_state_display(),
        ]


def template_rows(committee) -> list[list]:
    """One example row for the import template, using names that exist in this committee."""

    def first(model):
        row = model.objects.for_committee(committee).first()
        return row.name if row else ""

    return [
        [
            _("张三"),
            _("男"),
            dt.date(1975, 5, 20),
            _("汉族"),
            "13912345678",
            first(Sector),
            first(Party),
            _("某某科技有限公司"),
            _("总经理"),
            _("否"),
            first(SpecialCommittee),
            first(SubDistrict),
            first(Studio),
        ]
    ]


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    problems: list[Problem] = field(default_factory=list)
    error: str = ""  # a problem with the whole file (not Excel, no headers, too many rows…)

    @property
    def ok(self) -> bool:
        return not self.error and not self.problems


def _column_map() -> dict[str, str]:
    """Header text → key; the headers of the current language and the Chinese originals both work."""
    mapping = {}
    for header, key in COLUMNS:
        mapping[header] = key
        mapping[_(header)] = key
    return mapping


def _header_of(key: str) -> str:
    return next(_(h) for h, k in COLUMNS if k == key)


def _parse_date(value):
    if isinstance(value, dt.datetime):
        value = value.date()
    elif isinstance(value, dt.date):
        pass
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 100000:
        from openpyxl.utils.datetime import from_excel

        value = from_excel(value)
        value = value.date() if isinstance(value, dt.datetime) else value
    else:
        text = cell_text(value)
        for fmt in DATE_FORMATS:
            try:
                value = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise ValueError
    if not (dt.date(1900, 1, 1) <= value <= timezone.localdate()):
        raise ValueError
    return value


class _Lookup:
    """Names of this committee's sectors, parties… → rows (one query each)."""

    def __init__(self, committee):
        self.by_key = {
            "sector": {r.name: r for r in Sector.objects.for_committee(committee)},
            "party": {r.name: r for r in Party.objects.for_committee(committee)},
            "special_committees": {r.name: r for r in SpecialCommittee.objects.for_committee(committee)},
            "sub_district": {r.name: r for r in SubDistrict.objects.for_committee(committee)},
            "studio": {r.name: r for r in Studio.objects.for_committee(committee)},
        }

    def get(self, key, name):
        return self.by_key[key].get(name)


def check(committee, rows: list[tuple[int, dict]]) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """Check every row; return (rows of service values, problems). Nothing is written."""
    lookup = _Lookup(committee)
    taken = set(
        Member.objects.for_committee(committee)
        .filter(mobile__in=[cell_text(r.get("mobile")).replace(" ", "").replace("-", "") for _n, r in rows])
        .values_list("mobile", flat=True)
    )
    seen_mobiles: dict[str, int] = {}
    problems: list[Problem] = []
    cleaned: list[tuple[int, dict]] = []

    for number, raw in rows:
        values: dict = {}
        row_problems: list[Problem] = []

        def bad(key, message, number=number, row_problems=row_problems):
            row_problems.append(Problem(number, _header_of(key), message))

        text = {key: cell_text(raw.get(key)) for key in dict(COLUMNS).values()}

        for key in REQUIRED:
            if not text[key]:
                bad(key, _("必填,不能为空"))

        for key in TEXT_FIELDS:
            limit = Member._meta.get_field(key).max_length
            if len(text[key]) > limit:
                bad(key, _("太长:不能超过 %(n)s 个字") % {"n": limit})
            else:
                values[key] = text[key]

        mobile = text["mobile"].replace(" ", "").replace("-", "")
        if mobile:
            try:
                validate_mobile(mobile)
            except ValidationError:
                bad("mobile", _("手机号“%(v)s”无效:应为以 1 开头的 11 位数字") % {"v": text["mobile"][:30]})
            else:
                if mobile in seen_mobiles:
                    bad("mobile", _("手机号 %(v)s 与第 %(n)s 行重复") % {"v": mobile, "n": seen_mobiles[mobile]})
                elif mobile in taken:
                    bad("mobile", _("手机号 %(v)s 已被本委员会的委员使用") % {"v": mobile})
                seen_mobiles.setdefault(mobile, number)
                values["mobile"] = mobile

        gender = text["gender"]
        genders = {"男": "M", "女": "F", "m": "M", "f": "F", "": ""}
        if gender.lower() in genders:
            values["gender"] = genders[gender.lower()]
        else:
            bad("gender", _("性别“%(v)s”无效:请填“男”或“女”") % {"v": gender[:20]})

        if text["birth_date"]:
            try:
                values["birth_date"] = _parse_date(raw.get("birth_date"))
            except (ValueError, TypeError, OverflowError):
                bad("birth_date", _("日期“%(v)s”无效:请按 1975-05-20 的格式填写") % {"v": text["birth_date"][:30]})
        else:
            values["birth_date"] = None

        standing = text["is_standing"].lower()
        if standing in YES:
            values["is_standing"] = True
        elif standing in NO:
            values["is_standing"] = False
        else:
            bad("is_standing", _("“%(v)s”无效:请填“是”或“否”") % {"v": text["is_standing"][:20]})

        for key, what in (
            ("sector", _("界别")),
            ("party", _("党派团体")),
            ("sub_district", _("街道")),
            ("studio", _("委员工作室")),
        ):
            if not text[key]:
                values[key] = None
                continue
            found = lookup.get(key, text[key])
            if found is None:
                bad(key, _("本委员会没有名为“%(v)s”的%(what)s") % {"v": text[key][:60], "what": what})
            values[key] = found

        specials = []
        for name in filter(None, LIST_SEPARATORS.split(text["special_committees"])):
            found = lookup.get("special_committees", name)
            if found is None:
                bad("special_committees", _("本委员会没有名为“%(v)s”的专委会") % {"v": name[:60]})
            elif found not in specials:
                specials.append(found)
        values["special_committees"] = specials

        if row_problems:
            order = [_(h) for h, _key in COLUMNS]
            problems.extend(sorted(row_problems, key=lambda p: order.index(p.column)))
        else:
            cleaned.append((number, values))
    return cleaned, problems


def import_members(*, committee, by, upload, max_rows: int | None = None) -> ImportResult:
    """Read, check every row, and import all or nothing."""
    try:
        required = [h for h, k in COLUMNS if k in REQUIRED]
        rows = read_rows(upload, _column_map(), required=required, max_rows=max_rows or MAX_ROWS)
    except XlsxError as e:
        return ImportResult(error=e.message)
    if not rows:
        return ImportResult(error=_("文件中没有委员数据:第 1 行是表头,从第 2 行起每行一名委员。"))
    term = queries.current_term(committee)
    if term is None:
        return ImportResult(error=_("本委员会还没有设置届次,请先新增届次。"))
    cleaned, problems = check(committee, rows)
    if problems:
        return ImportResult(problems=problems)

    current = 0
    try:
        with transaction.atomic():
            for current, values in cleaned:  # noqa: B007 - `current` names the failing row below
                member_create(committee=committee, by=by, term=term, **values)
    except ValidationError as e:
        # A race (someone added the same mobile meanwhile) or a rule the check did not foresee.
        found = []
        for key, messages in e.message_dict.items():
            column = _header_of(key) if key in dict(COLUMNS).values() else ""
            found += [Problem(current, column, m) for m in messages]
        return ImportResult(problems=found)
    return ImportResult(created=len(cleaned))
