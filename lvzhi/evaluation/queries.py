"""Reads of the evaluation: years, a member's score by category, rank in sector, the staff table and the
distribution, and where each ledger line comes from (its subject's page)."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from lvzhi.core.events import label as action_label
from lvzhi.org.models import Member

from .models import Kind, LedgerLine, RuleSet
from .rules import CATEGORIES, CATEGORY_OF

ZERO = Decimal(0)


def member_of(request) -> Member | None:
    if not hasattr(request, "_evaluation_member"):
        request._evaluation_member = (
            Member.objects.for_committee(request.committee)
            .filter(user=request.user)
            .select_related("sector", "party", "term")
            .first()
        )
    return request._evaluation_member


def years(committee) -> list[int]:
    return list(RuleSet.objects.for_committee(committee).order_by("-year").values_list("year", flat=True))


def default_year(committee) -> int:
    all_years = years(committee)
    now = timezone.localdate().year
    if not all_years or now in all_years:
        return now
    return all_years[0]


def pick_year(request, committee) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default_year(committee)
    return year if 2000 <= year <= 2100 else default_year(committee)


def _subjects_prefetch():
    """The lines' subjects in one query per kind, with the meeting of attendance rows and speeches."""
    from django.contrib.contenttypes.prefetch import GenericPrefetch

    from lvzhi.meetings.models import Invitation, Speech
    from lvzhi.proposals.models import Proposal

    return GenericPrefetch(
        "event__subject",
        [
            Invitation.objects.select_related("meeting"),
            Speech.objects.select_related("meeting"),
            Proposal.objects.only("pk", "title", "committee_id"),
        ],
    )


def lines(member: Member, year: int | None = None):
    qs = (
        LedgerLine.objects.filter(committee_id=member.committee_id, member=member)
        .select_related("rule", "event", "event__subject_type")
        .prefetch_related(_subjects_prefetch())
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("event__created_at", "event_id", "id")


def total(member: Member, year: int) -> Decimal:
    return (
        LedgerLine.objects.filter(committee_id=member.committee_id, member=member, year=year).aggregate(
            t=Sum("points")
        )["t"]
        or ZERO
    )


def by_category(rows) -> list[dict]:
    groups = {key: {"key": key, "label": label, "total": ZERO, "lines": []} for key, label in CATEGORIES}
    for line in rows:
        group = groups[CATEGORY_OF.get(line.rule.kind, "adjustments")]
        group["total"] += line.points
        group["lines"].append(line)
    return [g for g in groups.values() if g["lines"]]


def _score_subquery(year: int):
    return Coalesce(
        Subquery(
            LedgerLine.objects.filter(member=OuterRef("pk"), year=year)
            .values("member")
            .annotate(t=Sum("points"))
            .values("t")[:1],
            output_field=DecimalField(max_digits=9, decimal_places=1),
        ),
        Value(ZERO),
        output_field=DecimalField(max_digits=9, decimal_places=1),
    )


def scores(committee, year: int, *, sector=None, party=None, special=None, q: str = ""):
    """Active members of the committee with their score of the year (highest first)."""
    qs = Member.objects.for_committee(committee).filter(state=Member.State.ACTIVE)
    if sector:
        qs = qs.filter(sector=sector)
    if party:
        qs = qs.filter(party=party)
    if special:
        qs = qs.filter(special_committees=special)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(employer__icontains=q))
    return qs.select_related("sector", "party").annotate(score=_score_subquery(year)).order_by("-score", "name", "pk")


def rank_in_sector(member: Member, year: int) -> tuple[int, int]:
    """(rank, members in the sector): 1 + the number of sector members with a higher score."""
    rows = list(scores(member.committee, year, sector=member.sector).values_list("pk", "score"))
    mine = next((s for pk, s in rows if pk == member.pk), ZERO)
    return 1 + sum(1 for _pk, s in rows if s > mine), len(rows)


BANDS = [(None, 0), (0, 10), (10, 20), (20, 30), (30, 50), (50, 80), (80, None)]


