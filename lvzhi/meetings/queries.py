"""Reads of meetings shared by pages and the API."""

from django.db.models import Count, Q

from .models import Invitation, Meeting


def my_meetings(committee, member):
    """Published or finished meetings the member is invited to, soonest first."""
    return (
        Meeting.objects.for_committee(committee)
        .filter(invitations__member=member, state__in=["published", "closed"])
        .order_by("starts_at")
    )


def meetings(committee):
    return Meeting.objects.for_committee(committee)


def attendance(meeting: Meeting) -> dict:
    """Invited / registered / on leave / present / absent, in one query."""
    counts = Invitation.objects.filter(meeting=meeting).aggregate(
        invited=Count("id"),
        registered=Count("id", filter=Q(registered_at__isnull=False)),
        on_leave=Count("id", filter=Q(state="on_leave")),
        present=Count("id", filter=Q(state="present")),
        absent=Count("id", filter=Q(state="absent")),
    )
    counts["not_arrived"] = counts["invited"] - counts["on_leave"] - counts["present"] - counts["absent"]
    return counts


def attendance_by(meeting: Meeting, field: str) -> list[dict]:
    """The same counts by discussion group ("group__name") or sector ("member__sector__name")."""
    return list(
        Invitation.objects.filter(meeting=meeting)
        .values(field)
        .annotate(
            invited=Count("id"),
            on_leave=Count("id", filter=Q(state="on_leave")),
            present=Count("id", filter=Q(state="present")),
            absent=Count("id", filter=Q(state="absent")),
        )
        .order_by(field)
    )
