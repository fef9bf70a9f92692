"""Writes of the committee's structure: terms, sessions, sectors, parties, special committees, sub-districts,
studios, contact points and handling units (one generic mechanism driven by the `KINDS` registry), the
handling units' staff accounts, and the standing committee.

Every write is atomic and records its event; rules (names unique per committee, related rows of the same
committee, rows still in use are not deleted) live here and nowhere else.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.accounts.models import User
from lvzhi.core import events
from lvzhi.core.permissions import forget_roles
from lvzhi.core.roles import Role
from lvzhi.core.tenancy import CommitteeScoped

from .models import (
    Committee,
    ContactPoint,
    HandlingUnit,
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
from .services import StaleEdit, member_update

events.ACTION_LABELS.update(
    {
        "structure.created": gettext_lazy("新增组织设置"),
        "structure.updated": gettext_lazy("修改组织设置"),
        "structure.deleted": gettext_lazy("删除组织设置"),
        "unit.staff_added": gettext_lazy("新增承办单位工作人员"),
        "unit.staff_removed": gettext_lazy("移除承办单位工作人员"),
    }
)


@dataclass(frozen=True, slots=True)
class Unique:
    """Values of `fields` may appear only once per committee; `message` says so in plain words."""

    fields: tuple[str, ...]
    message: Promise


NAME_UNIQUE = Unique(("name",), gettext_lazy("本委员会已有同名的记录,请换一个名称。"))


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of structure row that staff manage with the generic list / form / delete pages."""

    slug: str  # in the URL: /org/setup/<slug>/
    model: type[CommitteeScoped]
    fields: tuple[str, ...]  # editable fields, in form order
    columns: tuple[str, ...]  # shown in the list, in order
    label: Promise  # singular, e.g. 界别
    perm: str = "org.manage_org"  # needed to write; reading needs org.view_member_private
    unique: tuple[Unique, ...] = (NAME_UNIQUE,)
    usage: tuple[tuple[str, Promise], ...] = ()  # (reverse relation, column label): counted in the list
    help: Promise | None = None

    @property
    def related(self) -> tuple[str, ...]:
        """The editable fields that point at another row of the committee (limited to it in forms)."""
        return tuple(f for f in self.fields if isinstance(self.model._meta.get_field(f), models.ForeignKey))

    def queryset(self, committee: Committee | None) -> models.QuerySet:
        qs = self.model.objects.for_committee(committee)
        related = tuple(c for c in self.columns if isinstance(self.model._meta.get_field(c), models.ForeignKey))
        return qs.select_related(*related) if related else qs


_MEMBERS = ("members", gettext_lazy("委员数"))
KINDS: dict[str, Kind] = {
    k.slug: k
    for k in (
        Kind(
            "terms",
            Term,
            ("number", "name", "start_date", "end_date"),
            ("number", "name", "start_date", "end_date"),
            gettext_lazy("届次"),
            unique=(Unique(("number",), gettext_lazy("本委员会已有这一届。")), NAME_UNIQUE),
            usage=(("sessions", gettext_lazy("会议数")), _MEMBERS),
        ),
        Kind(
            "sessions",
            Session,
            ("term", "number", "name", "start_date", "end_date"),
            ("name", "term", "number", "start_date", "end_date"),
            gettext_lazy("次会议"),
            unique=(Unique(("term", "number"), gettext_lazy("这一届已有这一次会议。")), NAME_UNIQUE),
        ),
        Kind("sectors", Sector, ("name", "order"), ("name", "order"), gettext_lazy("界别"), usage=(_MEMBERS,)),
        Kind(
            "parties",
            Party,
            ("name", "kind", "order"),
            ("name", "kind", "order"),
            gettext_lazy("党派团体"),
            usage=(_MEMBERS,),
        ),
        Kind(
            "special-committees",
            SpecialCommittee,
            ("name", "order"),
            ("name", "order"),
            gettext_lazy("专委会"),
            usage=(_MEMBERS,),
        ),
        Kind(
            "sub-districts",
            SubDistrict,
            ("name", "order"),
            ("name", "order"),
            gettext_lazy("街道"),
            usage=(("studios", gettext_lazy("工作室数")), ("contact_points", gettext_lazy("联系点数")), _MEMBERS),
        ),
        Kind(
            "studios",
            Studio,
            ("name", "sub_district", "address", "order"),
            ("name", "sub_district", "address", "order"),
            gettext_lazy("委员工作室"),
            usage=(_MEMBERS,),
        ),
        Kind(
            "contact-points",
            ContactPoint,
            ("name", "sub_district", "address", "order"),
            ("name", "sub_district", "address", "order"),
            gettext_lazy("社情民意联系点"),
        ),
        Kind(
            "units",
            HandlingUnit,
            ("name", "contact_name", "contact_phone", "active", "order"),
            ("name", "contact_name", "contact_phone", "active", "order"),
            gettext_lazy("承办单位"),
            perm="org.manage_units",
            usage=(("staff", gettext_lazy("工作人员数")),),
        ),
    )
}


