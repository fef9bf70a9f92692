"""API of the organisation: the member roster (read for everyone with the directory perm, written by
the office through lvzhi.org.services) and the committee's structure (terms, sectors, studios...).

Field rule for members: whoever holds "org.view_member_private" (staff and leaders, as on the roster
pages) gets every field; members get the directory fields only (id, name, sector, party, studio), as on
the directory page: no mobile, employer or birth date of others.
"""

from datetime import date
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator

from lvzhi.core.api import (
    Id,
    Input,
    Page,
    Ref,
    Text,
    get_scoped,
    ref,
    requires,
    resolve_ref,
    responses,
)
from lvzhi.core.caching import shared_answer

from . import queries, services
from .caching import roster_token
from .models import (
    ContactPoint,
    HandlingUnit,
    Member,
    Party,
    Sector,
    Session,
    SpecialCommittee,
    Studio,
    SubDistrict,
    Term,
)

router = Router(tags=["组织与委员"])


# --------------------------------------------------------------------------- member schemas


class MemberDirectoryOut(Schema):
    """What every member may see of another member."""

    id: int
    name: str
    sector: Ref
    party: Ref
    studio: Ref | None


class MemberFullOut(Schema):
    """Every field: for staff, and for a member's own profile (/me)."""

    id: int
    name: str
    gender: str
    birth_date: date | None
    ethnicity: str
    mobile: str
    sector: Ref
    party: Ref
    employer: str
    post: str
    is_standing: bool
    special_committees: list[Ref]
    sub_district: Ref | None
    studio: Ref | None
    term: Ref
    state: str
    ended_on: date | None
    ended_reason: str
    version: int
    user_id: int | None


class MemberPageOut(Page):
    items: list[MemberFullOut | MemberDirectoryOut]


def member_directory(m: Member) -> dict:
    return {"id": m.pk, "name": m.name, "sector": ref(m.sector), "party": ref(m.party), "studio": ref(m.studio)}


def member_full(m: Member) -> dict:
    return {
        "id": m.pk,
        "name": m.name,
        "gender": m.gender,
        "birth_date": m.birth_date,
        "ethnicity": m.ethnicity,
        "mobile": m.mobile,
        "sector": ref(m.sector),
        "party": ref(m.party),
        "employer": m.employer,
        "post": m.post,
        "is_standing": m.is_standing,
        "special_committees": [ref(s) for s in m.special_committees.all()],
        "sub_district": ref(m.sub_district),
        "studio": ref(m.studio),
        "term": ref(m.term),
        "state": m.state,
        "ended_on": m.ended_on,
        "ended_reason": m.ended_reason,
        "version": m.version,
        "user_id": m.user_id,
    }


def _sees_private(request) -> bool:
    return request.user.has_perm("org.view_member_private", request.committee)


def _members_qs(request, qs):
    if _sees_private(request):
        return qs.select_related("term").prefetch_related("special_committees")
    return qs


def _out(request, member: Member) -> dict:
    return member_full(member) if _sees_private(request) else member_directory(member)


# The list of members is read in bulk: only the columns of the fields shown, as plain values (no model
# instances), answered as JSON without a second validation by the schema (MemberPageOut documents it;
# tests/api/test_members.py checks the answer against it). 50 members cost ~2 ms instead of ~60 ms.
_REFS = ("sector", "party", "studio")
_FULL_REFS = ("sector", "party", "studio", "sub_district", "term")
_DIRECTORY_COLUMNS = ("id", "name", *(f"{r}__{c}" for r in _REFS for c in ("id", "name")))
_FULL_SCALARS = ("gender", "birth_date", "ethnicity", "mobile", "employer", "post", "is_standing", "state",
                 "ended_on", "ended_reason", "version", "user_id")  # fmt: skip
_FULL_COLUMNS = ("id", "name", *_FULL_SCALARS, *(f"{r}__{c}" for r in _FULL_REFS for c in ("id", "name")))


def _ref_of(row: dict, name: str) -> dict | None:
    pk = row[f"{name}__id"]
    return None if pk is None else {"id": pk, "name": row[f"{name}__name"]}


