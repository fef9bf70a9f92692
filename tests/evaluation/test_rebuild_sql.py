"""The year rebuilt by the database (PostgreSQL: set-based SQL) writes exactly the ledger of the Python
derivation: a mixed year with caps (and a capped adjustment rule: positive and negative lines), reversals of
every kind, joint weights rounded half to even, contract data with odd members lists, adjustments. Both
databases rebuild in SQL (ledger._derive_year_sql); the Python rebuild is the reference."""

from decimal import Decimal

from lvzhi.core.workflow import apply
from lvzhi.evaluation import ledger, services
from lvzhi.evaluation.models import Kind, LedgerLine, Rule, RuleSet
from lvzhi.meetings import services as ms
from lvzhi.meetings.models import Invitation
from lvzhi.meetings.workflow import ATTENDANCE
from lvzhi.org.models import Member
from lvzhi.proposals import services as ps
from tests.conftest import user

from .conftest import contract_event, joint_proposal, meeting, member
from .test_ledger import YEAR, snapshot


def _mixed_year(qiantang, hangzhou):
    rs = RuleSet.objects.get(committee=qiantang, year=YEAR)
    rule = Rule.objects.filter(rule_set=rs)
    rule.filter(kind=Kind.OPINION_PUBLISHED).update(points=Decimal("1.3"))  # × 0.5 = 0.65 → 0.6 (half to even)
    rule.filter(kind=Kind.CONSULTATION_OUTCOME).update(points=Decimal("2.5"))  # × 0.5 = 1.25 → 1.2
    rule.filter(kind=Kind.ADJUSTMENT).update(cap=Decimal(4))  # adjustments of both signs under one cap
    rule.filter(kind=Kind.OPINION_ADOPTED_CITY).update(cap=Decimal(8))
    ledger.rebuild(qiantang, YEAR)  # the demo's lines of the year under these rules
    zhu, xu, mao = member(qiantang, "朱政"), member(qiantang, "徐钢"), member(qiantang, "茅徐程")
    others = list(Member.objects.filter(committee=qiantang).exclude(pk__in=[zhu.pk, xu.pk, mao.pk])[:3])
    stranger = Member.objects.filter(committee=hangzhou).first()
    huiwu = user("huiwu")
    plenary, standing = meeting(qiantang), meeting(qiantang, kind="standing", title="常委会议")
    activities = [meeting(qiantang, kind="activity", title=f"调研活动 {i}") for i in range(7)]
    for a in activities:  # 2 each, capped at 10; the second undone, so the sixth counts
        ms.check_in(invitation=ms.invitation_for(a, zhu), by=huiwu, method=Invitation.Method.DESK)
    apply(
        ATTENDANCE, Invitation.objects.get(meeting=activities[1], member=zhu), "undo_check_in", by=huiwu, reason="误签"
    )
    ms.check_in(invitation=ms.invitation_for(plenary, zhu), by=huiwu, method=Invitation.Method.DESK)
    inv = ms.invitation_for(plenary, xu)
    ms.check_in(invitation=inv, by=huiwu, method=Invitation.Method.DESK)
    apply(ATTENDANCE, Invitation.objects.get(pk=inv.pk), "undo_check_in", by=huiwu, reason="误签")
    ms.check_in(invitation=Invitation.objects.get(pk=inv.pk), by=huiwu, method=Invitation.Method.DESK)
    leave = ms.leave_request(invitation=ms.invitation_for(plenary, mao), by=user("maoxucheng"), reason="出差")
    ms.leave_decide(leave=leave, by=huiwu, approve=True)
    apply(ATTENDANCE, ms.invitation_for(plenary, others[0]), "mark_absent", by=None)
    apply(ATTENDANCE, ms.invitation_for(standing, others[1]), "mark_absent", by=None)
    ms.check_in(invitation=ms.invitation_for(standing, zhu), by=huiwu, method=Invitation.Method.DESK)
    speech = ms.speech_apply(meeting=plenary, member=zhu, by=user("zhuzheng"), title="数字经济", text="发言稿")
    ms.speech_decide(speech=speech, by=huiwu, action="select", order=1)
    speech.refresh_from_db()
    ms.speech_decide(speech=speech, by=huiwu, action="to_written")
    p = joint_proposal(qiantang)
    ps.proposal_mark_key(proposal=p, by=user("tiwei"))
    ps.proposal_mark_key(proposal=p, by=user("tiwei"), key=False)
    ps.proposal_mark_key(proposal=p, by=user("tiwei"))
    contract_event(qiantang, "opinion.publish", [mao, zhu, xu], lead=mao)
    contract_event(qiantang, "opinion.publish", [zhu, xu], lead=None)
    adopted = [contract_event(qiantang, "opinion.adopt", [mao, zhu], lead=mao, level="city") for _ in range(3)]
    contract_event(qiantang, "opinion.adopt_revoked", [mao, zhu], lead=mao, reverses=adopted[0].pk)
    contract_event(qiantang, "opinion.adopt_revoked", [mao, zhu], lead=mao, reverses=adopted[0].pk)  # twice: once
    contract_event(qiantang, "opinion.instruct", [zhu], lead=zhu, level="national", leader="某领导")
    contract_event(qiantang, "opinion.adopt", [zhu], lead=zhu, level="galaxy")  # unknown level: nothing
    contract_event(qiantang, "consultation.speech", [xu], lead=xu, kind="written")
    contract_event(qiantang, "consultation.speech", [xu], lead=xu, kind="oral")
    contract_event(qiantang, "consultation.outcome_published", [zhu, xu, mao], lead=None)
    contract_event(qiantang, "consultation.outcome_published", [zhu, xu], lead=zhu)
    contract_event(qiantang, "activity.report_submitted", [xu, zhu, stranger], lead=xu)
    from lvzhi.core import events

    odd = [str(zhu.pk), zhu.pk, f" {mao.pk} ", "x", None, stranger.pk, others[2].pk]  # strings, duplicates, junk
    events.record(subject=zhu, action="reading.recorded", committee=qiantang, data={"members": odd, "lead": zhu.pk})
    events.record(subject=zhu, action="reading.recorded", committee=qiantang, data={"members": "x", "lead": None})
    events.record(subject=xu, action="reading.recorded", committee=qiantang, data={"members": [xu.pk], "lead": "1"})
    readings = [contract_event(qiantang, "reading.recorded", [xu], lead=xu) for _ in range(12)]
    contract_event(qiantang, "reading.recorded_revoked", [xu], reverses=readings[3].pk)
    office = user("office")
    for value in ("5", "-3", "2", "-6", "1.5"):
        services.adjust(committee=qiantang, member=zhu, year=YEAR, points=value, reason="测试", by=office)
    services.adjust(committee=qiantang, member=xu, year=YEAR, points="-2.5", reason="测试", by=office)


