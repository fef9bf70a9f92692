"""Reads of proposals shared by pages and the API. `visible` is the one place that says who sees which
proposal: a member sees their own (as lead or invited co-signer) and never another member's draft; staff
and leaders see every submitted proposal; a unit sees only proposals assigned to it (never before)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from lvzhi.core.roles import MEMBER_ROLES, STAFF_ROLES, Role
from lvzhi.org.models import Membership

from .models import Proposal


def visibility(user, committee, roles) -> Q | None:
    """`visible` as a filter on one committee's proposals, without joins: the member's and the unit's
    parts are sub-queries of ids, so the result has no duplicate row and needs no DISTINCT. None: the
    user sees nothing. For staff and leaders it is only "not a draft (but their own collective ones)",
    which the (committee, state, …) indexes answer."""
    from lvzhi.org.models import Member

    from .models import Assignment, CoSigner

    if not user.is_authenticated or not roles:
        return None
    allowed = Q(pk__in=[])
    if roles & MEMBER_ROLES:
        allowed |= Q(lead__in=Member.objects.filter(user=user).values("pk"))
        allowed |= Q(
            pk__in=CoSigner.objects.filter(member__user=user, state__in=["invited", "confirmed"]).values("proposal")
        )
    if roles & (STAFF_ROLES | {Role.LEADER}):
        allowed |= ~Q(state__in=["draft", "withdrawn"])
        # their own collective drafts as a sub-query of ids (its own index answers it, once): the row's
        # condition stays on (state, id), so COUNT and ORDER BY … LIMIT never leave the queue's indexes
        own = Proposal.objects.filter(
            committee=committee, state="draft", kind=Proposal.Kind.COLLECTIVE, created_by=user
        ).values("pk")
        allowed |= Q(pk__in=own)
    if Role.UNIT in roles:
        units = Membership.objects.filter(user=user, committee=committee, role=Role.UNIT).values("handling_unit")
        allowed |= Q(pk__in=Assignment.objects.filter(unit__in=units).exclude(state="cancelled").values("proposal"))
    return allowed


def visible(user, committee, roles) -> "models.QuerySet[Proposal]":  # noqa: F821
    """Distinct, so that callers may still filter on co-signers or assignments (joins) after it."""
    return _visible_ids(user, committee, roles).distinct()


# --------------------------------------------------------------------------- the proposal office's desk

# States in which an answer is owed by the units: past the due date they are overdue (shown red).
AWAITING_ANSWER = ("assigned", "handling", "rehandling", "returned")
# A reply has reached the proposers and waits for their evaluation.
AWAITING_EVALUATION = ("replied",)


def _visible_ids(user, committee, roles):
    """`visible` without DISTINCT (its filter has no join): what the pages' queries start from."""
    allowed = visibility(user, committee, roles)
    qs = Proposal.objects.for_committee(committee)
    return qs.none() if allowed is None else qs.filter(allowed)


# The long texts no list shows: not read for a list's rows (the indexes of review_queue's filters and order
# then do the work; with them a page of 50 reads 50 narrow rows).
LIST_DEFERRED = ("problem", "analysis", "suggestion")


def overdue_q(today=None) -> Q:
    from django.utils import timezone

    return Q(state__in=AWAITING_ANSWER, due_date__lt=today or timezone.localdate())


def review_queue(
    user,
    committee,
    roles,
    *,
    session=None,
    state: str = "",
    category=None,
    sector=None,
    party=None,
    unit=None,
    overdue: bool | None = None,
    q: str = "",
):
    """The proposal office's review queue: every proposal the user may see, filtered; oldest submissions
    first within a state is what the office works through, newest first is what it scans – newest first."""
    from django.db.models import Prefetch

    from .models import Assignment

    qs = _visible_ids(user, committee, roles)
    if session is not None:
        qs = qs.filter(session=session)
    if state:
        qs = qs.filter(state=state)
    if category is not None:
        qs = qs.filter(category=category)
    if sector is not None:
        qs = qs.filter(lead__sector=sector)
    if party is not None:
        qs = qs.filter(lead__party=party)
    if unit is not None:
        qs = qs.filter(
            pk__in=Assignment.objects.filter(committee=committee, unit=unit)
            .exclude(state="cancelled")
            .values("proposal_id")
        )
    if overdue is True:
        qs = qs.filter(overdue_q())
    elif overdue is False:
        qs = qs.exclude(overdue_q())
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q))
    live = Assignment.objects.exclude(state__in=["cancelled"]).select_related("unit").order_by("role", "id")
    return (
        qs.select_related("lead__sector", "lead__party", "category", "session")
        .defer(*LIST_DEFERRED)
        .prefetch_related(Prefetch("assignments", queryset=live, to_attr="live_assignments"))
        .order_by("-submitted_at", "-id")
    )