def _member_rows(qs, *, private: bool) -> list[dict]:
    """The members of `qs` (already sliced) as the API answers them: every field with `private`, else
    the directory fields only (the private columns are then not even selected)."""
    if not private:
        return [
            {"id": r["id"], "name": r["name"], **{n: _ref_of(r, n) for n in _REFS}}
            for r in qs.values(*_DIRECTORY_COLUMNS)
        ]
    rows = list(qs.values(*_FULL_COLUMNS))
    specials: dict[int, list[dict]] = {r["id"]: [] for r in rows}
    through = Member.special_committees.through.objects.filter(member_id__in=specials)
    order = [f"specialcommittee__{f}" for f in SpecialCommittee._meta.ordering]
    for member_id, pk, name in through.order_by(*order).values_list(
        "member_id", "specialcommittee_id", "specialcommittee__name"
    ):
        specials[member_id].append({"id": pk, "name": name})
    return [
        {
            "id": r["id"],
            "name": r["name"],
            **{f: r[f] for f in _FULL_SCALARS},
            **{n: _ref_of(r, n) for n in _FULL_REFS},
            "special_committees": specials[r["id"]],
        }
        for r in rows
    ]


# --------------------------------------------------------------------------- member input


def _mobile(value: str) -> str:
    if not (len(value) == 11 and value.isascii() and value.isdigit() and value.startswith("1")):
        raise ValueError(_("请输入 11 位手机号码。"))
    return value


Mobile = Annotated[Text(20, min_length=1), AfterValidator(_mobile)]
Gender = Literal["M", "F", ""]


class MemberIn(Input):
    name: Text(50, min_length=1)
    mobile: Mobile
    sector: Id
    party: Id
    term: Id | None = None  # default: the committee's current (latest) term
    gender: Gender = ""
    birth_date: date | None = None
    ethnicity: Text(20) = ""
    employer: Text(100) = ""
    post: Text(100) = ""
    is_standing: bool = False
    sub_district: Id | None = None
    studio: Id | None = None
    special_committees: list[Id] = Field(default_factory=list, max_length=50)


class MemberPatch(Input):
    version: Id  # the version read; a stale one is refused with 409
    name: Text(50, min_length=1) | None = None
    mobile: Mobile | None = None
    sector: Id | None = None
    party: Id | None = None
    term: Id | None = None
    gender: Gender | None = None
    birth_date: date | None = None
    ethnicity: Text(20) | None = None
    employer: Text(100) | None = None
    post: Text(100) | None = None
    is_standing: bool | None = None
    sub_district: Id | None = None
    studio: Id | None = None
    special_committees: list[Id] | None = Field(default=None, max_length=50)


class MemberEndIn(Input):
    reason: Text(500, min_length=1)


REFS = {"sector": Sector, "party": Party, "term": Term, "sub_district": SubDistrict, "studio": Studio}
NULLABLE = {"birth_date", "sub_district", "studio"}


def _values(request, data: dict) -> dict:
    """Input values as the services take them: ids become rows of the current committee (else 422)."""
    from django.core.exceptions import ValidationError

    missing = {k: _("此项不能为空。") for k, v in data.items() if v is None and k not in NULLABLE}
    if missing:
        raise ValidationError(missing)
    values = dict(data)
    for name, model in REFS.items():
        if name in values:
            values[name] = resolve_ref(model, request, values[name], name)
    if "special_committees" in values:
        values["special_committees"] = [
            resolve_ref(SpecialCommittee, request, pk, "special_committees") for pk in values["special_committees"]
        ]
    return values


# --------------------------------------------------------------------------- member endpoints


class MemberFilters(Schema):
    q: Text(50) = ""
    sector: Id | None = None
    party: Id | None = None
    standing: bool | None = None
    state: Literal["active", "ended", "all"] = "active"
    special_committee: Id | None = None
    studio: Id | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10**9)


@router.get(
    "/members", response=responses(200, MemberPageOut, 422), summary="委员名录", auth=requires("org.view_directory")
)
def member_list(request, filters: Query[MemberFilters]):
    """Staff get every field and may list ended members; members and leaders get the directory fields of
    the active members. The answer is the same for every caller who sees the same fields, until the
    roster changes (org.caching), so it is built once and then read from memory."""
    private = _sees_private(request)
    scope = ("members", request.committee.pk, roster_token(request.committee.pk), private, filters.model_dump())
    return shared_answer(scope, lambda: _member_list(request, filters, private))


