"""Reads of the committee's structure for the staff desk: list rows of any kind, desk counts, the
standing committee and the committee hierarchy. Always scoped to one committee."""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count
from django.utils.translation import gettext as _

from .models import Committee, HandlingUnit, Member, Sector
from .services_structure import Kind


@dataclass(frozen=True, slots=True)
class Cell:
    key: str
    value: Any


@dataclass(frozen=True, slots=True)
class Row:
    obj: models.Model
    cells: list[Cell]


def _cell(obj: models.Model, name: str) -> Any:
    f = obj._meta.get_field(name)
    if f.choices:
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if isinstance(f, models.BooleanField):
        return _("是") if value else _("否")
    return "" if value is None else value


def headers(kind: Kind) -> list[tuple[str, str]]:
    """(column key, label) of each list column; the key names a CSS class (col-<key>)."""
    cols = [(c, str(kind.model._meta.get_field(c).verbose_name)) for c in kind.columns]
    return cols + [(f"n-{rel}", str(label)) for rel, label in kind.usage]


def rows(kind: Kind, committee: Committee) -> list[Row]:
    """Every row of `kind` in `committee` with its columns and usage counts, in a single query."""
    qs = kind.queryset(committee)
    if kind.usage:
        qs = qs.annotate(**{f"n_{rel}": Count(rel, distinct=True) for rel, _label in kind.usage})
    return [
        Row(
            obj,
            [Cell(c, _cell(obj, c)) for c in kind.columns]
            + [Cell(f"n-{rel}", getattr(obj, f"n_{rel}")) for rel, _l in kind.usage],
        )
        for obj in qs
    ]


def desk_counts(committee: Committee) -> dict[str, int]:
    active = Member.objects.for_committee(committee).filter(state=Member.State.ACTIVE)
    return {
        "members": active.count(),
        "standing": active.filter(is_standing=True).count(),
        "sectors": Sector.objects.for_committee(committee).count(),
        "units": HandlingUnit.objects.for_committee(committee).filter(active=True).count(),
    }


def standing_members(committee: Committee) -> models.QuerySet:
    return (
        Member.objects.for_committee(committee)
        .filter(state=Member.State.ACTIVE, is_standing=True)
        .select_related("sector", "party")
    )


def standing_candidates(committee: Committee) -> models.QuerySet:
    return (
        Member.objects.for_committee(committee)
        .filter(state=Member.State.ACTIVE, is_standing=False)
        .select_related("sector")
    )


def hierarchy(committee: Committee) -> dict[str, Any]:
    """The committee, its parents up to the national committee (nearest first) and its children."""
    return {
        "committee": committee,
        "ancestors": committee.ancestors(),
        "children": list(committee.children.order_by("name")),
    }
