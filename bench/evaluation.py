"""Benchmark: the duty evaluation's ledger at scale (issue 6 "Figures").

Fills a fresh database with ONE committee of BENCH_MEMBERS members and BENCH_EVENTS events of the year
(attendance rows checked in at plenaries and duty activities, on leave, absent, and the contract events of
the capabilities that land later: opinion reports published with co-authors, reading records), then
measures:

    rebuild      ledger.rebuild(committee, year): the whole year derived again (set-based, one transaction)
    incremental  ledger.derive(event) of BENCH_SAMPLE new check-in events, one at a time (p50/p95)
    page         GET /evaluation/?year= (the member's score page) of BENCH_SAMPLE members (p50/p95)

and prints ONE JSON line (progress on stderr), with the rebuild extrapolated linearly to the issue's
national size (600,000 members, 30,000,000 events). Goals: rebuild of the national year under 10 minutes on
PostgreSQL, incremental p95 under 5 ms, page p95 under 50 ms.

    .venv/bin/python bench/evaluation.py                       # SQLite (bench/out/evaluation.sqlite3)
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lvzhi_bench_evaluation .venv/bin/python bench/evaluation.py

Environment: BENCH_MEMBERS (20000), BENCH_EVENTS (500000), BENCH_SAMPLE (200), BENCH_DATABASE_URL (a
PostgreSQL database that is created and dropped; without it SQLite).
"""

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
MEMBERS = int(os.getenv("BENCH_MEMBERS", "20000"))
EVENTS = int(os.getenv("BENCH_EVENTS", "500000"))
SAMPLE = int(os.getenv("BENCH_SAMPLE", "200"))
NATIONAL_EVENTS = 30_000_000
YEAR = 2025


def log(*args) -> None:
    print("[bench/evaluation]", *args, file=sys.stderr, flush=True)


def pct(values, p):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * p / 100))], 2)


