"""Run the daily proposal reminders now (for cron): default evaluations where configured, overdue answers,
pending evaluations. A second run on the same day reminds nothing twice."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from lvzhi.org.models import Committee
from lvzhi.proposals import reminders


class Command(BaseCommand):
    help = "Send the proposal reminders now (overdue answers, pending evaluations, default evaluations)."

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
            self.stdout.write(
                f"{committee.name}: default evaluations {counts['default_evaluations']}, "
                f"overdue reminders {counts['overdue']}, evaluation reminders {counts['evaluations']}"
            )
