"""The points ledger: derived from events, one line per (event, rule, member).

- `interpret(event)` says what an event is worth: which members get which kind of credit, and which
  earlier event it reverses. It reads the event's subject (an attendance row, a speech, a proposal) or, for
  the capabilities that land later, the contract's data (data["members"], data["lead"], data["level"],
  data["kind"], data["reverses"]).
- `derive(event)` writes the event's lines, incrementally: without a broker in the transaction that records
  the event (`on_event_written`), with one by the Celery worker after it commits (`on_event_recorded`).
  Lines are unique per (event, rule, member): deriving an event twice writes nothing the second time.
- A reversing event (attendance.undo_check_in, attendance.cancel_leave, proposal.key_unmarked, a speech
  moved out of the plenary, any *_revoked) writes lines that cancel exactly the points of the lines of the
  event it reverses, in the year of those lines.
- Caps: in a (member, rule, year) group the lines are taken in the order of their events (time, then id);
  each line counts what is left under the cap; a reversed line and its reversal take no room under it.
  The order is that of the events, not of arrival, so the incremental ledger equals the rebuilt one
  whatever order events were derived in.
- `rebuild(committee, year)` derives the whole year again in one transaction; a second rebuild of the same
  year while one runs is refused (the year is claimed in its own short transaction first).
- A closed year is frozen: nothing is derived into it, reversals of its lines are not written.
"""

import datetime as dt
import json
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.models import Event
from lvzhi.core.workflow import TransitionRefused
from lvzhi.org.models import Member

from .models import Kind, LedgerLine, Rule, RuleSet

log = logging.getLogger(__name__)

ONE_DECIMAL = Decimal("0.1")
LEVELS = ("district", "city", "province", "national")

# Contract events of the capabilities (data["members"], data["lead"]) -> kind (or a function of data).
CONTRACT = {
    "opinion.publish": lambda data: Kind.OPINION_PUBLISHED,
    "opinion.adopt": lambda data: f"opinion_adopted_{data.get('level')}" if data.get("level") in LEVELS else None,
    "opinion.instruct": lambda data: f"opinion_instructed_{data.get('level')}" if data.get("level") in LEVELS else None,
    "consultation.speech": lambda data: (
        Kind.CONSULTATION_WRITTEN if data.get("kind") == "written" else Kind.CONSULTATION_ORAL
    ),
    "consultation.outcome_published": lambda data: Kind.CONSULTATION_OUTCOME,
    "activity.report_submitted": lambda data: Kind.ACTIVITY_REPORT,
    "reading.recorded": lambda data: Kind.READING_RECORD,
}
ATTENDANCE = {
    "attendance.check_in",
    "attendance.leave",
    "attendance.mark_absent",
    "attendance.undo_check_in",
    "attendance.cancel_leave",
}
SPEECH = {"speech.select", "speech.to_written", "speech.decline", "speech.withdraw"}
PROPOSAL = {"proposal.file", "proposal.key_marked", "proposal.key_unmarked", "proposal.excellent"}
ADJUSTED = "evaluation.adjusted"
# Reversals that name their target by the subject: (reversing action) -> the action it reverses.
REVERSES_ON_SUBJECT = {
    "attendance.undo_check_in": "attendance.check_in",
    "attendance.cancel_leave": "attendance.leave",
    "proposal.key_unmarked": "proposal.key_marked",
}
RELEVANT = ATTENDANCE | SPEECH | PROPOSAL | set(CONTRACT) | {ADJUSTED}


def is_relevant(action: str) -> bool:
    return action in RELEVANT or action.endswith("_revoked")


@dataclass(frozen=True)
class Credit:
    kind: str
    member_id: int
    joint: bool = False
    amount: Decimal | None = None  # adjustments carry their own points


@dataclass
class Meaning:
    credits: list
    reverses: list  # event pks


def year_of(moment: dt.datetime) -> int:
    return timezone.localtime(moment).year


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    return start, timezone.make_aware(dt.datetime(year + 1, 1, 1))


# --------------------------------------------------------------------------- what an event means


def _latest_before(event: Event, action: str) -> int | None:
    return (
        Event.objects.filter(
            committee_id=event.committee_id,
            subject_type_id=event.subject_type_id,
            subject_id=event.subject_id,
            action=action,
        )
        .filter(Q(created_at__lt=event.created_at) | Q(created_at=event.created_at, pk__lt=event.pk))
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )


def _subject(event: Event, model_label: str):
    ct = ContentType.objects.get_for_id(event.subject_type_id)
    if f"{ct.app_label}.{ct.model}" != model_label:
        return None
    return ct.model_class()._default_manager.filter(pk=event.subject_id).first()


def _attendance(event: Event) -> Meaning:
    from lvzhi.meetings.models import Meeting

    action = event.action
    if action in REVERSES_ON_SUBJECT:
        target = _latest_before(event, REVERSES_ON_SUBJECT[action])
        return Meaning([], [target] if target else [])
    ct = ContentType.objects.get_for_id(event.subject_type_id)
    if (ct.app_label, ct.model) != ("meetings", "invitation"):
        return Meaning([], [])
    from lvzhi.meetings.models import Invitation

    data = event.data or {}
    if data.get("member") and data.get("kind"):  # named in the event since 2026-11-25: no query
        row = (data["member"], data["kind"])
    else:
        row = Invitation.objects.filter(pk=event.subject_id).values_list("member_id", "meeting__kind").first()
    if row is None:
        return Meaning([], [])
    member_id, kind = row
    plenary, activity = kind == Meeting.Kind.PLENARY, kind == Meeting.Kind.ACTIVITY
    if action == "attendance.check_in":
        credit = Kind.PLENARY_PRESENT if plenary else Kind.ACTIVITY_PRESENT if activity else Kind.MEETING_PRESENT
    elif action == "attendance.leave":
        credit = Kind.PLENARY_LEAVE if plenary else None
    else:  # mark_absent
        credit = Kind.PLENARY_ABSENT if plenary else None if activity else Kind.MEETING_ABSENT
    return Meaning([Credit(credit, member_id)] if credit else [], [])