def test_sql_rebuild_writes_the_python_ledger(qiantang, hangzhou, django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        _mixed_year(qiantang, hangzhou)
    incremental = snapshot(qiantang)
    kinds = set(LedgerLine.objects.filter(committee=qiantang, year=YEAR).values_list("rule__kind", flat=True))
    assert {Kind.ACTIVITY_PRESENT, Kind.PROPOSAL_KEY, Kind.READING_RECORD, Kind.ADJUSTMENT} <= kinds
    assert LedgerLine.objects.filter(committee=qiantang, year=YEAR, reverses__isnull=False).count() >= 5
    zhu = member(qiantang, "朱政")
    adjustments = LedgerLine.objects.filter(member=zhu, year=YEAR, rule__kind=Kind.ADJUSTMENT)
    assert any(x.points != x.raw for x in adjustments)  # the cap of 4 bites
    monkeypatch.setattr(ledger, "SQL_REBUILD", False)
    ledger.rebuild(qiantang, YEAR)
    python = snapshot(qiantang)
    assert python == incremental
    monkeypatch.setattr(ledger, "SQL_REBUILD", True)
    result = ledger.rebuild(qiantang, YEAR)
    assert snapshot(qiantang) == python
    assert result["lines"] == len(python)
    published = LedgerLine.objects.filter(committee=qiantang, year=YEAR, rule__kind=Kind.OPINION_PUBLISHED)
    values = {x.points for x in published}
    assert Decimal("0.6") in values and Decimal("0.7") not in values  # 1.3 × 0.5 = 0.65: half to even


def test_sql_rebuild_is_the_path_of_both_databases(qiantang, monkeypatch):
    called = []
    real = ledger._derive_year_sql
    monkeypatch.setattr(ledger, "_derive_year_sql", lambda *a, **k: called.append(1) or real(*a, **k))
    ledger.rebuild(qiantang, YEAR)
    assert called


def test_sql_rebuild_with_the_indexes_built_again_writes_the_same_ledger(qiantang, monkeypatch):
    """The national-size path (PostgreSQL drops the ledger's indexes and builds them again): same lines, same
    indexes and unique constraint afterwards."""
    from django.db import connection

    ledger.rebuild(qiantang, YEAR)
    before = snapshot(qiantang)

    def indexes():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'evaluation_ledgerline'")
            else:
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'evaluation_ledgerline'")
            return sorted(cursor.fetchall())

    names = indexes()
    monkeypatch.setattr(ledger, "INDEX_REBUILD_MIN", 0)
    ledger.rebuild(qiantang, YEAR)
    assert snapshot(qiantang) == before
    assert indexes() == names
