"""Two staff edit the same member, both having read version N: the second save is refused, the first kept."""

import threading

import pytest
from django.db import connection

from lvzhi.core.models import Event
from lvzhi.org import demo
from lvzhi.org.models import Member
from lvzhi.org.services import StaleEdit, member_update
from tests.conftest import client_for, user


def test_the_second_of_two_sequential_saves_at_the_same_version_is_refused(qiantang):
    member = Member.objects.for_committee(qiantang).get(name="朱政")
    office = user("office")
    first = Member.objects.get(pk=member.pk)
    second = Member.objects.get(pk=member.pk)
    member_update(member=first, by=office, version=first.version, post="第一位的修改")
    with pytest.raises(StaleEdit, match="该委员的信息已被他人修改"):
        member_update(member=second, by=office, version=second.version, post="第二位的修改")
    member.refresh_from_db()
    assert member.post == "第一位的修改" and member.version == 2
    assert Event.objects.filter(action="member.updated", subject_id=member.pk).count() == 1


def test_two_concurrent_saves_keep_exactly_one(transactional_demo):
    member = Member.objects.get(name="朱政", committee__name=demo.QIANTANG)
    office, read_version = user("office"), member.version
    results: dict[str, str] = {}
    barrier = threading.Barrier(2)

    def worker(post: str):
        try:
            barrier.wait()
            member_update(member=Member.objects.get(pk=member.pk), by=office, version=read_version, post=post)
            results[post] = "saved"
        except StaleEdit:
            results[post] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(p,)) for p in ("甲的修改", "乙的修改")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results.values()) == ["refused", "saved"]
    member.refresh_from_db()
    winner = next(p for p, r in results.items() if r == "saved")
    assert member.post == winner and member.version == read_version + 1
    assert Event.objects.filter(action="member.updated", subject_id=member.pk).count() == 1


def test_two_staff_editing_on_the_pages(qiantang):
    """Both open the edit form (version 1); the first saves; the second is told and changes nothing."""
    from tests.org.test_roster import form_data

    member = Member.objects.for_committee(qiantang).get(name="朱政")
    a, b = client_for("office"), client_for("office")
    for client in (a, b):
        assert 'name="version" value="1"' in client.get(f"/org/members/{member.pk}/edit/").content.decode()
    loaded = Member.objects.get(pk=member.pk)
    assert a.post(f"/org/members/{member.pk}/edit/", form_data(loaded, employer="甲单位")).status_code == 302
    response = b.post(f"/org/members/{member.pk}/edit/", form_data(loaded, employer="乙单位"), follow=True)
    html = response.content.decode()
    assert "该委员的信息已被他人修改" in html
    assert 'name="version" value="2"' in html  # the form reloads the saved data
    member.refresh_from_db()
    assert member.employer == "甲单位" and member.version == 2