def paginate(qs, number, per_page: int):
    """A page of `qs` (ordered) in two steps: the page's ids first (COUNT and ORDER BY … LIMIT/OFFSET over the
    index, no join, no wide row), then those rows with their select_related and prefetches."""
    from django.core.paginator import Paginator

    page = Paginator(qs.prefetch_related(None).values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = {p.pk: p for p in qs.filter(pk__in=ids).order_by()} if ids else {}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


def merge_candidates(user, committee, roles, *, proposal, q: str = "", limit: int = 20):
    """Other proposals that may be merged into `proposal` (submitted or filed), found by number or title."""
    qs = _visible_ids(user, committee, roles).filter(state__in=["submitted", "filed"]).exclude(pk=proposal.pk)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q))
    return qs.select_related("lead").order_by("-submitted_at", "-id")[:limit]


def statistics(user, committee, roles, *, session=None) -> dict:
    """Counts for the statistics page: by state, category, sector, party and unit; the on-time rate of
    answers; the satisfaction distribution; the overdue count. One aggregate query per table."""
    from django.db.models import Count, F, OuterRef, Subquery
    from django.utils import timezone

    from .models import Answer, Assignment, Evaluation
    from .workflow import PROPOSAL

    base = _visible_ids(user, committee, roles)
    if session is not None:
        base = base.filter(session=session)
    total = base.count()

    def grouped(field: str, empty: str) -> list[tuple[str, int]]:
        rows = base.values(field).annotate(n=Count("id")).order_by("-n", field)
        return [(r[field] or empty, r["n"]) for r in rows]

    by_state = [(PROPOSAL.state_label(s), n) for s, n in grouped("state", "")]
    no_value = str(_("未填写"))
    by_category = grouped("category__name", no_value)
    by_sector = grouped("lead__sector__name", str(_("集体提案")))
    by_party = grouped("lead__party__name", str(_("集体提案")))
    units = (
        Assignment.objects.filter(committee=committee, proposal__in=base)
        .exclude(state="cancelled")
        .values("unit__name")
        .annotate(
            n=Count("id"),
            lead=Count("id", filter=Q(role=Assignment.Role.LEAD)),
            co=Count("id", filter=Q(role=Assignment.Role.CO)),
            split=Count("id", filter=Q(role=Assignment.Role.SPLIT)),
            answered=Count("id", filter=Q(state="answered")),
        )
        .order_by("-n", "unit__name")
    )
    due = Subquery(
        Assignment.objects.filter(proposal=OuterRef("proposal"), unit=OuterRef("unit"))
        .exclude(state="cancelled")
        .order_by("-id")
        .values("due_date")[:1]
    )
    answers = (
        Answer.objects.filter(committee=committee, proposal__in=base)
        .annotate(due=due)
        .aggregate(n=Count("id"), on_time=Count("id", filter=Q(answered_at__date__lte=F("due"))))
    )
    ratings = dict(
        Evaluation.objects.filter(committee=committee, proposal__in=base)
        .values("rating")
        .annotate(n=Count("id"))
        .values_list("rating", "n")
    )
    rated = sum(ratings.values())
    satisfaction = [
        (label, ratings.get(value, 0), round(100 * ratings.get(value, 0) / rated, 1) if rated else None)
        for value, label in Evaluation.Rating.choices
    ]
    return {
        "total": total,
        "by_state": by_state,
        "by_category": by_category,
        "by_sector": by_sector,
        "by_party": by_party,
        "by_unit": list(units),
        "answers": answers["n"],
        "on_time": answers["on_time"],
        "on_time_rate": round(100 * answers["on_time"] / answers["n"], 1) if answers["n"] else None,
        "satisfaction": satisfaction,
        "rated": rated,
        "overdue": base.filter(overdue_q(timezone.localdate())).count(),
        "awaiting_evaluation": base.filter(state__in=AWAITING_EVALUATION).count(),
    }