def _speech(event: Event) -> Meaning:
    speech = _subject(event, "meetings.speech")
    if speech is None:
        return Meaning([], [])
    reverses = []
    if event.from_state == "selected":  # moved out of the plenary: the 大会发言 points go back
        target = _latest_before(event, "speech.select")
        reverses = [target] if target else []
    credits = []
    if event.action == "speech.select":
        credits = [Credit(Kind.SPEECH_PLENARY, speech.member_id)]
    elif event.action == "speech.to_written":
        credits = [Credit(Kind.SPEECH_WRITTEN, speech.member_id)]
    return Meaning(credits, reverses)


def _proposal(event: Event) -> Meaning:
    from lvzhi.proposals.models import CoSigner

    if event.action in REVERSES_ON_SUBJECT:
        target = _latest_before(event, REVERSES_ON_SUBJECT[event.action])
        return Meaning([], [target] if target else [])
    proposal = _subject(event, "proposals.proposal")
    if proposal is None:
        return Meaning([], [])
    kind = {
        "proposal.file": Kind.PROPOSAL_FILED,
        "proposal.key_marked": Kind.PROPOSAL_KEY,
        "proposal.excellent": Kind.PROPOSAL_EXCELLENT,
    }[event.action]
    credits = [Credit(kind, proposal.lead_id)] if proposal.lead_id else []
    cosigners = (
        CoSigner.objects.filter(proposal=proposal, state=CoSigner.State.CONFIRMED)
        .exclude(member_id=proposal.lead_id)
        .order_by("order", "pk")
        .values_list("member_id", flat=True)
    )
    credits += [Credit(kind, pk, joint=True) for pk in dict.fromkeys(cosigners)]
    return Meaning(credits, [])


def _contract(event: Event) -> Meaning:
    data = event.data or {}
    reverses = []
    if event.action.endswith("_revoked") and data.get("reverses") is not None:
        try:
            reverses = [int(data["reverses"])]
        except (TypeError, ValueError):
            reverses = []
    kind = CONTRACT[event.action](data) if event.action in CONTRACT else None
    credits = []
    if kind:
        ids = []
        for value in data.get("members") or []:
            try:
                ids.append(int(value))
            except (TypeError, ValueError):
                continue
        ids = list(dict.fromkeys(ids))
        valid = set(Member.objects.filter(committee_id=event.committee_id, pk__in=ids).values_list("pk", flat=True))
        lead = data.get("lead")
        for pk in ids:
            if pk in valid:
                # With a lead, the others share by the joint weight; without one, each gets the full points.
                credits.append(Credit(kind, pk, joint=lead is not None and pk != lead))
    return Meaning(credits, reverses)


def _adjustment(event: Event) -> Meaning:
    adjustment = _subject(event, "evaluation.adjustment")
    if adjustment is None:
        return Meaning([], [])
    return Meaning([Credit(Kind.ADJUSTMENT, adjustment.member_id, amount=adjustment.points)], [])


def interpret(event: Event) -> Meaning:
    action = event.action
    if action in ATTENDANCE:
        return _attendance(event)
    if action in SPEECH:
        return _speech(event)
    if action in PROPOSAL:
        return _proposal(event)
    if action == ADJUSTED:
        return _adjustment(event)
    if action in CONTRACT or action.endswith("_revoked"):
        return _contract(event)
    return Meaning([], [])


def line_year(event: Event, credit: Credit) -> int:
    if credit.kind == Kind.ADJUSTMENT:  # an adjustment names its year
        from .models import Adjustment

        year = Adjustment.objects.filter(pk=event.subject_id).values_list("year", flat=True).first()
        if year:
            return year
    return year_of(event.created_at)


# --------------------------------------------------------------------------- deriving


def amount(rule: Rule, credit: Credit) -> Decimal:
    if credit.amount is not None:
        return Decimal(credit.amount).quantize(ONE_DECIMAL)
    points = Decimal(rule.points)
    if credit.joint:
        points = points * Decimal(rule.joint_weight)
    return points.quantize(ONE_DECIMAL)


class _RuleSets:
    """The open rule sets (and their rules) of one committee, by year, read once per derivation."""

    def __init__(self, committee_id: int):
        self.committee_id = committee_id
        self._sets: dict[int, tuple[RuleSet | None, dict]] = {}

    def get(self, year: int) -> tuple[RuleSet | None, dict]:
        if year not in self._sets:  # one query: the rules with their rule set (or this process's copy)
            from lvzhi.core import caching

            token = caching.token(caching.committee_token_key("rules", self.committee_id))
            key = f"lvzhi:rules:{self.committee_id}:{year}:{token}"
            found = caching.objects().get(key)
            if found is None:
                rules = {
                    r.kind: r
                    for r in Rule.objects.filter(
                        rule_set__committee_id=self.committee_id, rule_set__year=year
                    ).select_related("rule_set")
                }
                found = (next(iter(rules.values())).rule_set if rules else None, rules)
                caching.objects().set(key, found, caching.TTL)
            self._sets[year] = found
        return self._sets[year]

    def open(self, year: int) -> bool:
        rs, _rules = self.get(year)
        return rs is not None and not rs.is_closed


def derive(event: Event, *, only_year: int | None = None, rule_sets: _RuleSets | None = None, recompute=True):
    """Write the ledger lines of one event (nothing if they exist). Returns the new lines."""
    if not is_relevant(event.action):
        return []
    rule_sets = rule_sets or _RuleSets(event.committee_id)
    meaning = interpret(event)
    lines = []
    for credit in meaning.credits:
        year = line_year(event, credit)
        if only_year is not None and year != only_year:
            continue
        if not rule_sets.open(year):
            continue
        _rs, rules = rule_sets.get(year)
        rule = rules.get(credit.kind)
        if rule is None:
            continue
        raw = amount(rule, credit)
        if raw == 0:
            continue
        lines.append(
            LedgerLine(
                committee_id=event.committee_id,
                member_id=credit.member_id,
                year=year,
                rule=rule,
                event=event,
                raw=raw,
                points=raw,
                joint=credit.joint,
            )
        )
    for target in meaning.reverses:
        reversed_lines = LedgerLine.objects.filter(
            committee_id=event.committee_id, event_id=target, reverses__isnull=True
        ).select_related("rule")
        for old in reversed_lines:
            if (only_year is not None and old.year != only_year) or not rule_sets.open(old.year):
                continue
            if LedgerLine.objects.filter(reverses=old).exists():
                continue
            lines.append(
                LedgerLine(
                    committee_id=event.committee_id,
                    member_id=old.member_id,
                    year=old.year,
                    rule=old.rule,
                    event=event,
                    raw=-old.raw,
                    points=-old.points,
                    joint=old.joint,
                    reverses=old,
                )
            )
    if not lines:
        return []
    # no savepoint of its own: in the recording transaction the caller's savepoint takes it all back
    with transaction.atomic(savepoint=False):
        LedgerLine.objects.bulk_create(lines, ignore_conflicts=True)
        if recompute:
            capped = {(x.member_id, x.rule_id, x.year): x.rule for x in lines if x.rule.cap is not None}
            for (member_id, _rule_id, year), rule in capped.items():
                apply_caps(member_id, rule, year)
    if recompute:
        from . import thresholds

        for member_id, year in {(x.member_id, x.year) for x in lines if x.rule.kind == Kind.PLENARY_ABSENT}:
            thresholds.check_absences(event.committee_id, year, member_ids=[member_id])
    return lines


