"""Run the daily reminder of overdue consultation recommendations now (for cron). A second run on the
same day reminds nobody twice."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from lvzhi.consultations import reminders
from lvzhi.org.models import Committee


class Command(BaseCommand):
    help = "Remind departments and staff of overdue consultation recommendations."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="run as of this day (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as e:
            raise CommandError(f"--date: {e}") from e
        for committee in Committee.objects.order_by("pk"):
            counts = reminders.run_all(committee, today)
            self.stdout.write(f"{committee.name}: overdue reminders {counts['overdue']}")