def distribution(committee, year: int, base=None) -> list[dict]:
    values = list((base if base is not None else scores(committee, year)).values_list("score", flat=True))
    out = []
    for low, high in BANDS:
        n = sum(1 for v in values if (low is None or v >= low) and (high is None or v < high))
        if low is None:
            label = f"< {high}"
        elif high is None:
            label = f"≥ {low}"
        else:
            label = f"{low}–{high - 1}" if high - low > 1 else str(low)
        out.append({"label": label, "count": n})
    top = max([b["count"] for b in out] + [1])
    for b in out:
        b["pct"] = round(100 * b["count"] / top)
    return out


# --------------------------------------------------------------------------- where a line comes from


def _try(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def source(line: LedgerLine, *, staff: bool = False) -> dict:
    """{"title", "url", "what"}: the subject of the line's event and its page (for the member, or staff)."""
    event = line.event
    ct = event.subject_type
    model = f"{ct.app_label}.{ct.model}"
    subject = event.subject
    title, url = str(subject) if subject is not None else "", ""
    if subject is None:
        title = action_label(event.action)
    elif model == "meetings.invitation":
        meeting = subject.meeting
        title = meeting.title
        url = _try("meetings:staff_detail", meeting.pk) if staff else _try("meetings:member_meeting", meeting.pk)
    elif model == "meetings.speech":
        title = f"{subject.title}({subject.meeting.title})"
        url = (
            _try("meetings:staff_detail", subject.meeting_id)
            if staff
            else _try("meetings:member_meeting", subject.meeting_id)
        )
    elif model == "proposals.proposal":
        title = subject.title
        url = _try("proposals:staff_detail", subject.pk) if staff else _try("proposals:member_detail", subject.pk)
    elif model == "evaluation.adjustment":
        title = subject.reason
    else:
        getter = getattr(subject, "get_absolute_url", None)
        if callable(getter):
            try:
                url = getter()
            except NoReverseMatch:  # pragma: no cover
                url = ""
    return {"title": title, "url": url, "what": action_label(event.action)}


def annotate_sources(rows, *, staff: bool = False) -> list:
    rows = list(rows)
    for line in rows:
        line.source = source(line, staff=staff)
        line.category = CATEGORY_OF.get(line.rule.kind, "adjustments")
    return rows


def term_years(member: Member) -> list[int]:
    start = member.term.start_date.year
    end = member.term.end_date.year if member.term.end_date else timezone.localdate().year
    return list(range(start, max(start, end) + 1))


def record(member: Member) -> list[dict]:
    """履职档案: every year of the member's term with its totals by category."""
    totals = {}
    for row in (
        LedgerLine.objects.filter(committee_id=member.committee_id, member=member)
        .values("year", "rule__kind")
        .annotate(t=Sum("points"))
        .order_by()
    ):
        cat = CATEGORY_OF.get(row["rule__kind"], "adjustments")
        totals.setdefault(row["year"], {}).setdefault(cat, ZERO)
        totals[row["year"]][cat] += row["t"]
    out = []
    for year in sorted(set(term_years(member)) | set(totals), reverse=True):
        cats = totals.get(year, {})
        out.append(
            {
                "year": year,
                "total": sum(cats.values(), ZERO),
                "cats": [{"key": k, "label": label, "total": cats.get(k, ZERO)} for k, label in CATEGORIES],
            }
        )
    return out


def counts(member: Member, year: int) -> dict:
    """What the member did in the year, by kind (net of reversals): {kind: n}."""
    out: dict[str, int] = {}
    for line in LedgerLine.objects.filter(committee_id=member.committee_id, member=member, year=year).select_related(
        "rule"
    ):
        out[line.rule.kind] = out.get(line.rule.kind, 0) + (-1 if line.reverses_id else 1)
    return out


ABSENT_KINDS = (Kind.PLENARY_ABSENT, Kind.MEETING_ABSENT)
