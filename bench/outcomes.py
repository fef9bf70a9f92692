"""Benchmark: the open-recommendations page of a province-sized deployment, next to a minimal Django view.

Fills a database with 100 committees, each with 20 departments (handling units), 20 consultations with
their outcome reports, and together 20,000 numbered recommendations sent to one or two departments each
(about 30,000 follow-ups, 60 % still open, most of them overdue as their sending dates spread over a year;
the measured committee holds a tenth of them) with 200,000 implementation records
(steps). Serves the product with gunicorn (2 worker processes) and measures under concurrent keep-alive
load, logged in as the consultation staff (zhuanwei's role) of the first committee:

    minimal          GET /bench/minimal                                 a view that returns "ok", no log-in
    minimal_session  the same view with the staff session: the cost of session, user and committee
    open             GET /consultations/staff/open/                     the open-recommendations page (50 rows)
    open_overdue     GET /consultations/staff/open/?overdue=on&min_age=30   filtered
    open_unit        GET /consultations/staff/open/?unit=<id>           one department
    api              GET /api/v1/consultations/open-recommendations?limit=50   the same through the API

on SQLite (a file in bench/out/) and on PostgreSQL (a database `lvzhi_bench_outcomes` created and dropped
here; skipped with a note when the server is not reachable). Prints ONE JSON line on stdout: requests/s,
p50/p95/p99 in ms, the ratio to the minimal view, the queries each target runs (count, SQL time, the
slowest statement) and the CPU milliseconds one request costs in one process (`load_average` is recorded:
the machine may be shared). Progress goes to stderr. Goal checked: p95 under 100 ms on every target.

How the page stays fast: one COUNT (with the overdue count in the same statement) over the partial index
of the committee's open follow-ups, then one page of 50 rows ordered by due date on the same index, with
the age, the step count and the latest step computed by the database for those 50 rows only.

    .venv/bin/python bench/outcomes.py                    # both databases, full size
    .venv/bin/python bench/outcomes.py --quick --only sqlite   # a quick look (2,000 recommendations)

Environment: BENCH_RECOMMENDATIONS (20000), BENCH_STEPS (200000), BENCH_COMMITTEES (100),
BENCH_CONCURRENCY (4), BENCH_SECONDS (8), BENCH_WORKERS (2), BENCH_PORT (8390), BENCH_PG_URL,
BENCH_DATABASES (sqlite,postgresql), BENCH_KEEP=1 keeps the SQLite file. The serving and load helpers
are those of bench/members.py.
"""

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import members as m  # noqa: E402 - the shared serve/load/insert helpers

OUT = ROOT / "bench" / "out"
RECOMMENDATIONS = int(os.getenv("BENCH_RECOMMENDATIONS", "20000"))
STEPS = int(os.getenv("BENCH_STEPS", "200000"))
COMMITTEES = int(os.getenv("BENCH_COMMITTEES", "100"))
UNITS = 20
PORT = int(os.getenv("BENCH_PORT", "8390"))
PG_DB = "lvzhi_bench_outcomes"
DATABASES = os.getenv("BENCH_DATABASES", "sqlite,postgresql").split(",")
GOAL_P95_MS = 100.0
TARGETS = {
    "minimal": "/bench/minimal",
    "minimal_session": "/bench/minimal",
    "open": "/consultations/staff/open/",
    "open_overdue": "/consultations/staff/open/?overdue=on&min_age=30",
    "open_unit": "/consultations/staff/open/?unit={unit}",
    "api": "/api/v1/consultations/open-recommendations?limit=50",
}


def log(*args) -> None:
    print("[bench/outcomes]", *args, file=sys.stderr, flush=True)


