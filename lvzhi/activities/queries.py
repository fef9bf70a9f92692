"""Reads of activities and reading shared by pages and the API."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from lvzhi.org.models import Member

from .models import Activity, ReadingGroup, ReadingRecord, SignUp


def activities(committee):
    return Activity.objects.for_committee(committee).select_related(
        "organiser_special", "organiser_studio", "audience_sector", "audience_special", "audience_studio"
    )


def _count(state: str):
    rows = (
        SignUp.objects.filter(activity=OuterRef("pk"), state=state)
        .order_by()
        .values("activity")
        .annotate(c=Count("id"))
        .values("c")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_counts(qs):
    """Confirmed and waitlisted counts as subqueries (independent of any join the filters made)."""
    return qs.annotate(n_confirmed=_count("confirmed"), n_waitlisted=_count("waitlisted"))


def visible_to_member(committee, member: Member):
    """Published or finished activities the member may sign up for, plus every one they signed up to."""
    audience = (
        Q(audience=Activity.Audience.ALL)
        | Q(audience=Activity.Audience.SECTOR, audience_sector_id=member.sector_id)
        | Q(audience=Activity.Audience.SPECIAL, audience_special__in=member.special_committees.all())
        | Q(audience=Activity.Audience.STUDIO, audience_studio_id=member.studio_id)
    )
    mine = Q(signups__member=member)
    return (
        activities(committee).filter(state__in=["published", "closed", "cancelled"]).filter(audience | mine).distinct()
    )


def open_for(committee, member: Member):
    """Open for sign-up now (published, before the deadline) and within the member's scope."""
    return visible_to_member(committee, member).filter(state="published", signup_deadline__gte=timezone.now())


def my_signups(member: Member) -> dict[int, SignUp]:
    """The member's live sign-ups by activity (the latest row of each), with the waiting-list position."""
    rows = {}
    for s in SignUp.objects.filter(member=member).order_by("id"):
        rows[s.activity_id] = s
    waiting = [s for s in rows.values() if s.state == "waitlisted"]
    for s in waiting:
        s.position = SignUp.objects.filter(activity_id=s.activity_id, state="waitlisted", id__lt=s.pk).count() + 1
    return rows


def signups(activity: Activity):
    """Confirmed in order of sign-up, then the waiting list in its order, then the cancelled."""
    rows = list(
        SignUp.objects.filter(activity=activity).select_related("member__sector", "member__user").order_by("id")
    )
    confirmed = [s for s in rows if s.state == "confirmed"]
    waiting = [s for s in rows if s.state == "waitlisted"]
    for n, s in enumerate(waiting, start=1):
        s.position = n
    cancelled = [s for s in rows if s.state == "cancelled"]
    return confirmed, waiting, cancelled


# --------------------------------------------------------------------------- reading


def my_groups(member: Member):
    """The member's reading groups with their size `n` (counted before the filter on the member's join)."""
    return (
        ReadingGroup.objects.annotate(n=Count("members", distinct=True))
        .filter(members=member)
        .select_related("convener")
        .prefetch_related("books")
    )


def participation(committee, *, year: int | None = None) -> dict:
    """Who read what: totals, by group and by sector, and the member rows with their record counts."""
    records = ReadingRecord.objects.for_committee(committee)
    if year:
        records = records.filter(read_on__year=year)
    members = Member.objects.for_committee(committee).filter(state=Member.State.ACTIVE)
    totals = {
        "records": records.count(),
        "readers": records.values("member").distinct().count(),
        "members": members.count(),
        "books": records.values("book").distinct().count(),
    }
    by_group = []
    for g in ReadingGroup.objects.for_committee(committee).select_related("convener").annotate(n=Count("members")):
        rs = records.filter(member__in=g.members.all())
        by_group.append(
            {
                "group": g,
                "members": g.n,
                "readers": rs.values("member").distinct().count(),
                "records": rs.count(),
            }
        )
    by_sector = list(
        members.values("sector__name", "sector__order")
        .annotate(
            members=Count("id", distinct=True),
            readers=Count(
                "reading_records__member",
                filter=Q(reading_records__in=records),
                distinct=True,
            ),
            records=Count("reading_records", filter=Q(reading_records__in=records), distinct=True),
        )
        .order_by("sector__order", "sector__name")
    )
    return {"totals": totals, "by_group": by_group, "by_sector": by_sector}


def record_rows(committee, *, year: int | None = None):
    qs = ReadingRecord.objects.for_committee(committee).select_related("member__sector", "book", "group")
    if year:
        qs = qs.filter(read_on__year=year)
    return qs.order_by("-read_on", "-id")