def run() -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
    import django

    django.setup()
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from bench.members import insert_rows
    from lvzhi.accounts.models import User
    from lvzhi.core import events as core_events
    from lvzhi.core.models import Event
    from lvzhi.core.roles import Role
    from lvzhi.evaluation import ledger, services
    from lvzhi.evaluation.models import LedgerLine, RuleSet
    from lvzhi.meetings.models import Invitation, Meeting
    from lvzhi.org.models import Committee, Level, Member, Membership, Party, Sector, Term

    setup_test_environment()
    rng = random.Random(2025)
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    staff = User.objects.create(username="bench_staff", mobile="13900000000", display_name="机关")
    with transaction.atomic():
        committee = Committee.objects.create(name="基准全国政协", short_name="基准", level=Level.NATIONAL)
        term = Term.objects.create(committee=committee, number=1, name="第一届", start_date=dt.date(2023, 3, 1))
        sectors = Sector.objects.bulk_create(Sector(committee=committee, name=f"界别{i}", order=i) for i in range(34))
        parties = Party.objects.bulk_create(Party(committee=committee, name=f"党派{i}", order=i) for i in range(10))
        insert_rows(
            Member,
            [
                {
                    "committee_id": committee.pk,
                    "term_id": term.pk,
                    "name": f"委员{i}",
                    "mobile": f"137{i:08d}",
                    "sector_id": rng.choice(sectors).pk,
                    "party_id": rng.choice(parties).pk,
                }
                for i in range(MEMBERS)
            ],
        )
        member_ids = list(Member.objects.filter(committee=committee).values_list("pk", flat=True))
        start = timezone.make_aware(dt.datetime(YEAR, 1, 1))
        n_meetings = max(10, EVENTS // max(MEMBERS, 1) * 2)
        meetings = Meeting.objects.bulk_create(
            Meeting(
                committee=committee,
                kind="plenary" if i < 4 else "activity",
                title=f"会议{i}",
                place="大会堂",
                starts_at=start + dt.timedelta(days=i % 360),
                ends_at=start + dt.timedelta(days=i % 360, hours=3),
                doors_open_at=start + dt.timedelta(days=i % 360),
                state="closed",
                created_by=staff,
            )
            for i in range(n_meetings)
        )
        ct_inv = ContentType.objects.get_for_model(Invitation).pk
        ct_member = ContentType.objects.get_for_model(Member).pk
        # attendance: 70 % of the events, each on its own invitation (member, meeting) pair
        n_att = int(EVENTS * 0.7)
        pairs, seen = [], set()
        while len(pairs) < n_att:
            pair = (rng.choice(meetings).pk, rng.choice(member_ids))
            if pair not in seen:
                seen.add(pair)
                pairs.append(pair)
        insert_rows(
            Invitation,
            [{"committee_id": committee.pk, "meeting_id": m, "member_id": mem, "state": "present"} for m, mem in pairs],
        )
        invitation_ids = list(Invitation.objects.filter(committee=committee).values_list("pk", flat=True))
        span = 360 * 24 * 3600
        rows = []
        for pk in invitation_ids:
            r = rng.random()
            action = "attendance.check_in" if r < 0.9 else "attendance.leave" if r < 0.97 else "attendance.mark_absent"
            rows.append((action, ct_inv, pk, {}))
        for _i in range(EVENTS - len(rows)):
            if rng.random() < 0.6:
                m = rng.choice(member_ids)
                rows.append(("reading.recorded", ct_member, m, {"members": [m], "lead": m}))
            else:
                authors = rng.sample(member_ids, 2)
                rows.append(("opinion.publish", ct_member, authors[0], {"members": authors, "lead": authors[0]}))
        rng.shuffle(rows)
        moments = sorted(start + dt.timedelta(seconds=rng.randrange(span)) for _ in rows)
        insert_rows(
            Event,
            [
                {
                    "committee_id": committee.pk,
                    "subject_type_id": st,
                    "subject_id": sid,
                    "action": action,
                    "data": json.dumps(data),
                    "created_at": when,
                }
                for (action, st, sid, data), when in zip(rows, moments, strict=True)
            ],
        )
        services.create_year(committee, YEAR)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    filled = time.perf_counter() - started
    log(f"filled {MEMBERS} members, {EVENTS} events in {filled:.0f} s")

    t = time.perf_counter()
    result = ledger.rebuild(committee, YEAR)
    rebuild_s = time.perf_counter() - t
    log(f"rebuild: {result['lines']} lines in {rebuild_s:.1f} s")

    # incremental: new check-ins (on invitations of a new activity), derived one at a time
    meeting = Meeting.objects.create(
        committee=committee,
        kind="activity",
        title="调研",
        place="x",
        starts_at=timezone.now(),
        ends_at=timezone.now(),
        doors_open_at=timezone.now(),
        created_by=staff,
    )
    if not RuleSet.objects.filter(committee=committee, year=timezone.localdate().year).exists():
        services.create_year(committee, timezone.localdate().year)
    sample_members = rng.sample(member_ids, SAMPLE)
    invitations = Invitation.objects.bulk_create(
        Invitation(committee=committee, meeting=meeting, member_id=m) for m in sample_members
    )
    derive_ms = []
    for inv in invitations:
        with transaction.atomic():
            event = core_events.record(subject=inv, action="attendance.check_in", committee=committee)
        t = time.perf_counter()
        ledger.derive(event)
        derive_ms.append((time.perf_counter() - t) * 1000)
    log(f"incremental p95 {pct(derive_ms, 95)} ms")

    # the member's score page
    users = User.objects.bulk_create(
        User(username=f"bm{i}", mobile=f"136{i:08d}", display_name=f"委员{i}") for i in range(len(sample_members))
    )
    Member.objects.bulk_update(
        [Member(pk=m, user_id=u.pk) for m, u in zip(sample_members, users, strict=True)], ["user_id"]
    )
    Membership.objects.bulk_create(Membership(user=u, committee=committee, role=Role.MEMBER) for u in users)
    page_ms = []
    for u in users:
        client = Client()
        client.force_login(u)
        client.get(f"/evaluation/?year={YEAR}")  # warm the session
        t = time.perf_counter()
        response = client.get(f"/evaluation/?year={YEAR}")
        page_ms.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.status_code
    log(f"page p95 {pct(page_ms, 95)} ms")
    lines = LedgerLine.objects.filter(committee=committee, year=YEAR).count()
    return {
        "database": connection.vendor,
        "members": MEMBERS,
        "events": EVENTS,
        "lines": lines,
        "rebuild_s": round(rebuild_s, 1),
        "rebuild_events_per_s": round(EVENTS / rebuild_s),
        "national_rebuild_min_extrapolated": round(NATIONAL_EVENTS / (EVENTS / rebuild_s) / 60, 1),
        "incremental_ms": {"p50": pct(derive_ms, 50), "p95": pct(derive_ms, 95)},
        "page_ms": {"p50": pct(page_ms, 50), "p95": pct(page_ms, 95)},
        "goals": {
            "incremental_p95_under_5ms": pct(derive_ms, 95) < 5,
            "page_p95_under_50ms": pct(page_ms, 95) < 50,
            "national_rebuild_under_10min": NATIONAL_EVENTS / (EVENTS / rebuild_s) / 60 < 10,
        },
    }


def main() -> None:
    if os.getenv("BENCH_CHILD"):
        print(json.dumps(run(), ensure_ascii=False))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, BENCH_CHILD="1", PYTHONPATH=str(ROOT), LOG_LEVEL="WARNING")
    env.pop("DEBUG", None)
    url = os.getenv("BENCH_DATABASE_URL")
    if url:
        env["DATABASE_URL"] = url
        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    else:
        path = OUT / "evaluation.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(path)
    try:
        subprocess.run([sys.executable, __file__], env=env, check=True)
    finally:
        if url:
            subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=False)


if __name__ == "__main__":
    main()