def _capped(raw: Decimal, cap: Decimal | None, running: Decimal) -> Decimal:
    if cap is None:
        return raw
    if raw >= 0:
        return min(raw, max(Decimal(0), cap - running))
    return max(raw, min(Decimal(0), -cap - running))


def apply_caps(member_id: int, rule: Rule, year: int) -> None:
    """Recount one (member, rule, year) group in the order of its events. The member's row is locked first:
    two events of one member derived at once (two workers) recount one after the other, and the second
    sees the first's line, so the cap holds."""
    Member.objects.select_for_update().filter(pk=member_id).values_list("pk", flat=True).first()
    lines = list(
        LedgerLine.objects.filter(member_id=member_id, rule_id=rule.pk, year=year).order_by(
            "event__created_at", "event_id"
        )
    )
    _recount(lines, rule.cap)


def _recount(lines, cap) -> None:
    """Points of a group's lines in event order under the cap. A reversed line and its reversal cancel
    out and take no room under the cap: a later line counts as if the reversed one had never been."""
    reversed_ids = {line.reverses_id for line in lines if line.reverses_id}
    running, points_of, changed = Decimal(0), {}, []
    for line in lines:
        if line.reverses_id:
            points = -points_of.get(line.reverses_id, -line.points)
        else:
            points = _capped(Decimal(line.raw), None if cap is None else Decimal(cap), running)
            if line.pk not in reversed_ids:
                running += points
        points_of[line.pk] = points
        if points != line.points:
            line.points = points
            changed.append(line)
    if changed:
        LedgerLine.objects.bulk_update(changed, ["points"])


def on_event_written(sender, event, **kwargs) -> None:
    """Incremental derivation without a broker (CELERY_TASK_ALWAYS_EAGER: one process, the tests, the
    embedded database): in the transaction that records the event, from the event in hand, so that a
    check-in is one write transaction and not two (the second took the write lock again; bench/checkin.py).
    The lines commit with their event, or roll back with it. In a savepoint: a failure is logged and undone,
    never raised to the user whose action recorded the event (a rebuild derives it again)."""
    from django.conf import settings

    if not settings.CELERY_TASK_ALWAYS_EAGER or not is_relevant(event.action):
        return
    try:
        with transaction.atomic():
            derive(event)
    except Exception:  # logged (tests/evaluation/test_ledger.py); the year's rebuild repairs it
        log.exception("evaluation: deriving event %s failed", event.pk)


def on_event_recorded(sender, event, **kwargs) -> None:
    """Incremental derivation with a broker, on commit of every event: a Celery task, so the worker derives
    and the request that recorded the event does not wait (without a broker, see `on_event_written`)."""
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER or not is_relevant(event.action):
        return
    from .tasks import derive_event

    try:
        derive_event.delay(event.pk)
    except Exception:  # pragma: no cover - logged; the year's rebuild repairs it
        log.exception("evaluation: queuing the derivation of event %s failed", event.pk)


# --------------------------------------------------------------------------- rebuilding a year

STALE_CLAIM = dt.timedelta(hours=1)


def _claim(rule_set: RuleSet) -> bool:
    now = timezone.now()
    free = Q(rebuild_started_at__isnull=True) | Q(rebuild_started_at__lt=now - STALE_CLAIM)
    # Read first, outside any transaction: a rebuild running holds the writer's lock on SQLite, and a
    # refusal must not wait for it. The conditional update then settles a race between two claims.
    if not RuleSet.objects.filter(free, pk=rule_set.pk).exists():
        return False
    with transaction.atomic():
        return RuleSet.objects.filter(free, pk=rule_set.pk).update(rebuild_started_at=now) == 1


def _release(rule_set: RuleSet) -> None:
    RuleSet.objects.filter(pk=rule_set.pk).update(rebuild_started_at=None)


def rebuild(committee, year: int, *, before=None) -> dict:
    """Derive the whole year again (the ledger of the year is replaced in one transaction). Raises
    TransitionRefused when the year has no rule set, is closed, or is being rebuilt already. `before()`
    runs first in the same transaction (a change of the rules)."""
    rule_set = RuleSet.objects.filter(committee=committee, year=year).first()
    if rule_set is None:
        raise TransitionRefused(_("%(year)s 年度还没有考评规则,请先开始该年度。") % {"year": year})
    if rule_set.is_closed:
        raise TransitionRefused(_("%(year)s 年度已关账,积分不再变动,不能重算。") % {"year": year})
    if not _claim(rule_set):
        raise TransitionRefused(_("%(year)s 年度的积分正在重算,请等当前重算完成后再试。") % {"year": year})
    try:
        with transaction.atomic():
            locked = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
            if locked.is_closed:
                raise TransitionRefused(_("%(year)s 年度已关账,积分不再变动,不能重算。") % {"year": year})
            if before is not None:
                before()
            result = _derive_year(committee, year)
            RuleSet.objects.filter(pk=locked.pk).update(rebuilt_at=timezone.now())
        from . import thresholds

        thresholds.check_absences(committee.pk, year)
        return result
    finally:
        _release(rule_set)


SPEECH_OUT = ("speech.to_written", "speech.decline", "speech.withdraw")
CHUNK = 5000


