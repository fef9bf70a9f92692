"""Rebuild the similar-proposal index and retrain the category/unit suggester of every committee (or of
the committees given by id). For cron, or for development without a Celery worker."""

from django.core.management.base import BaseCommand

from lvzhi.org.models import Committee
from lvzhi.proposals.suggest import train
from lvzhi.proposals.tasks_intel import build_index


class Command(BaseCommand):
    help = "Rebuild the similar-proposal index and retrain the suggester (all committees, or the ids given)."

    def add_arguments(self, parser):
        parser.add_argument("committee_ids", nargs="*", type=int)

    def handle(self, *args, committee_ids, **options):
        committees = Committee.objects.order_by("pk")
        if committee_ids:
            committees = committees.filter(pk__in=committee_ids)
        for committee in committees:
            index = build_index(committee)
            trained = train(committee)
            self.stdout.write(f"{committee}: {index.n_docs} proposals indexed, trained on {trained}")
