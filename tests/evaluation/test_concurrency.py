"""Two rebuilds of one year at once: the second is refused with a clear message, the ledger unchanged."""

import threading

from django.db import connection
from django.utils import timezone

from lvzhi.core.workflow import TransitionRefused
from lvzhi.evaluation import ledger
from lvzhi.evaluation.models import LedgerLine, RuleSet
from lvzhi.org.demo import QIANTANG
from lvzhi.org.models import Committee

YEAR = timezone.localdate().year


def snapshot(committee):
    return sorted(
        LedgerLine.objects.filter(committee=committee, year=YEAR).values_list(
            "event_id", "rule__kind", "member_id", "points"
        )
    )


def test_second_rebuild_refused_while_the_first_runs(transactional_demo, monkeypatch):
    qiantang = Committee.objects.get(name=QIANTANG)
    before = snapshot(qiantang)
    assert before
    first_inside, second_done = threading.Event(), threading.Event()
    real = ledger._derive_year

    def slow(committee, year):
        first_inside.set()
        assert second_done.wait(30)
        return real(committee, year)

    monkeypatch.setattr(ledger, "_derive_year", slow)
    results, errors = {}, []

    def first():
        try:
            results["first"] = ledger.rebuild(Committee.objects.get(pk=qiantang.pk), YEAR)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    def second():
        try:
            assert first_inside.wait(30)
            ledger.rebuild(Committee.objects.get(pk=qiantang.pk), YEAR)
            results["second"] = "ran"
        except TransitionRefused as e:
            results["second"] = e.message
        except Exception as e:  # noqa: BLE001
            errors.append(e)
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert "正在重算" in results["second"]
    assert results["first"]["lines"] == len(before)
    assert snapshot(qiantang) == before
    assert RuleSet.objects.get(committee=qiantang, year=YEAR).rebuild_started_at is None  # released


def test_two_events_of_one_member_derived_at_once_keep_the_cap(transactional_demo):
    """A capped rule (research reports: 5 points, at most 20 a year): a member at 15 points gets two
    reports recorded at the same moment by two workers; together they bring 5 points, not 10."""
    from django.db import transaction

    from lvzhi.evaluation.models import Kind
    from lvzhi.org.models import Member

    from .conftest import contract_event

    qiantang = Committee.objects.get(name=QIANTANG)
    busy = LedgerLine.objects.filter(committee=qiantang, year=YEAR).values("member_id")
    member = Member.objects.for_committee(qiantang).filter(state="active").exclude(pk__in=busy).first()
    for _ in range(3):
        with transaction.atomic():
            contract_event(qiantang, "activity.report_submitted", [member], lead=member)

    def total():
        lines = LedgerLine.objects.filter(member=member, year=YEAR, rule__kind=Kind.ACTIVITY_REPORT)
        return sum(lines.values_list("points", flat=True))

    assert total() == 15
    start, errors = threading.Barrier(2), []

    def report():
        try:
            start.wait(10)
            with transaction.atomic():
                contract_event(qiantang, "activity.report_submitted", [member], lead=member)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=report) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert LedgerLine.objects.filter(member=member, year=YEAR, rule__kind=Kind.ACTIVITY_REPORT).count() == 5
    assert total() == 20
