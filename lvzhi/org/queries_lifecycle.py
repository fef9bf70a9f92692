"""Reads of the member lifecycle (nomination, exit review, liaison) shared by pages and the API."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, IntegerField, Value, When

from lvzhi.core.models import Event

from .models import ExitReview, Liaison, Member, Nomination
from .workflow import EXIT, NOMINATION, NOMINATION_STEPS


def nominations(committee, *, state: str = ""):
    qs = Nomination.objects.for_committee(committee).select_related("term", "sector", "party", "member")
    if state:
        qs = qs.filter(state=state)
    return qs


def nomination_counts(committee) -> list[dict]:
    """One row per state of the nomination workflow (the seven steps, then 未通过) with its count."""
    counts = dict(Nomination.objects.for_committee(committee).values_list("state").annotate(n=Count("id")).order_by())
    return [{"state": s, "label": NOMINATION.state_label(s), "count": counts.get(s, 0)} for s in NOMINATION.states]


def nomination_progress(nomination: Nomination) -> list[dict]:
    """The seven steps with their status. A state names the step reached (完成), so the steps up to it
    are `done` and the next one is `current` (under way); a rejected nomination shows the step at which
    it was refused as `rejected`; a confirmed one has all seven done."""
    state = nomination.state
    if state == "rejected":
        event = (
            Event.objects.filter(
                committee_id=nomination.committee_id,
                subject_type=ContentType.objects.get_for_model(Nomination),
                subject_id=nomination.pk,
                action="nomination.reject",
            )
            .order_by("-created_at", "-id")
            .first()
        )
        reached = event.from_state if event and event.from_state in NOMINATION_STEPS else NOMINATION_STEPS[0]
    else:
        reached = state
    at = NOMINATION_STEPS.index(reached)
    steps = []
    for i, s in enumerate(NOMINATION_STEPS):
        if i <= at:
            status = "done"
        elif i == at + 1:
            status = "rejected" if state == "rejected" else "current"
        else:
            status = "todo"
        steps.append({"number": i + 1, "state": s, "label": NOMINATION.state_label(s), "status": status})
    return steps


def exit_reviews(committee, *, state: str = "", member=None):
    """Exit reviews, open ones first, then newest first."""
    qs = (
        ExitReview.objects.for_committee(committee)
        .select_related("member", "member__sector", "member__party")
        .annotate(open_first=Case(When(state="open", then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("open_first", "-created_at", "-id")
    )
    if state:
        qs = qs.filter(state=state)
    if member is not None:
        qs = qs.filter(member=member)
    return qs


def exit_counts(committee) -> list[dict]:
    counts = dict(ExitReview.objects.for_committee(committee).values_list("state").annotate(n=Count("id")).order_by())
    return [{"state": s, "label": EXIT.state_label(s), "count": counts.get(s, 0)} for s in EXIT.states]


def liaisons(committee, *, member=None, kind: str = "", date_from=None, date_to=None, q: str = ""):
    qs = Liaison.objects.for_committee(committee).select_related("member", "member__sector", "staff")
    if member is not None:
        qs = qs.filter(member=member)
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if q:
        qs = qs.filter(member__name__contains=q)
    return qs


def member_choices(committee, *, active_only: bool = True):
    """Members for a select: ordered by sector, then name; labelled 「界别 · 姓名」 by the forms."""
    qs = Member.objects.for_committee(committee).select_related("sector").order_by("sector__order", "name", "id")
    if active_only:
        qs = qs.filter(state=Member.State.ACTIVE)
    return qs
