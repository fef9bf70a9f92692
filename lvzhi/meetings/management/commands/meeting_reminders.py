"""Run the daily meeting reminders now (for cron): invited members who have not registered for a meeting
that starts tomorrow. A second run reminds nobody twice."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from lvzhi.meetings import reminders
from lvzhi.org.models import Committee


class Command(BaseCommand):
    help = "Send the meeting reminders now (members not yet registered for tomorrow's meetings)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="run as of this day (YYYY-MM-DD); default today")
        parser.add_argument("--committee", type=int, help="only this committee (id)")

    def handle(self, *args, **options):
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as e:
            raise CommandError(f"--date: {e}") from e
        committees = Committee.objects.order_by("pk")
        if options["committee"]:
            committees = committees.filter(pk=options["committee"])
            if not committees.exists():
                raise CommandError(f"no committee {options['committee']}")
        for committee in committees:
            counts = reminders.run_all(committee, today)
            self.stdout.write(f"{committee.name}: unregistered reminders {counts['unregistered']}")