def _derive_year(committee, year: int) -> dict:
    """Derive a whole year set-wise (the same ledger as deriving its events one by one, in far fewer
    queries): 1. the reversals and what they reverse; 2. the crediting events in order, subjects read a
    chunk at a time, caps counted in memory; 3. the reversal lines. Steps 2 and 3 are done by the database
    (_derive_year_sql) unless SQL_REBUILD is off: this Python derivation is the reference the tests compare
    it with."""
    start, end = year_bounds(year)
    if _sql_rebuild_enabled():
        from django.db import connection

        with connection.cursor() as cursor:  # the DELETE too (checks of the lines reversing lines)
            _skip_row_checks(cursor)
    # One DELETE (the reversal lines of a year reverse lines of the same year: no cascade to collect).
    year_lines = LedgerLine.objects.filter(committee=committee, year=year)
    year_lines._raw_delete(year_lines.db)
    rule_set = RuleSet.objects.filter(committee=committee, year=year).first()
    if rule_set is None or rule_set.is_closed:
        return {"year": year, "lines": 0}
    rules = {r.kind: r for r in rule_set.rules.all()}

    # 1. reversals (rare): the first reversing event of a target wins, as in derive().
    reversed_by: dict[int, Event] = {}
    reversing = Event.objects.filter(committee=committee, created_at__gte=start).filter(
        Q(action__in=list(REVERSES_ON_SUBJECT))
        | Q(action__in=SPEECH_OUT, from_state="selected")
        | Q(action__endswith="_revoked")
    )
    for event in reversing.order_by("created_at", "pk").iterator(chunk_size=CHUNK):
        for target in interpret_reversals(event):
            reversed_by.setdefault(target, event)

    if _sql_rebuild_enabled():
        return _derive_year_sql(committee, year, rule_set, reversed_by)

    # 2. crediting events of the year, in order (adjustments name their year: any time)
    events = (
        Event.objects.filter(committee=committee)
        .filter(
            Q(created_at__gte=start, created_at__lt=end, action__in=CREDITING)
            | Q(action=ADJUSTED)
            | Q(created_at__gte=start, created_at__lt=end, action__in=SPEECH_OUT)
        )
        .order_by("created_at", "pk")
        .values_list("pk", "action", "subject_type_id", "subject_id", "data")
    )
    members = set(Member.objects.filter(committee=committee).values_list("pk", flat=True))
    running: dict[tuple[int, int], Decimal] = {}
    lines_of_target: dict[int, list] = {}
    count = 0
    batch, targets = [], []
    rows = (_Row(*values) for values in events.iterator(chunk_size=CHUNK))
    for chunk in _chunks(rows, CHUNK):
        subjects = _Subjects(chunk)
        for event in chunk:
            for credit in subjects.credits(event, members):
                if credit.kind == Kind.ADJUSTMENT:
                    if subjects.adjustment_year(event) != year:
                        continue
                rule = rules.get(credit.kind)
                if rule is None:
                    continue
                raw = amount(rule, credit)
                if raw == 0:
                    continue
                points = raw
                if rule.cap is not None:
                    key = (credit.member_id, rule.pk)
                    points = _capped(raw, Decimal(rule.cap), running.get(key, Decimal(0)))
                    if event.pk not in reversed_by:
                        running[key] = running.get(key, Decimal(0)) + points
                if event.pk in reversed_by:  # its pk is needed by the reversal: inserted with the ORM
                    line = LedgerLine(
                        committee_id=committee.pk,
                        member_id=credit.member_id,
                        year=year,
                        rule=rule,
                        event_id=event.pk,
                        raw=raw,
                        points=points,
                        joint=credit.joint,
                    )
                    lines_of_target.setdefault(event.pk, []).append(line)
                    targets.append(line)
                else:
                    batch.append((credit.member_id, rule.pk, event.pk, raw, points, credit.joint))
        _insert(committee.pk, year, batch)
        LedgerLine.objects.bulk_create(targets, batch_size=CHUNK)
        count += len(batch) + len(targets)
        batch, targets = [], []

    # 3. reversal lines
    reversals = [
        LedgerLine(
            committee_id=committee.pk,
            member_id=old.member_id,
            year=year,
            rule=old.rule,
            event_id=reversed_by[target].pk,
            raw=-old.raw,
            points=-old.points,
            joint=old.joint,
            reverses_id=old.pk,
        )
        for target, olds in lines_of_target.items()
        for old in olds
    ]
    LedgerLine.objects.bulk_create(reversals, batch_size=CHUNK)
    return {"year": year, "lines": count + len(reversals)}


CREDITING = ["attendance.check_in", "attendance.leave", "attendance.mark_absent", *PROPOSAL, *CONTRACT, "speech.select"]


class _Row:
    """An event as the rebuild reads it (no model instance: a year has millions)."""

    __slots__ = ("pk", "action", "subject_type_id", "subject_id", "data")

    def __init__(self, pk, action, subject_type_id, subject_id, data):
        self.pk, self.action, self.subject_type_id, self.subject_id = pk, action, subject_type_id, subject_id
        self.data = data if isinstance(data, dict) else (json.loads(data) if data else {})


def _insert(committee_id: int, year: int, rows: list) -> None:
    """INSERT ledger lines with executemany (model instances cost more than the database here)."""
    if not rows:
        return
    from django.db import connection

    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(LedgerLine._meta.db_table)
    sql = (
        f"INSERT INTO {table} (committee_id, member_id, year, rule_id, event_id, raw, points, joint, created_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    params = [
        (
            committee_id,
            member_id,
            year,
            rule_id,
            event_id,
            ops.adapt_decimalfield_value(raw, 7, 1),
            ops.adapt_decimalfield_value(points, 7, 1),
            joint,
            now,
        )
        for member_id, rule_id, event_id, raw, points, joint in rows
    ]
    if connection.vendor == "postgresql":  # COPY: the fastest way into PostgreSQL
        copy = (
            f"COPY {table} (committee_id, member_id, year, rule_id, event_id, raw, points, joint, created_at) "
            "FROM STDIN"
        )
        with connection.cursor() as cursor, cursor.cursor.copy(copy) as stream:
            for row in params:
                stream.write_row(row)
        return
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def interpret_reversals(event: Event) -> list[int]:
    """The events a reversing event reverses (as interpret() says, without reading its credits)."""
    if event.action in REVERSES_ON_SUBJECT:
        target = _latest_before(event, REVERSES_ON_SUBJECT[event.action])
        return [target] if target else []
    if event.action in SPEECH_OUT:
        if event.from_state != "selected":
            return []
        target = _latest_before(event, "speech.select")
        return [target] if target else []
    return _contract(event).reverses


