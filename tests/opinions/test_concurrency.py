"""Two staff at the same moment: issue numbers stay unique and without gaps; a report is forwarded once;
an adoption is recorded once per level."""

import threading

from django.db import connection

from lvzhi.opinions import services as s
from lvzhi.opinions.models import Adoption, BulletinIssue, OpinionReport
from lvzhi.org.models import Committee
from tests.conftest import user

from .conftest import published, today


def _race(n, fn):
    barrier, results, errors = threading.Barrier(n), [], []

    def worker(i):
        try:
            barrier.wait()
            results.append(fn(i))
        except Exception as exc:  # noqa: BLE001 - the refusals are what we count
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return results, errors


def test_two_staff_creating_issues_at_once_get_consecutive_numbers(transactional_demo):
    qt = Committee.objects.get(name="杭州市钱塘区政协")
    before = set(BulletinIssue.objects.filter(committee=qt, year=today().year).values_list("number", flat=True))
    staff = ["xinxi", "office", "xinxi", "office"]
    results, errors = _race(4, lambda i: s.issue_create(committee=qt, by=user(staff[i]), date=today()).number)
    assert errors == []
    numbers = sorted(BulletinIssue.objects.filter(committee=qt, year=today().year).values_list("number", flat=True))
    assert numbers == list(range(1, len(before) + 5))
    assert sorted(results) == numbers[len(before) :]


def test_two_staff_forwarding_at_once_make_one_copy(transactional_demo):
    qt = Committee.objects.get(name="杭州市钱塘区政协")
    report = published(qt)
    results, errors = _race(2, lambda i: s.report_forward(report=report, by=user(["xinxi", "office"][i])))
    assert len(results) == 1 and len(errors) == 1
    assert "已经报送过" in errors[0].message
    assert OpinionReport.objects.filter(forwarded_from=report).count() == 1


def test_two_adoptions_at_the_same_level_at_once_record_one(transactional_demo):
    qt = Committee.objects.get(name="杭州市钱塘区政协")
    report = published(qt)
    results, errors = _race(
        2,
        lambda i: s.adoption_record(
            report=report, by=user(["xinxi", "office"][i]), level="district", body=f"单位{i}", date=today()
        ),
    )
    assert len(results) == 1 and len(errors) == 1
    assert "同一层级只记录一次" in errors[0].message
    assert Adoption.objects.filter(root=report).count() == 1


def test_two_staff_publishing_the_same_report_at_once_publish_it_once(transactional_demo):
    from lvzhi.core.models import Event

    from .conftest import write

    qt = Committee.objects.get(name="杭州市钱塘区政协")
    report = write(qt)
    a = s.issue_create(committee=qt, by=user("xinxi"), date=today())
    b = s.issue_create(committee=qt, by=user("office"), date=today())
    issues = [a, b]
    results, errors = _race(
        2, lambda i: s.issue_publish(issue=issues[i], reports=[report], by=user(["xinxi", "office"][i]))
    )
    assert len(results) == 1 and len(errors) == 1
    report.refresh_from_db()
    assert report.state == "published" and report.issue in issues
    assert Event.objects.filter(action="opinion.publish", subject_id=report.pk).count() == 1