def fill() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench._settings")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from lvzhi.accounts.models import User
    from lvzhi.consultations.models import Consultation, Outcome, Recommendation, Response, Step
    from lvzhi.core.roles import Role
    from lvzhi.org.models import Committee, HandlingUnit, Level, Membership

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    rng = random.Random(2026)
    today = timezone.localdate()
    with transaction.atomic():
        province = Committee.objects.create(name="基准省政协", short_name="基准省", level=Level.PROVINCE)
        committees = Committee.objects.bulk_create(
            Committee(name=f"基准县{i:03d}政协", short_name=f"基准县{i:03d}", level=Level.DISTRICT, parent=province)
            for i in range(1, COMMITTEES + 1)
        )
        units = HandlingUnit.objects.bulk_create(
            HandlingUnit(committee=c, name=f"部门{j:02d}", order=j) for c in committees for j in range(UNITS)
        )
        units_of = {c.pk: [u for u in units if u.committee_id == c.pk] for c in committees}
        staff = User.objects.create(username="bench_staff", display_name="专委会", password="!bench")
        Membership.objects.create(user=staff, committee=committees[0], role=Role.STAFF_SPECIAL)

        # The measured committee (the first) is the busiest: a tenth of all recommendations; the others share
        # the rest. A province's own committee carries more than a county's.
        per_outcome = 10
        each = (RECOMMENDATIONS * 9 // 10) // (COMMITTEES - 1) // per_outcome * per_outcome
        share = {c.pk: each for c in committees[1:]}
        share[committees[0].pk] = RECOMMENDATIONS - each * (COMMITTEES - 1)  # about a tenth, and the remainder
        consultations = []
        for c in committees:
            for k in range(-(-share[c.pk] // per_outcome)):
                consultations.append({
                    "committee_id": c.pk, "title": f"协商{k}", "kind": "themed", "state": "held",
                    "held_on": today - dt.timedelta(days=rng.randint(30, 400)), "created_by_id": staff.pk,
                    "topic_id": None, "lead_id": None, "sub_district_id": None, "opens_at": None, "closes_at": None,
                })  # fmt: skip
        m.insert_rows(Consultation, consultations)
        c_ids = list(Consultation.objects.order_by("pk").values_list("pk", "committee_id", "held_on"))
        m.insert_rows(
            Outcome,
            [
                {"committee_id": cid, "consultation_id": pk, "supervision_id": None, "title": f"协商成果{pk}",
                 "summary": "成果报告。", "state": "sent", "sent_at": None, "published_at": None}
                for pk, cid, _held in c_ids
            ],
        )  # fmt: skip
        outcomes = list(Outcome.objects.order_by("pk").values_list("pk", "committee_id", "consultation__held_on"))
        recs = [
            {"committee_id": cid, "outcome_id": oid, "number": n, "text": f"关于第 {n} 项工作的建议,请抓紧落实。",
             "due_date": None}
            for oid, cid, _held in outcomes for n in range(1, per_outcome + 1)
        ]  # fmt: skip
        m.insert_rows(Recommendation, recs)
        sent_of = {oid: held + dt.timedelta(days=14) for oid, _cid, held in outcomes}
        rec_rows = list(Recommendation.objects.order_by("pk").values_list("pk", "committee_id", "outcome_id"))
        responses = []
        for pk, cid, oid in rec_rows:
            sent = sent_of[oid]
            for unit in rng.sample(units_of[cid], 1 if rng.random() < 0.5 else 2):
                roll = rng.random()
                state = (
                    "closed" if roll < 0.4 else "sent" if roll < 0.55 else "answered" if roll < 0.7 else "implementing"
                )
                responses.append({
                    "committee_id": cid, "recommendation_id": pk, "unit_id": unit.pk, "state": state, "sent_on": sent,
                    "due_date": sent + dt.timedelta(days=90), "adoption": "" if state == "sent" else "adopted",
                    "reason": "", "answer": "" if state == "sent" else "采纳。", "answered_at": None,
                    "feedback": "已完成。" if state == "closed" else "", "fed_back_at": None, "reminded_on": None,
                })  # fmt: skip
        m.insert_rows(Response, responses)
        resp_rows = list(Response.objects.exclude(state="sent").values_list("pk", "committee_id", "sent_on"))
        steps = []
        for _i in range(STEPS):
            pk, cid, sent = resp_rows[rng.randrange(len(resp_rows))]
            steps.append({
                "committee_id": cid, "response_id": pk, "date": sent + dt.timedelta(days=rng.randint(1, 120)),
                "text": "推进落实情况记录。", "created_by_id": staff.pk,
            })  # fmt: skip
        m.insert_rows(Step, steps)
    filled = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    session_key, token = m.login(staff)
    unit = units_of[committees[0].pk][3]
    paths = {k: v.format(unit=unit.pk) for k, v in TARGETS.items()}
    costs = m.profile(paths, session_key, token, session_targets=set(paths) - {"minimal", "api"})
    return {
        "session": session_key,
        "token": token,
        "paths": paths,
        "migrate_s": round(migrated - started, 1),
        "fill_s": round(filled - migrated, 1),
        "recommendations": Recommendation.objects.count(),
        "responses": Response.objects.count(),
        "open_responses": Response.objects.filter(state__in=["sent", "answered", "implementing"]).count(),
        "steps": Step.objects.count(),
        "committees": len(committees),
        "open_in_measured_committee": Response.objects.filter(
            committee=committees[0], state__in=["sent", "answered", "implementing"]
        ).count(),
        **costs,
    }


def run_database(kind: str, port: int) -> dict:
    sqlite_path = OUT / "outcomes.sqlite3"
    database_url = None
    admin = None
    if kind == "postgresql":
        import psycopg

        try:
            admin = psycopg.connect(m.PG_ADMIN_URL, autocommit=True, connect_timeout=3)
        except psycopg.OperationalError as e:
            return {"skipped": f"PostgreSQL not reachable at {m.PG_ADMIN_URL}: {str(e).strip()[:120]}"}
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {PG_DB}")
        database_url = urlunsplit(urlsplit(m.PG_ADMIN_URL)._replace(path=f"/{PG_DB}"))
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    env = m._env(database_url, sqlite_path)
    env["BENCH_RECOMMENDATIONS"], env["BENCH_STEPS"] = str(RECOMMENDATIONS), str(STEPS)
    proc = None
    try:
        log(f"{kind}: filling {RECOMMENDATIONS} recommendations, {STEPS} steps in {COMMITTEES} committees")
        child = subprocess.run(
            [sys.executable, __file__, "fill"], env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        if child.returncode != 0:
            raise RuntimeError(f"fill failed:\n{child.stderr[-3000:]}")
        info = json.loads(child.stdout.strip().splitlines()[-1])
        log(f"{kind}: filled in {info['fill_s']} s; queries {info['queries']}")
        proc = m.serve(env, port)
        cookie = {"Cookie": f"sessionid={info['session']}"}
        headers = {t: cookie for t in TARGETS}
        headers["minimal"] = {}
        headers["api"] = {"Authorization": f"Bearer {info['token']}"}
        result = {
            "load_average": [round(x, 1) for x in os.getloadavg()],
            **{k: info[k] for k in ("fill_s", "recommendations", "responses", "open_responses", "steps",
                                    "committees", "open_in_measured_committee")},
        }  # fmt: skip
        for target, path in info["paths"].items():
            status = m._get(port, path, headers[target])
            figures = m.load(port, path, headers[target])
            figures.update(
                status=status, queries=info["queries"][target], bytes=info["bytes"][target],
                cpu_ms_per_request=info["cpu_ms"][target], sql=info["sql"][target],
            )  # fmt: skip
            result[target] = figures
            log(f"{kind}: {target:<15} { {k: v for k, v in figures.items() if k != 'sql'} }")
        base = result["minimal"]["rps"] or 1.0
        for target in TARGETS:
            if target == "minimal":
                continue
            f = result[target]
            f["ratio_to_minimal"] = round(f["rps"] / base, 2)
            if target != "minimal_session":
                f["meets_goal"] = bool(f["status"] == 200 and f["p95_ms"] is not None and f["p95_ms"] < GOAL_P95_MS)
        return result
    finally:
        m.stop(proc)
        if admin is not None:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            admin.close()
        if kind == "sqlite" and not os.getenv("BENCH_KEEP"):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)


def _options() -> None:
    import argparse

    global RECOMMENDATIONS, STEPS, DATABASES
    parser = argparse.ArgumentParser(description="The open-recommendations page at scale (see the docstring).")
    parser.add_argument("--quick", action="store_true", help="2,000 recommendations, 20,000 steps, 3 s per target")
    parser.add_argument("--clients", type=int, help=f"concurrent clients (default {m.CONCURRENCY})")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    args = parser.parse_args()
    if args.quick:
        RECOMMENDATIONS, STEPS, m.SECONDS = 2000, 20000, 3.0
    if args.clients:
        m.CONCURRENCY = args.clients
    if args.only:
        DATABASES = [args.only]


def main() -> None:
    _options()
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    report = {
        "bench": "outcomes",
        "recommendations": RECOMMENDATIONS,
        "steps": STEPS,
        "committees": COMMITTEES,
        "concurrency": m.CONCURRENCY,
        "seconds_per_target": m.SECONDS,
        "gunicorn_workers": m.WORKERS,
        "cpus": os.cpu_count(),
        "goal": {"p95_ms_below": GOAL_P95_MS},
    }
    for i, kind in enumerate(DATABASES):
        report[kind] = run_database(kind, PORT + i)
    report["total_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["fill"]:
        print(json.dumps(fill(), ensure_ascii=False), flush=True)
    else:
        main()