class _Subjects:
    """The subjects of a chunk of events, read with one query per kind of subject."""

    def __init__(self, chunk):
        from lvzhi.meetings.models import Invitation, Speech
        from lvzhi.proposals.models import CoSigner, Proposal

        from .models import Adjustment

        ct = ContentType.objects.get_for_model
        self.ct = {
            "invitation": ct(Invitation).pk,
            "speech": ct(Speech).pk,
            "proposal": ct(Proposal).pk,
            "adjustment": ct(Adjustment).pk,
        }

        def ids(name, actions):
            return {e.subject_id for e in chunk if e.subject_type_id == self.ct[name] and e.action in actions}

        self.invitations = {
            pk: (member_id, kind)
            for pk, member_id, kind in Invitation.objects.filter(pk__in=ids("invitation", ATTENDANCE)).values_list(
                "pk", "member_id", "meeting__kind"
            )
        }
        self.speeches = dict(Speech.objects.filter(pk__in=ids("speech", SPEECH)).values_list("pk", "member_id"))
        proposal_ids = ids("proposal", PROPOSAL)
        self.proposals = dict(Proposal.objects.filter(pk__in=proposal_ids).values_list("pk", "lead_id"))
        self.cosigners: dict[int, list[int]] = {}
        for proposal_id, member_id in (
            CoSigner.objects.filter(proposal_id__in=proposal_ids, state=CoSigner.State.CONFIRMED)
            .order_by("order", "pk")
            .values_list("proposal_id", "member_id")
        ):
            self.cosigners.setdefault(proposal_id, []).append(member_id)
        self.adjustments = {
            pk: (member_id, points, year)
            for pk, member_id, points, year in Adjustment.objects.filter(
                pk__in=ids("adjustment", {ADJUSTED})
            ).values_list("pk", "member_id", "points", "year")
        }

    def adjustment_year(self, event) -> int | None:
        row = self.adjustments.get(event.subject_id)
        return row[2] if row else None

    def credits(self, event, members: set) -> list[Credit]:
        from lvzhi.meetings.models import Meeting

        action, sid, st = event.action, event.subject_id, event.subject_type_id
        if action in ATTENDANCE:
            if st != self.ct["invitation"] or sid not in self.invitations:
                return []
            member_id, kind = self.invitations[sid]
            plenary, activity = kind == Meeting.Kind.PLENARY, kind == Meeting.Kind.ACTIVITY
            if action == "attendance.check_in":
                credit = (
                    Kind.PLENARY_PRESENT if plenary else Kind.ACTIVITY_PRESENT if activity else Kind.MEETING_PRESENT
                )
            elif action == "attendance.leave":
                credit = Kind.PLENARY_LEAVE if plenary else None
            elif action == "attendance.mark_absent":
                credit = Kind.PLENARY_ABSENT if plenary else None if activity else Kind.MEETING_ABSENT
            else:
                credit = None
            return [Credit(credit, member_id)] if credit else []
        if action in SPEECH:
            if st != self.ct["speech"] or sid not in self.speeches:
                return []
            kind = {"speech.select": Kind.SPEECH_PLENARY, "speech.to_written": Kind.SPEECH_WRITTEN}.get(action)
            return [Credit(kind, self.speeches[sid])] if kind else []
        if action in PROPOSAL:
            if action in REVERSES_ON_SUBJECT or st != self.ct["proposal"] or sid not in self.proposals:
                return []
            kind = {
                "proposal.file": Kind.PROPOSAL_FILED,
                "proposal.key_marked": Kind.PROPOSAL_KEY,
                "proposal.excellent": Kind.PROPOSAL_EXCELLENT,
            }[action]
            lead = self.proposals[sid]
            credits = [Credit(kind, lead)] if lead else []
            others = [pk for pk in self.cosigners.get(sid, []) if pk != lead]
            return credits + [Credit(kind, pk, joint=True) for pk in dict.fromkeys(others)]
        if action == ADJUSTED:
            if st != self.ct["adjustment"] or sid not in self.adjustments:
                return []
            member_id, points, _year = self.adjustments[sid]
            return [Credit(Kind.ADJUSTMENT, member_id, amount=points)]
        if action in CONTRACT:
            return _contract_credits(event, members)
        return []


def _contract_credits(event: Event, members: set) -> list[Credit]:
    data = event.data or {}
    kind = CONTRACT[event.action](data)
    if not kind:
        return []
    ids = []
    for value in data.get("members") or []:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    lead = data.get("lead")
    return [Credit(kind, pk, joint=lead is not None and pk != lead) for pk in dict.fromkeys(ids) if pk in members]


# --------------------------------------------------------------------------- rebuilding a year in SQL

SQL_REBUILD = True  # PostgreSQL: the year is derived by the database (tests turn it off to compare)


def _sql_rebuild_enabled() -> bool:
    from django.db import connection

    return SQL_REBUILD and connection.vendor in ("postgresql", "sqlite")


def _round_half_even(expr: str) -> str:
    """`expr` (numeric, up to 3 decimals) rounded to 0.1 as Decimal.quantize does (half to even)."""
    t = f"(({expr}) * 10)"
    return (
        f"(CASE WHEN {t} - floor({t}) = 0.5 "
        f"THEN (floor({t}) + CASE WHEN floor({t}) %% 2 <> 0 THEN 1 ELSE 0 END) / 10 "
        f"ELSE round({expr}, 1) END)"
    )


INDEX_REBUILD_MIN = 1_000_000  # events of the year from which the ledger's indexes are built again


def _drop_indexes(cursor, table: str, start, end, committee_id: int) -> list[str]:
    """PostgreSQL, a year of at least INDEX_REBUILD_MIN events (estimated by the planner) and at least half as
    many as the ledger's lines: drop the ledger's secondary indexes and unique constraint (their upkeep, key by
    key in random order, is most of the cost of writing tens of millions of lines); return the statements that
    build them again, sorted, at the end of the rebuild. The ledger is locked meanwhile (pages reading it wait
    for the rebuild): a national year's rebuild is an annual or rule-change operation."""
    if INDEX_REBUILD_MIN > 0:
        cursor.execute(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {Event._meta.db_table} "
            "WHERE committee_id = %s AND created_at >= %s AND created_at < %s",
            [committee_id, start, end],
        )
        plan = cursor.fetchone()[0]
        events = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        lines = max(cursor.fetchone()[0], 0)
        if events < INDEX_REBUILD_MIN or events * 2 < lines:
            return []
    name = table.strip('"')
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'",
        [name],
    )
    restore = []
    for constraint, definition in cursor.fetchall():
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
        restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {definition}')
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        [name],
    )
    for index, definition in cursor.fetchall():
        cursor.execute(f'DROP INDEX "{index}"')
        restore.append(definition)
    return restore


