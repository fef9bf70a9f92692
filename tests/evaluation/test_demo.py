"""The demo: a rule set for every year of the demo's events, a meaningful 2021, at least one warning;
loading it again keeps what is there."""

from django.utils import timezone

from lvzhi.evaluation import demo
from lvzhi.evaluation.models import AnnualReport, LedgerLine, RuleSet, Warning
from lvzhi.org.models import Member


def test_demo_years_ledger_and_warnings(qiantang):
    years = list(RuleSet.objects.filter(committee=qiantang).order_by("year").values_list("year", "state"))
    this_year = timezone.localdate().year
    assert years[0] == (2021, "closed") and years[-1] == (this_year, "open")
    scored = LedgerLine.objects.filter(committee=qiantang, year=2021).values("member").distinct().count()
    assert scored == Member.objects.filter(committee=qiantang, state="active").count()  # everyone was invited
    assert Warning.objects.filter(committee=qiantang, state="open").exists()
    assert Warning.objects.filter(committee=qiantang, state="dismissed").exists()
    assert AnnualReport.objects.filter(committee=qiantang, standing=True, state="submitted").exists()


def test_demo_load_is_idempotent(qiantang):
    counts = (RuleSet.objects.count(), LedgerLine.objects.count(), Warning.objects.count())
    demo.load(qiantang)
    assert (RuleSet.objects.count(), LedgerLine.objects.count(), Warning.objects.count()) == counts
