"""Rebuild a year's points ledger: `manage.py evaluation_rebuild 2021 [--committee NAME]` (every committee
with a rule set for that year by default)."""

from django.core.management.base import BaseCommand, CommandError

from lvzhi.core.workflow import TransitionRefused
from lvzhi.evaluation import ledger
from lvzhi.evaluation.models import RuleSet
from lvzhi.org.models import Committee


class Command(BaseCommand):
    help = "Rebuild the duty-evaluation ledger of a year"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--committee", help="committee name (default: every committee with that year)")

    def handle(self, *args, year, committee=None, **options):
        committees = Committee.objects.filter(pk__in=RuleSet.objects.filter(year=year).values("committee_id")).order_by(
            "pk"
        )
        if committee:
            committees = committees.filter(name=committee)
            if not committees.exists():
                raise CommandError(f"no rule set of {year} for committee {committee!r}")
        failed = False
        for c in committees:
            try:
                result = ledger.rebuild(c, year)
                self.stdout.write(f"{c.name} {year}: {result['lines']} lines")
            except TransitionRefused as exc:
                failed = True
                self.stderr.write(f"{c.name} {year}: {exc.message}")
        if failed:
            raise CommandError("some rebuilds were refused")
