"""Reads of consultations. The open-recommendations table is the heavy one (a province: 20,000
recommendations, 200,000 implementation records): one COUNT with the overdue count, then one page of rows
with their age, step count and latest step computed in SQL (partial indexes consult_open_due /
consult_open_unit_due on the committee's open responses by due date; the per-row subqueries run only for
the page's rows)."""

import datetime as dt

from django.db.models import Count, DateField, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import OPEN_STATES, Consultation, Outcome, Post, Response, Step

PAGE_SIZE = 50


def open_responses(committee, *, unit=None, overdue: bool = False, min_age: int | None = None, today=None):
    """A committee's open follow-ups (sent, answered, implementing), filtered; not yet annotated."""
    today = today or timezone.localdate()
    qs = Response.objects.for_committee(committee).filter(state__in=OPEN_STATES)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if overdue:
        qs = qs.filter(due_date__lt=today)
    if min_age:
        qs = qs.filter(sent_on__lte=today - dt.timedelta(days=min_age))
    return qs


def counts(qs, today=None) -> dict:
    today = today or timezone.localdate()
    return qs.aggregate(total=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))


ROW_FIELDS = (
    "id", "state", "sent_on", "due_date", "adoption", "unit_id", "unit__name", "recommendation_id",
    "recommendation__number", "recommendation__text", "recommendation__outcome_id",
    "recommendation__outcome__title", "age_days", "step_count", "last_step",
)  # fmt: skip


def with_details(qs, today=None):
    """Rows of the table as plain dicts (no model instances: the page is read-only): the recommendation, its
    outcome and unit (joined), the age in days and the steps (count and latest date) computed by the
    database, oldest due date first."""
    today = today or timezone.localdate()
    steps = Step.objects.filter(response=OuterRef("pk")).order_by()
    return (
        qs.annotate(
            age_days=_days_between(Value(today, output_field=DateField()), F("sent_on")),
            step_count=Coalesce(
                Subquery(steps.values("response").annotate(n=Count("id")).values("n")[:1], output_field=IntegerField()),
                0,
            ),
            last_step=Subquery(steps.order_by("-date").values("date")[:1], output_field=DateField()),
        )
        .order_by("due_date", "id")
        .values(*ROW_FIELDS)
    )


def decorate(rows, today) -> list[dict]:
    """Display values of the table's rows, computed once in Python (cheaper than template filters)."""
    from .models import Response
    from .workflow import RESPONSE

    states = {k: str(v) for k, v in RESPONSE.states.items()}
    adoptions = {k: str(v) for k, v in Response.Adoption.choices}
    out = []
    for r in rows:
        text = r["recommendation__text"]
        r["state_text"] = states.get(r["state"], r["state"])
        r["adoption_text"] = adoptions.get(r["adoption"], "")
        r["overdue"] = r["due_date"] < today
        r["due_text"] = r["due_date"].isoformat()
        r["last_step_text"] = r["last_step"].strftime("%m-%d") if r["last_step"] else ""
        r["short_text"] = text if len(text) <= 60 else text[:59] + "…"
        out.append(r)
    return out


class _DaysBetween(Func):
    """later - earlier in whole days, in SQL on both PostgreSQL and SQLite."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        a, a_params = compiler.compile(self.source_expressions[0])
        b, b_params = compiler.compile(self.source_expressions[1])
        if connection.vendor == "postgresql":
            return f"({a}::date - {b}::date)", (*a_params, *b_params)
        return f"CAST(julianday({a}) - julianday({b}) AS INTEGER)", (*a_params, *b_params)


def _days_between(later, earlier):
    return _DaysBetween(later, earlier)


def unit_responses(committee, unit):
    steps = Step.objects.filter(response=OuterRef("pk")).order_by()
    return (
        Response.objects.for_committee(committee)
        .filter(unit=unit)
        .select_related("recommendation__outcome")
        .annotate(step_count=Coalesce(Subquery(steps.values("response").annotate(n=Count("id")).values("n")[:1]), 0))
        .order_by("due_date", "id")
    )


def member_consultations(committee, member):
    return (
        Consultation.objects.for_committee(committee)
        .filter(participants__member=member)
        .exclude(state="cancelled")
        .select_related("topic")
        .order_by("-held_on", "-id")
    )


def visible_posts(consultation, *, staff: bool):
    posts = Post.objects.filter(consultation=consultation).select_related("member", "member__sector")
    return posts if staff else posts.filter(hidden=False)


def published_outcomes(committee):
    return (
        Outcome.objects.for_committee(committee)
        .filter(state="published")
        .select_related("consultation", "supervision")
        .order_by("-published_at", "-id")
    )