def _changes(cursor) -> int:
    """Rows written by the last INSERT (Python's sqlite3 gives no rowcount for a statement opening with WITH)."""
    if cursor.db.vendor == "sqlite":
        cursor.execute("SELECT changes()")
        return cursor.fetchone()[0]
    return cursor.rowcount


def _skip_row_checks(cursor) -> bool:
    """Write the year's lines without the per-row foreign key checks (at 30 million lines they cost as much as
    the rest of the rebuild): every line is built by joining the rows it references (members of the
    committee, the year's rules, the events), inside this transaction; events are append-only. Needs the
    right to set session_replication_role (a superuser, or GRANT SET ON PARAMETER on PostgreSQL 15+);
    without it the lines are checked row by row as usual."""
    from django.db import DatabaseError

    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
        return True
    except DatabaseError:
        return False


def _derive_year_sql(committee, year: int, rule_set: RuleSet, reversed_by: dict) -> dict:
    """The year's ledger written by PostgreSQL in three statements (the same lines as the Python
    derivation: tests/evaluation/test_rebuild_sql.py compares them):

    1. the credits of every crediting event, joined to their subjects (invitation and meeting, speech,
       proposal and confirmed co-signers, adjustment) or read from data["members"] (jsonb_array_elements,
       members of the committee only), priced by the year's rules (joint weight, rounded half to even);
       caps by a running sum (SUM() OVER the member's lines of the rule in event order, reversed lines
       excluded), clipped: a line counts what is left under the cap;
    2. the reversal lines: minus the lines of each reversed event (the reversals themselves are few and
       interpreted in Python, as derive() does);
    3. a capped adjustment rule (adjustments may be positive and negative) recounted in Python."""
    from django.db import connection

    from lvzhi.meetings.models import Invitation, Meeting, Speech
    from lvzhi.proposals.models import CoSigner, Proposal

    from .models import Adjustment

    start, end = year_bounds(year)
    qn = connection.ops.quote_name
    ct = ContentType.objects.get_for_model
    t_event, t_line, t_rule = qn(Event._meta.db_table), qn(LedgerLine._meta.db_table), qn(Rule._meta.db_table)
    t_inv, t_meeting, t_speech = qn(Invitation._meta.db_table), qn(Meeting._meta.db_table), qn(Speech._meta.db_table)
    t_prop, t_cosigner = qn(Proposal._meta.db_table), qn(CoSigner._meta.db_table)
    t_adj, t_member = qn(Adjustment._meta.db_table), qn(Member._meta.db_table)
    in_year = "e.committee_id = %(c)s AND e.created_at >= %(start)s AND e.created_at < %(end)s"
    pg = connection.vendor == "postgresql"
    if pg:
        member_of = (
            "CASE jsonb_typeof(v) "
            "WHEN 'number' THEN CASE WHEN abs((v #>> '{}')::numeric) < 1e18 "
            "THEN trunc((v #>> '{}')::numeric)::bigint END "
            "WHEN 'string' THEN CASE WHEN (v #>> '{}') ~ '^\\s*[+-]?[0-9]{1,18}\\s*$' "
            "THEN btrim(v #>> '{}')::bigint END "
            "WHEN 'boolean' THEN CASE WHEN v = 'true'::jsonb THEN 1 ELSE 0 END END"
        )
        level_kind = (
            "CASE WHEN e.data ->> 'level' IN ('district', 'city', 'province', 'national') "
            "AND jsonb_typeof(e.data -> 'level') = 'string' THEN '{prefix}' || (e.data ->> 'level') END"
        )
        written = "e.data -> 'kind' = '\"written\"'::jsonb"
    else:
        member_of = (
            "CASE v.type WHEN 'integer' THEN v.value "
            "WHEN 'real' THEN CASE WHEN abs(v.value) < 1e18 THEN CAST(v.value AS INTEGER) END "
            "WHEN 'true' THEN 1 WHEN 'false' THEN 0 "
            "WHEN 'text' THEN CASE WHEN length(trim(v.value)) BETWEEN 1 AND 18 AND ltrim(trim(v.value), '+-') <> '' "
            "AND ltrim(trim(v.value), '+-') NOT GLOB '*[^0-9]*' "
            "AND length(trim(v.value)) - length(ltrim(trim(v.value), '+-')) <= 1 "
            "THEN CAST(trim(v.value) AS INTEGER) END END"
        )
        level_kind = (
            "CASE WHEN json_type(e.data, '$.level') = 'text' AND json_extract(e.data, '$.level') IN "
            "('district', 'city', 'province', 'national') THEN '{prefix}' || json_extract(e.data, '$.level') END"
        )
        written = "json_type(e.data, '$.kind') = 'text' AND json_extract(e.data, '$.kind') = 'written'"
    contract_kind = (
        "CASE e.action "
        f"WHEN 'opinion.publish' THEN '{Kind.OPINION_PUBLISHED}' "
        f"WHEN 'opinion.adopt' THEN {level_kind.format(prefix='opinion_adopted_')} "
        f"WHEN 'opinion.instruct' THEN {level_kind.format(prefix='opinion_instructed_')} "
        f"WHEN 'consultation.speech' THEN CASE WHEN {written} "
        f"THEN '{Kind.CONSULTATION_WRITTEN}' ELSE '{Kind.CONSULTATION_ORAL}' END "
        f"WHEN 'consultation.outcome_published' THEN '{Kind.CONSULTATION_OUTCOME}' "
        f"WHEN 'activity.report_submitted' THEN '{Kind.ACTIVITY_REPORT}' "
        f"WHEN 'reading.recorded' THEN '{Kind.READING_RECORD}' END"
    )
    proposal_kind = (
        f"CASE e.action WHEN 'proposal.file' THEN '{Kind.PROPOSAL_FILED}' "
        f"WHEN 'proposal.key_marked' THEN '{Kind.PROPOSAL_KEY}' ELSE '{Kind.PROPOSAL_EXCELLENT}' END"
    )
    contract_actions = ", ".join(f"'{a}'" for a in CONTRACT)
    if pg:
        contract = f"""
        SELECT DISTINCT x.member_id, x.kind, x.event_id, x.created_at,
          (x.lead IS NOT NULL AND x.lead <> 'null'::jsonb AND x.lead <> to_jsonb(x.member_id)), NULL::numeric
        FROM (
          SELECT {member_of} AS member_id, {contract_kind} AS kind, e.id AS event_id, e.created_at,
            e.data -> 'lead' AS lead
          FROM {t_event} e CROSS JOIN LATERAL jsonb_array_elements(
            CASE WHEN jsonb_typeof(e.data -> 'members') = 'array' THEN e.data -> 'members' ELSE '[]'::jsonb END
          ) AS v
          WHERE {in_year} AND e.action IN ({contract_actions})
        ) x JOIN {t_member} mm ON mm.id = x.member_id AND mm.committee_id = %(c)s
        """
    else:  # SQLite: json_each, json_type
        contract = f"""
        SELECT DISTINCT x.member_id, x.kind, x.event_id, x.created_at, CASE
            WHEN x.lead_type IS NULL OR x.lead_type = 'null' THEN false
            WHEN x.lead_type IN ('integer', 'real') THEN x.lead <> x.member_id ELSE true END, CAST(NULL AS NUMERIC)
        FROM (
          SELECT {member_of} AS member_id, {contract_kind} AS kind, e.id AS event_id, e.created_at,
            json_type(e.data, '$.lead') AS lead_type, json_extract(e.data, '$.lead') AS lead
          FROM {t_event} e, json_each(e.data, '$.members') v
          WHERE {in_year} AND e.action IN ({contract_actions}) AND json_type(e.data, '$.members') = 'array'
        ) x JOIN {t_member} mm ON mm.id = x.member_id AND mm.committee_id = %(c)s
        """
    credits = f"""
        SELECT i.member_id, CASE
            WHEN e.action = 'attendance.check_in' THEN CASE m.kind WHEN 'plenary' THEN '{Kind.PLENARY_PRESENT}'
                WHEN 'activity' THEN '{Kind.ACTIVITY_PRESENT}' ELSE '{Kind.MEETING_PRESENT}' END
            WHEN e.action = 'attendance.leave' THEN CASE WHEN m.kind = 'plenary' THEN '{Kind.PLENARY_LEAVE}' END
            ELSE CASE m.kind WHEN 'plenary' THEN '{Kind.PLENARY_ABSENT}' WHEN 'activity' THEN NULL
                ELSE '{Kind.MEETING_ABSENT}' END
          END AS kind, e.id AS event_id, e.created_at, false AS joint, CAST(NULL AS NUMERIC) AS amount
        FROM {t_event} e JOIN {t_inv} i ON i.id = e.subject_id JOIN {t_meeting} m ON m.id = i.meeting_id
        WHERE {in_year} AND e.subject_type_id = %(ct_inv)s
          AND e.action IN ('attendance.check_in', 'attendance.leave', 'attendance.mark_absent')
      UNION ALL
        SELECT s.member_id, CASE e.action WHEN 'speech.select' THEN '{Kind.SPEECH_PLENARY}'
            ELSE '{Kind.SPEECH_WRITTEN}' END, e.id, e.created_at, false, NULL
        FROM {t_event} e JOIN {t_speech} s ON s.id = e.subject_id
        WHERE {in_year} AND e.subject_type_id = %(ct_speech)s AND e.action IN ('speech.select', 'speech.to_written')
      UNION ALL
        SELECT p.lead_id, {proposal_kind}, e.id, e.created_at, false, NULL
        FROM {t_event} e JOIN {t_prop} p ON p.id = e.subject_id
        WHERE {in_year} AND e.subject_type_id = %(ct_prop)s AND p.lead_id IS NOT NULL
          AND e.action IN ('proposal.file', 'proposal.key_marked', 'proposal.excellent')
      UNION ALL
        SELECT DISTINCT cs.member_id, {proposal_kind}, e.id, e.created_at, true, CAST(NULL AS NUMERIC)
        FROM {t_event} e JOIN {t_prop} p ON p.id = e.subject_id
          JOIN {t_cosigner} cs ON cs.proposal_id = p.id AND cs.state = 'confirmed'
            AND cs.member_id IS DISTINCT FROM p.lead_id
        WHERE {in_year} AND e.subject_type_id = %(ct_prop)s
          AND e.action IN ('proposal.file', 'proposal.key_marked', 'proposal.excellent')
      UNION ALL
        SELECT a.member_id, '{Kind.ADJUSTMENT}', e.id, e.created_at, false, a.points
        FROM {t_event} e JOIN {t_adj} a ON a.id = e.subject_id
        WHERE e.committee_id = %(c)s AND e.action = '{ADJUSTED}' AND e.subject_type_id = %(ct_adj)s
          AND a.year = %(year)s
      UNION ALL {contract}
    """
    columns = "committee_id, member_id, year, rule_id, event_id, raw, points, joint, created_at, reverses_id"
    if pg:
        raw = _round_half_even("r.points * CASE WHEN c.joint THEN r.joint_weight ELSE 1 END")
        lines = f"""
            SELECT c.member_id, r.id AS rule_id, c.event_id, c.created_at, c.joint, r.cap,
              CASE WHEN c.amount IS NOT NULL THEN c.amount ELSE {raw} END AS raw,
              (rv.target IS NOT NULL) AS reversed
            FROM ({credits}) c JOIN {t_rule} r ON r.rule_set_id = %(rs)s AND r.kind = c.kind
            LEFT JOIN _evaluation_reversed rv ON rv.target = c.event_id
        """
        # The lines computed once (MATERIALIZED); the running sum of a capped group in tenths (integers).
        insert_lines = f"""
            WITH l AS MATERIALIZED (
              SELECT x.*, CASE WHEN x.reversed THEN 0 ELSE (x.raw * 10)::bigint END AS counts
              FROM ({lines}) x WHERE x.raw <> 0
            )
            INSERT INTO {t_line} ({columns})
            SELECT %(c)s, member_id, %(year)s, rule_id, event_id, raw, CASE
                WHEN cap IS NULL THEN raw
                WHEN raw >= 0 THEN LEAST(raw, GREATEST(0, cap - sprev))
                ELSE GREATEST(raw, LEAST(0, -cap - sprev)) END, joint, %(now)s, NULL
            FROM (
              SELECT l.member_id, l.rule_id, l.event_id, l.raw, l.cap, l.joint,
                (SUM(l.counts) OVER (PARTITION BY l.member_id, l.rule_id ORDER BY l.created_at, l.event_id
                                     ROWS UNBOUNDED PRECEDING) - l.counts) / 10.0 AS sprev
              FROM l WHERE l.cap IS NOT NULL
              UNION ALL
              SELECT l.member_id, l.rule_id, l.event_id, l.raw, l.cap, l.joint, 0 FROM l WHERE l.cap IS NULL
            ) y
        """
    else:  # SQLite: points in tenths, as integers (its decimals are floating point)
        tenths = "CAST(round(r.points * 10) AS INTEGER)"
        thousandths = f"({tenths} * CAST(round(r.joint_weight * 100) AS INTEGER))"
        joint_tenths = (  # rounded half to even, as Decimal.quantize
            f"(sign({thousandths}) * (abs({thousandths}) / 100 + CASE WHEN abs({thousandths}) %% 100 > 50 "
            f"OR (abs({thousandths}) %% 100 = 50 AND (abs({thousandths}) / 100) %% 2 = 1) THEN 1 ELSE 0 END))"
        )
        lines = f"""
            SELECT c.member_id, r.id AS rule_id, c.event_id, c.created_at, c.joint,
              CAST(round(r.cap * 10) AS INTEGER) AS cap,
              CASE WHEN c.amount IS NOT NULL THEN CAST(round(c.amount * 10) AS INTEGER)
                WHEN c.joint THEN {joint_tenths} ELSE {tenths} END AS raw,
              (rv.target IS NOT NULL) AS reversed
            FROM ({credits}) c JOIN {t_rule} r ON r.rule_set_id = %(rs)s AND r.kind = c.kind
            LEFT JOIN _evaluation_reversed rv ON rv.target = c.event_id
        """
        insert_lines = f"""
            WITH l AS MATERIALIZED (
              SELECT x.*, CASE WHEN x.reversed THEN 0 ELSE x.raw END AS counts FROM ({lines}) x WHERE x.raw <> 0
            )
            INSERT INTO {t_line} ({columns})
            SELECT %(c)s, member_id, %(year)s, rule_id, event_id, raw / 10.0, CASE
                WHEN cap IS NULL THEN raw
                WHEN raw >= 0 THEN min(raw, max(0, cap - sprev))
                ELSE max(raw, min(0, -cap - sprev)) END / 10.0, joint, %(now)s, NULL
            FROM (
              SELECT l.member_id, l.rule_id, l.event_id, l.raw, l.cap, l.joint,
                SUM(l.counts) OVER (PARTITION BY l.member_id, l.rule_id ORDER BY l.created_at, l.event_id
                                    ROWS UNBOUNDED PRECEDING) - l.counts AS sprev
              FROM l WHERE l.cap IS NOT NULL
              UNION ALL
              SELECT l.member_id, l.rule_id, l.event_id, l.raw, l.cap, l.joint, 0 FROM l WHERE l.cap IS NULL
            ) y
        """
    insert_reversals = f"""
        INSERT INTO {t_line} ({columns})
        SELECT %(c)s, l.member_id, %(year)s, l.rule_id, rv.by_event, -l.raw, -l.points, l.joint, %(now)s, l.id
        FROM {t_line} l JOIN _evaluation_reversed rv ON rv.target = l.event_id
        WHERE l.committee_id = %(c)s AND l.year = %(year)s AND l.reverses_id IS NULL
    """
    params = {
        "c": committee.pk,
        "year": year,
        "start": connection.ops.adapt_datetimefield_value(start),
        "end": connection.ops.adapt_datetimefield_value(end),
        "rs": rule_set.pk,
        "now": connection.ops.adapt_datetimefield_value(timezone.now()),
        "ct_inv": ct(Invitation).pk,
        "ct_speech": ct(Speech).pk,
        "ct_prop": ct(Proposal).pk,
        "ct_adj": ct(Adjustment).pk,
    }
    with connection.cursor() as cursor:
        skipped = False
        cursor.execute("DROP TABLE IF EXISTS _evaluation_reversed")
        if pg:
            cursor.execute("SET LOCAL work_mem = '256MB'")
            skipped = _skip_row_checks(cursor)
            cursor.execute(
                "CREATE TEMPORARY TABLE _evaluation_reversed (target bigint PRIMARY KEY, by_event bigint NOT NULL) "
                "ON COMMIT DROP"
            )
            if reversed_by:
                with cursor.cursor.copy("COPY _evaluation_reversed (target, by_event) FROM STDIN") as stream:
                    for target, event in reversed_by.items():
                        stream.write_row((target, event.pk))
            cursor.execute("ANALYZE _evaluation_reversed")
        else:
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB: the ledger's indexes grow by millions of keys
            cursor.execute(
                "CREATE TEMPORARY TABLE _evaluation_reversed (target integer PRIMARY KEY, by_event integer NOT NULL)"
            )
            cursor.executemany(
                "INSERT INTO _evaluation_reversed (target, by_event) VALUES (%s, %s)",
                [(target, event.pk) for target, event in reversed_by.items()],
            )
        indexes = _drop_indexes(cursor, t_line, start, end, committee.pk) if pg else []
        cursor.execute(insert_lines, params)
        count = _changes(cursor)
        if reversed_by:
            cursor.execute(insert_reversals, params)
            count += _changes(cursor)
        if indexes:
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            for statement in indexes:
                cursor.execute(statement)
        cursor.execute("DROP TABLE _evaluation_reversed")
        if skipped:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        if not pg:
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
    adjustment = Rule.objects.filter(rule_set=rule_set, kind=Kind.ADJUSTMENT, cap__isnull=False).first()
    if adjustment is not None:  # positive and negative lines under one cap: counted one by one
        members = (
            LedgerLine.objects.filter(committee=committee, year=year, rule=adjustment)
            .values_list("member_id", flat=True)
            .distinct()
        )
        for member_id in list(members):
            apply_caps(member_id, adjustment, year)
    return {"year": year, "lines": count}
