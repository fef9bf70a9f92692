import threading

import pytest
from django.db import connection

from lvzhi.core.models import Event
from lvzhi.core.workflow import TransitionRefused, apply
from lvzhi.org.models import Member
from lvzhi.org.workflow import MEMBER
from tests.conftest import user


def test_it_applies_a_transition_and_records_the_event(qiantang):
    member = Member.objects.for_committee(qiantang).get(name="朱政")
    event = apply(MEMBER, member, "end", by=user("office"), reason="本人申请辞去委员职务")
    member.refresh_from_db()
    assert member.state == "ended"
    assert event.from_state == "active" and event.to_state == "ended"
    assert event.reason == "本人申请辞去委员职务"
    assert event.actor.username == "office"
    assert event.committee == qiantang


def test_it_refuses_a_role_the_table_does_not_name(qiantang):
    member = Member.objects.for_committee(qiantang).get(name="朱政")
    with pytest.raises(TransitionRefused, match="没有执行"):
        apply(MEMBER, member, "end", by=user("zhuzheng"), reason="x")
    member.refresh_from_db()
    assert member.state == "active"
    assert not Event.objects.filter(action="member.end").exists()


def test_it_requires_a_reason(qiantang):
    member = Member.objects.for_committee(qiantang).get(name="朱政")
    with pytest.raises(TransitionRefused, match="理由"):
        apply(MEMBER, member, "end", by=user("office"), reason="   ")
    assert Member.objects.get(pk=member.pk).state == "active"


def test_it_refuses_an_action_from_the_wrong_state(qiantang):
    member = Member.objects.for_committee(qiantang).get(name="朱政")
    with pytest.raises(TransitionRefused, match="在任"):
        apply(MEMBER, member, "reinstate", by=user("office"), reason="x")


def test_events_are_append_only(qiantang):
    member = Member.objects.for_committee(qiantang).get(name="朱政")
    event = apply(MEMBER, member, "end", by=user("office"), reason="r")
    with pytest.raises(ValueError):
        event.save()


def test_two_concurrent_transitions_apply_once(transactional_demo):
    """Two staff end the same membership at once: one succeeds, the other is refused; one event."""
    from lvzhi.org import demo

    member = Member.objects.get(name="朱政", committee__name=demo.QIANTANG)
    office = user("office")
    results = []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            apply(MEMBER, Member.objects.get(pk=member.pk), "end", by=office, reason="并发")
            results.append("ok")
        except TransitionRefused:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == ["ok", "refused"]
    assert Event.objects.filter(action="member.end", subject_id=member.pk).count() == 1