def _member_list(request, filters: MemberFilters, private: bool):
    state = (None if filters.state == "all" else filters.state) if private else "active"
    qs = queries.members(
        request.committee,
        q=filters.q,
        sector=filters.sector,
        party=filters.party,
        state=state,
        standing=filters.standing,
        special_committee=filters.special_committee,
        studio=filters.studio,
        private=private,
    )
    count = qs.count()
    items = _member_rows(qs[filters.offset : filters.offset + filters.limit], private=private)
    page = {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}
    from lvzhi.api import api  # the API's own renderer (UTF-8 JSON); here, not at import: lvzhi.api imports us

    return api.create_response(request, page, status=200)  # already in the shape of MemberPageOut


def _member(request, member_id: int) -> Member:
    qs = queries.members(request.committee, state=None, private=_sees_private(request))
    if not _sees_private(request):
        qs = qs.filter(state=Member.State.ACTIVE)
    return get_scoped(Member, request, member_id, _members_qs(request, qs))


@router.get(
    "/members/{member_id}",
    response=responses(200, MemberFullOut | MemberDirectoryOut),
    summary="委员详情",
    auth=requires("org.view_directory"),
)
def member_detail(request, member_id: int):
    return _out(request, _member(request, member_id))


@router.post(
    "/members", response=responses(201, MemberFullOut, 422), summary="新增委员", auth=requires("org.manage_members")
)
def member_create(request, payload: MemberIn):
    values = payload.model_dump()
    if values["term"] is None:
        current = Term.objects.for_committee(request.committee).order_by("-number").first()
        if current is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({"term": _("本委员会还没有设置届次。")})
        values["term"] = current.pk
    values = _values(request, values)
    member = services.member_create(committee=request.committee, by=request.user, **values)
    return Status(201, member_full(_member(request, member.pk)))


@router.patch(
    "/members/{member_id}",
    response=responses(200, MemberFullOut, 409, 422),
    summary="修改委员信息",
    auth=requires("org.manage_members"),
)
def member_update(request, member_id: int, payload: MemberPatch):
    member = _member(request, member_id)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version")
    values = _values(request, data)
    services.member_update(member=member, by=request.user, version=version, **values)
    return member_full(_member(request, member_id))


@router.post(
    "/members/{member_id}/end",
    response=responses(200, MemberFullOut, 409, 422),
    summary="终止委员资格",
    auth=requires("org.manage_members"),
)
def member_end(request, member_id: int, payload: MemberEndIn):
    member = _member(request, member_id)
    services.member_end(member=member, by=request.user, reason=payload.reason)
    return member_full(_member(request, member_id))


# --------------------------------------------------------------------------- organisation


class TermOut(Schema):
    id: int
    number: int
    name: str
    start_date: date
    end_date: date | None


class SessionOut(Schema):
    id: int
    term_id: int
    number: int
    name: str
    start_date: date
    end_date: date | None


class NamedOut(Schema):
    id: int
    name: str
    order: int


class PartyOut(NamedOut):
    kind: str


class PlaceOut(NamedOut):
    sub_district_id: int
    address: str


class UnitOut(NamedOut):
    contact_name: str
    contact_phone: str
    active: bool


def _listing(path: str, model, schema, summary: str, *related: str):
    @router.get(
        path,
        response=responses(200, list[schema]),
        summary=summary,
        operation_id=f"org_list_{model._meta.model_name}",
        auth=requires("core.use"),
    )
    def listing(request):
        return list(model.objects.for_committee(request.committee).select_related(*related))

    return listing


list_terms = _listing("/org/terms", Term, TermOut, "届")
list_sessions = _listing("/org/sessions", Session, SessionOut, "次会议")
list_sectors = _listing("/org/sectors", Sector, NamedOut, "界别")
list_parties = _listing("/org/parties", Party, PartyOut, "党派团体")
list_special_committees = _listing("/org/special-committees", SpecialCommittee, NamedOut, "专委会")
list_sub_districts = _listing("/org/sub-districts", SubDistrict, NamedOut, "街道")
list_studios = _listing("/org/studios", Studio, PlaceOut, "委员工作室")
list_contact_points = _listing("/org/contact-points", ContactPoint, PlaceOut, "社情民意联系点")
list_units = _listing("/org/units", HandlingUnit, UnitOut, "承办单位")