def _check(kind: Kind, committee: Committee, obj: models.Model, values: Mapping[str, Any]) -> None:
    """The rules every create and update obeys; raises ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    for name in kind.related:
        related = values.get(name)
        if related is not None and getattr(related, "committee_id", None) != committee.pk:
            errors.setdefault(name, []).append(_("所选项目不属于本委员会。"))
    for rule in kind.unique:
        if any(values.get(f) in (None, "") for f in rule.fields):
            continue
        clash = kind.model.objects.for_committee(committee).filter(**{f: values[f] for f in rule.fields})
        if obj.pk is not None:
            clash = clash.exclude(pk=obj.pk)
        if clash.exists():
            errors.setdefault(rule.fields[-1], []).append(str(rule.message))
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors.setdefault("end_date", []).append(_("结束日期不能早于开始日期。"))
    if errors:
        raise ValidationError(errors)


def _save(kind: Kind, committee: Committee, obj: models.Model, values: Mapping[str, Any]) -> None:
    unknown = set(values) - set(kind.fields)
    if unknown:
        raise ValueError(f"not editable for {kind.slug}: {sorted(unknown)}")
    _check(kind, committee, obj, values)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean(exclude=["committee"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:  # a concurrent save took the name or number first
        raise ValidationError(_("与本委员会已有的记录重复,请检查名称或编号。"))


@transaction.atomic
def structure_create(*, kind: Kind, committee: Committee, values: Mapping[str, Any], by) -> models.Model:
    obj = kind.model(committee=committee)
    _save(kind, committee, obj, values)
    events.record(subject=obj, action="structure.created", actor=by, data={"kind": kind.slug, "name": str(obj)})
    return obj


@transaction.atomic
def structure_update(*, kind: Kind, obj: models.Model, values: Mapping[str, Any], by) -> models.Model:
    locked = kind.model.objects.select_for_update().get(pk=obj.pk)
    before = {name: str(getattr(locked, name)) for name in values}
    _save(kind, locked.committee, locked, values)
    changes = {n: [before[n], str(getattr(locked, n))] for n in values if before[n] != str(getattr(locked, n))}
    events.record(
        subject=locked,
        action="structure.updated",
        actor=by,
        data={"kind": kind.slug, "name": str(locked), "changes": changes},
    )
    return locked


@transaction.atomic
def structure_delete(*, kind: Kind, obj: models.Model, by) -> None:
    """Delete a row nobody uses; a row still in use (a member's sector, a session's term...) stays, and
    the ValidationError says why."""
    if isinstance(obj, HandlingUnit) and obj.staff.exists():
        raise ValidationError(_("“%(name)s”还有工作人员账户,请先移除这些账户再删除。") % {"name": obj})
    events.record(subject=obj, action="structure.deleted", actor=by, data={"kind": kind.slug, "name": str(obj)})
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError as e:
        users = sorted({str(o._meta.verbose_name) for o in e.protected_objects})
        raise ValidationError(
            _("“%(name)s”仍在使用中(被%(users)s引用),不能删除。可以先修改引用它的记录。")
            % {"name": obj, "users": "、".join(users)}
        )


# --- handling units' staff accounts


def unit_staff(unit: HandlingUnit) -> models.QuerySet:
    """The users holding the unit role for `unit` in its committee."""
    return User.objects.filter(
        memberships__committee_id=unit.committee_id, memberships__role=Role.UNIT, memberships__handling_unit=unit
    ).order_by("display_name", "id")


@transaction.atomic
def unit_staff_add(*, unit: HandlingUnit, name: str, mobile: str, username: str, password: str = "", by) -> User:
    """Create a log-in for a person of `unit` and grant them the unit role in the unit's committee. Without
    a password they log in by SMS code (and may then set one)."""
    name, mobile, username = name.strip(), mobile.strip(), username.strip()
    errors: dict[str, list[str]] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("该用户名已被使用,请换一个。")]
    if User.objects.filter(mobile=mobile).exists():
        errors["mobile"] = [_("该手机号已有账户,不能重复创建。")]
    user = User(username=username, mobile=mobile, display_name=name)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as e:
            errors["password"] = list(e.messages)
    if errors:
        raise ValidationError(errors)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError({"username": [_("该用户名或手机号已被使用。")]})
    Membership.objects.create(user=user, committee_id=unit.committee_id, role=Role.UNIT, handling_unit=unit)
    events.record(
        subject=unit,
        action="unit.staff_added",
        actor=by,
        data={"user": user.pk, "username": user.username, "name": name},
    )
    return user


@transaction.atomic
def unit_staff_remove(*, unit: HandlingUnit, user: User, by) -> None:
    """Take the unit role for `unit` away from `user` (the account itself stays)."""
    removed, _counts = Membership.objects.filter(
        user=user, committee_id=unit.committee_id, role=Role.UNIT, handling_unit=unit
    ).delete()
    if not removed:
        raise ValidationError(_("该账户不是本单位的工作人员。"))
    forget_roles(user)
    events.record(
        subject=unit,
        action="unit.staff_removed",
        actor=by,
        data={"user": user.pk, "username": user.username, "name": str(user)},
    )


# --- standing committee


def standing_set(*, member: Member, standing: bool, by) -> Member:
    """Add a member to (or remove from) the standing committee; roles follow through member_update."""
    if member.state != Member.State.ACTIVE:
        raise ValidationError(_("该委员已退出,不能调整常委身份。"))
    if member.is_standing == standing:
        raise ValidationError(_("该委员已是常委。") if standing else _("该委员不是常委。"))
    try:
        return member_update(member=member, by=by, version=member.version, is_standing=standing)
    except StaleEdit as e:
        raise ValidationError(str(e))


__all__ = [
    "KINDS",
    "Kind",
    "Unique",
    "standing_set",
    "structure_create",
    "structure_delete",
    "structure_update",
    "unit_staff",
    "unit_staff_add",
    "unit_staff_remove",
]
