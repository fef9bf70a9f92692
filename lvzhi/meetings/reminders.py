"""Reminders of meetings (run daily by tasks.meeting_reminders, or `manage.py meeting_reminders`).

- remind_unregistered: the day before a meeting that asks for registration (报到), every invited member who
  has not registered yet (nor asked for leave and been excused) gets a notification, in the app and by SMS.

Each run is recorded as an event on the meeting ("提醒未报到委员") with the members it reminded; those
events are what make a member reminded once: the check and the record happen under the meeting's row
lock, so two runs at once still remind once, and a member invited after the first run is reminded by the
next one. `today` is a parameter so that tests and a catch-up run can move time."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import events
from lvzhi.core.models import Event
from lvzhi.core.notify import notify

from .models import Invitation, Meeting

UNREGISTERED = "meeting.registration_reminded"
events.ACTION_LABELS.update({UNREGISTERED: gettext_lazy("提醒未报到委员")})


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def _reminded_members(meeting: Meeting) -> set[int]:
    done: set[int] = set()
    for data in Event.objects.filter(
        committee=meeting.committee_id,
        subject_type__app_label="meetings",
        subject_type__model="meeting",
        subject_id=meeting.pk,
        action=UNREGISTERED,
    ).values_list("data", flat=True):
        done.update(data.get("members", []))
    return done


def remind_unregistered(committee, today: dt.date | None = None) -> int:
    """Remind the invited members who have not registered for a meeting that starts tomorrow, once each.
    Returns how many members were reminded."""
    today = today or timezone.localdate()
    start, end = _day_bounds(today + dt.timedelta(days=1))
    tomorrow = Meeting.objects.for_committee(committee).filter(
        state="published", registration_required=True, starts_at__gte=start, starts_at__lt=end
    )
    count = 0
    for meeting_id in tomorrow.values_list("pk", flat=True):
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
            if meeting.state != "published":
                continue
            done = _reminded_members(meeting)
            pending = [
                inv.member
                for inv in Invitation.objects.filter(meeting=meeting, state="invited", registered_at__isnull=True)
                .exclude(member_id__in=done)
                .select_related("member__user")
            ]
            if not pending:
                continue
            when = timezone.localtime(meeting.starts_at)
            notify(
                committee=meeting.committee,
                users=[m.user for m in pending if m.user_id],
                title=_("明天开会,请报到:%(title)s") % {"title": meeting.title},
                body=_("%(when)s 在 %(place)s 召开,您尚未报到,请在“会议”中在线报到。")
                % {"when": when.strftime("%m-%d %H:%M"), "place": meeting.place},
                url=f"/meetings/{meeting.pk}/",
                channels=("inapp", "sms"),
            )
            events.record(
                subject=meeting,
                action=UNREGISTERED,
                actor=None,
                data={"date": today.isoformat(), "members": sorted(m.pk for m in pending)},
            )
            count += len(pending)
    return count


def run_all(committee, today: dt.date | None = None) -> dict:
    """The daily run for one committee."""
    return {"unregistered": remind_unregistered(committee, today)}


__all__ = ["UNREGISTERED", "remind_unregistered", "run_all"]
