"""Benchmark: a burst of 2,200 members (the national committee's size) checking in at the door.

Fills a database with one committee of 2,200 members (users, member role), a meetings staff account with a
bearer token, the year's rule set (so every check-in earns its points line) and published meetings whose
doors are open, every member invited; each member's signed QR code is made with meetings.services.qr_token.
Serves the product as deployed on one machine: gunicorn (WORKERS sync worker processes, 2 by default) with
Redis as the shared cache, the points derived in the web process on commit (BENCH_PG_WORKER=1: on
PostgreSQL by a Celery worker with Redis as the broker instead, at the lowest CPU priority beside the web
server; on one 2-core machine it only competes with it, so the default leaves it out; the run waits for it).
From CLIENTS concurrent clients (50 desks; each request on a fresh connection, as
gunicorn's sync workers close it) it measures:

    minimal      GET /bench/minimal (bench/_urls.py), 2,200 requests: the baseline of the same server, same run
    checkin      POST /api/v1/meetings/<id>/check-in {"token": <QR code>} with the staff bearer token, each of
                 the 2,200 members once, all desks at once, as fast as the server answers (saturating)
    rescan       the same 2,200 codes scanned again: every answer must be 200 with "already": true
    paced        2,200 members of a second meeting arriving at BENCH_PACE check-ins per second over the 50
                 desks (latency counted from each scan's due time, so a server that falls behind shows it)
    within_10_s  2,200 members of a third meeting arriving within BENCH_SPRINT_SECONDS (10) seconds, evenly
                 spread, over the 50 desks: "a burst checking in within seconds" at a rate the server can hold

then verifies in the database, for the three meetings: 2,200 invitations present, 2,200 `attendance.check_in`
events, one per invitation (none lost, none doubled) and one points line per check-in. With 50 clients on 2
sync workers the saturating burst's latency is mostly queueing (about 50 / throughput). Prints ONE JSON line
on stdout (progress on stderr): requests/s, p50/p95/p99 in ms, errors, the throughput ratio to the minimal
view, the queries one check-in runs and the CPU milliseconds it costs in one process; and for each burst
the CPU milliseconds per request of the web server's workers, of PostgreSQL and of this load generator, and
the machine's idle share (Linux /proc), which say where the 2 cores went. Goal checked: no error, no lost
or doubled check-in, p99 under 100 ms.

    .venv/bin/python bench/checkin.py                  # both databases, about 8 minutes on 2 cores
    .venv/bin/python bench/checkin.py --only sqlite

Environment: BENCH_MEMBERS (2200), BENCH_CLIENTS (50), BENCH_WORKERS (2), BENCH_WORKER_CLASS (gunicorn's,
sync) and BENCH_THREADS (1; for gthread), BENCH_PACE (25 per second),
BENCH_SPRINT_SECONDS (10), BENCH_PG_WORKER (0; 1 runs a Celery worker for the points on PostgreSQL),
BENCH_PORT (8290), BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/postgres, where
`lvzhi_bench_checkin` is created and dropped), BENCH_DATABASES (sqlite,postgresql), BENCH_REDIS_URL (the
shared cache, see bench/members.py), BENCH_BROKER_URL (redis://127.0.0.1:6379/11, emptied), BENCH_KEEP=1
keeps the SQLite file.
"""

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import members as members_bench  # noqa: E402 - the Redis settings and helpers are shared

OUT = ROOT / "bench" / "out"
MEMBERS = int(os.getenv("BENCH_MEMBERS", "2200"))
CLIENTS = int(os.getenv("BENCH_CLIENTS", "50"))
WORKERS = int(os.getenv("BENCH_WORKERS", "2"))
PORT = int(os.getenv("BENCH_PORT", "8290"))
WORKER_CLASS = os.getenv("BENCH_WORKER_CLASS", "sync")  # gunicorn's; "gthread" with BENCH_THREADS threads
THREADS = int(os.getenv("BENCH_THREADS", "1"))
PG_ADMIN_URL = os.getenv("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "lvzhi_bench_checkin"
DATABASES = os.getenv("BENCH_DATABASES", "sqlite,postgresql").split(",")
GOAL_P99_MS = 100.0
PACE = float(os.getenv("BENCH_PACE", "25"))  # check-ins per second of the paced burst (one per desk every 2 s)
SPRINT_SECONDS = float(os.getenv("BENCH_SPRINT_SECONDS", "10"))  # "within seconds": all members in 10 s
BROKER_URL = os.getenv("BENCH_BROKER_URL", "redis://127.0.0.1:6379/11")  # Celery's queue in the PostgreSQL run
PROFILE_N = 100  # check-ins profiled in one process (on a second meeting, not counted in the burst)


def log(*args) -> None:
    print("[bench/checkin]", *args, file=sys.stderr, flush=True)


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench._settings")
    import django

    django.setup()


# --------------------------------------------------------------------------- filling (a child process)


def fill() -> dict:
    _django()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.members import insert_rows
    from lvzhi.accounts.models import ApiToken, User
    from lvzhi.core.roles import Role
    from lvzhi.meetings import services as s
    from lvzhi.meetings.models import Invitation, Meeting
    from lvzhi.org.models import Committee, Level, Member, Membership, Party, Sector, Term

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        committee = Committee.objects.create(name="全国政协(基准)", short_name="全国", level=Level.CITY)
        term = Term.objects.create(committee=committee, number=14, name="第十四届", start_date=dt.date(2023, 3, 1))
        sectors = Sector.objects.bulk_create(
            Sector(committee=committee, name=f"界别{i:02d}", order=i) for i in range(34)
        )
        party = Party.objects.create(committee=committee, name="无党派人士", order=1)
        users = [
            {"username": f"c{n:05d}", "mobile": f"137{n:08d}", "display_name": f"委员{n:05d}", "password": "!bench"}
            for n in range(MEMBERS)
        ]
        insert_rows(User, users)
        ids = dict(User.objects.filter(username__startswith="c").values_list("username", "id"))
        members = [
            {
                "committee_id": committee.pk,
                "term_id": term.pk,
                "user_id": ids[u["username"]],
                "name": u["display_name"],
                "mobile": u["mobile"],
                "sector_id": sectors[n % len(sectors)].pk,
                "party_id": party.pk,
            }
            for n, u in enumerate(users)
        ]
        insert_rows(Member, members)
        insert_rows(
            Membership,
            [{"user_id": m["user_id"], "committee_id": committee.pk, "role": Role.MEMBER.value} for m in members],
        )
        staff = User.objects.create(username="bench_desk", display_name="签到台", password="!bench")
        Membership.objects.create(user=staff, committee=committee, role=Role.STAFF_MEETINGS)

        def meeting(title: str) -> Meeting:
            return Meeting.objects.create(
                committee=committee,
                kind=Meeting.Kind.PLENARY,
                title=title,
                place="人民大会堂",
                starts_at=now + dt.timedelta(minutes=30),
                ends_at=now + dt.timedelta(hours=4),
                doors_open_at=now - dt.timedelta(minutes=30),
                state="published",
                checkin_code="123456",
                created_by=staff,
            )

        plenary, rehearsal = meeting("第十四届全国委员会第三次会议开幕会"), meeting("预备会议(性能剖析用)")
        closing = meeting("第十四届全国委员会第三次会议闭幕会")
        sprint = meeting("第十四届全国委员会第三次会议第二次全体会议")
        for m in (plenary, closing, sprint):
            Invitation.objects.bulk_create(
                Invitation(committee=committee, meeting=m, member_id=pk)
                for pk in Member.objects.filter(committee=committee).values_list("pk", flat=True)
            )
        Invitation.objects.bulk_create(
            Invitation(committee=committee, meeting=rehearsal, member_id=pk)
            for pk in Member.objects.filter(committee=committee).values_list("pk", flat=True)[:PROFILE_N]
        )
        # the year's rule set (the default points): every check-in earns its points line, as in production
        from lvzhi.evaluation.services import create_year

        create_year(committee, timezone.localdate().year)
    filled = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    codes = [s.qr_token(i) for i in Invitation.objects.filter(meeting=plenary).order_by("pk")]
    paced_codes = [s.qr_token(i) for i in Invitation.objects.filter(meeting=closing).order_by("pk")]
    sprint_codes = [s.qr_token(i) for i in Invitation.objects.filter(meeting=sprint).order_by("pk")]
    token = ApiToken.issue(staff)
    profile = _profile(rehearsal, token)
    return {
        "migrate_s": round(migrated - started, 1),
        "fill_s": round(filled - migrated, 1),
        "meeting": plenary.pk,
        "paced_meeting": closing.pk,
        "paced_codes": paced_codes,
        "sprint_meeting": sprint.pk,
        "sprint_codes": sprint_codes,
        "committee": committee.pk,
        "token": token,
        "codes": codes,
        "profile": profile,
    }


def _profile(meeting, token: str) -> dict:
    """One check-in through the whole stack (Django's test client, same settings): its queries, CPU
    time, and where the time goes (signature check, the locks, the event insert)."""
    from django.core import signing
    from django.db import connection
    from django.test import Client

    from lvzhi.meetings import services as s
    from lvzhi.meetings.models import Invitation

    codes = [s.qr_token(i) for i in Invitation.objects.filter(meeting=meeting).order_by("pk")]
    client = Client()
    path = f"/api/v1/meetings/{meeting.pk}/check-in"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def post(code: str):
        return client.post(path, json.dumps({"token": code}), content_type="application/json", **headers)

    post("forged")  # warm: content types, translations, the router
    timings: list[tuple[float, str]] = []

    def timed(execute, sql_text, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            timings.append((time.perf_counter() - t0, sql_text))

    with connection.execute_wrapper(timed):
        response = post(codes[0])
    assert response.status_code == 200, response.content
    statements = [sql[:90] for _t, sql in timings]
    t0, cpu0 = time.perf_counter(), time.process_time()
    for code in codes[1:]:
        assert post(code).status_code == 200
    n = len(codes) - 1
    wall_ms = (time.perf_counter() - t0) / n * 1000
    cpu_ms = (time.process_time() - cpu0) / n * 1000
    # the parts on their own: the signature check, a repeated (already) check-in
    t0 = time.perf_counter()
    for code in codes:
        signing.loads(code, salt=s.QR_SALT)
    verify_ms = (time.perf_counter() - t0) / len(codes) * 1000
    t0 = time.perf_counter()
    for code in codes[:50]:
        post(code)
    already_ms = (time.perf_counter() - t0) / 50 * 1000
    return {
        "queries": len(timings),
        "sql_ms": round(sum(t for t, _s in timings) * 1000, 2),
        "statements": statements,
        "wall_ms_per_checkin": round(wall_ms, 2),
        "cpu_ms_per_checkin": round(cpu_ms, 2),
        "signature_check_ms": round(verify_ms, 3),
        "already_checked_in_ms": round(already_ms, 2),
    }


def verify(meeting_id: int) -> dict:
    """After the run: every member present once, one check-in event each."""
    _django()
    from django.db.models import Count

    from lvzhi.core.models import Event
    from lvzhi.meetings.models import Invitation

    invitations = Invitation.objects.filter(meeting_id=meeting_id)
    ids = invitations.values("pk")
    check_ins = Event.objects.filter(action="attendance.check_in", subject_type__model="invitation", subject_id__in=ids)
    per = check_ins.values("subject_id").annotate(n=Count("id"))
    from lvzhi.evaluation.models import LedgerLine

    return {
        "points_lines": LedgerLine.objects.filter(event__in=check_ins).count(),
        "invited": invitations.count(),
        "present": invitations.filter(state="present", checked_in_at__isnull=False).count(),
        "check_in_events": check_ins.count(),
        "members_with_one_event": per.filter(n=1).count(),
        "members_with_more_events": per.filter(n__gt=1).count(),
    }


# --------------------------------------------------------------------------- serving and load


def _env(database_url: str | None, sqlite_path: Path) -> dict:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "bench._settings"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env["LOG_LEVEL"] = "WARNING"
    env.pop("DEBUG", None)
    env.pop("REDIS_URL", None)
    if members_bench.REDIS_URL:  # as deployed: sessions and cache tokens in Redis (see bench/members.py)
        env["REDIS_URL"] = members_bench.REDIS_URL
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(sqlite_path)
    return env


def _request(port: int, method: str, path: str, body: bytes | None = None, headers=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def serve(env: dict, port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    cmd = [str(gunicorn), "--workers", str(WORKERS), "--worker-class", WORKER_CLASS, "--threads", str(THREADS),
           "--bind", f"127.0.0.1:{port}", "--backlog", "2048",
           "--log-level", "warning", "--chdir", str(ROOT), "lvzhi.wsgi:application"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            if _request(port, "GET", "/healthz", timeout=1)[0] == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within 30 s")


def _flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def start_worker(env: dict) -> subprocess.Popen:
    celery = Path(sys.executable).with_name("celery")
    cmd = ["nice", "-n", "19", str(celery), "-A", "lvzhi", "worker", "--pool", "solo", "--loglevel", "warning",
           "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
    return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def drain(url: str, timeout: float = 600) -> float:
    """Wait until the worker has taken every task and finished the last one; seconds waited."""
    import redis

    r = redis.Redis.from_url(url)
    t0 = time.perf_counter()
    while r.llen("celery") and time.perf_counter() - t0 < timeout:
        time.sleep(0.5)
    time.sleep(3)  # the last task taken is being derived
    return round(time.perf_counter() - t0, 1)


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _processes() -> dict[int, tuple[int, str, float]]:
    """pid -> (parent pid, command name, CPU seconds) of every process (Linux /proc; empty elsewhere)."""
    found = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = entry.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        found[int(entry.parent.name)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / _TICK)
    return found


def _machine() -> tuple[float, float]:
    """(busy, idle) CPU seconds of the whole machine so far (Linux /proc/stat)."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = values[3] + values[4]
    return (sum(values) - idle) / _TICK, idle / _TICK


def cpu_snapshot() -> dict:
    """CPU seconds so far of every process, of this load generator, and of the machine (busy and idle)."""
    busy, idle = _machine()
    t = os.times()
    return {"processes": _processes(), "client": t.user + t.system, "busy": busy, "idle": idle}


def cpu_per_request(before: dict, after: dict, n: int, server_pid: int | None) -> dict:
    """Milliseconds of CPU per request, between two snapshots, of the web server's workers (children of the
    gunicorn master), of the database server (PostgreSQL's processes: a backend that ended in between is
    not counted), of this load generator; and the machine's idle share."""

    def spent(wanted) -> float:
        return sum(
            cpu - before["processes"].get(pid, (0, "", 0.0))[2]
            for pid, (ppid, name, cpu) in after["processes"].items()
            if wanted(ppid, name)
        )

    server = spent(lambda ppid, _name: server_pid is not None and ppid == server_pid)
    database = spent(lambda _ppid, name: name.startswith("postgres"))
    per = {
        "server_cpu_ms": round(server / n * 1000, 2),
        "database_cpu_ms": round(database / n * 1000, 2),
        "client_cpu_ms": round((after["client"] - before["client"]) / n * 1000, 2),
    }
    busy, idle = after["busy"] - before["busy"], after["idle"] - before["idle"]
    per["machine_idle_share"] = round(idle / (busy + idle), 2) if busy + idle else None
    return per


SERVER_PID: list[int | None] = [None]  # the gunicorn master of the current run, for cpu_per_request


def burst(port: int, requests: list[tuple[str, str, bytes | None, dict]], check=None, pace: float = 0) -> dict:
    """CLIENTS threads share the list of requests (each takes the next one); every request on a new
    connection. `check(status, body)` says whether an answer is right (default: status 200).

    Without `pace`, each client sends its next request as soon as it has the answer (the server's
    throughput; the latency is then mostly the wait in the queue: CLIENTS / throughput). With `pace`
    (requests per second), request i is due at i / pace seconds and its latency counts from then, so a
    server that falls behind shows it (no coordinated omission)."""
    latencies: list[float] = []
    bad: dict[str, int] = {}
    lock = threading.Lock()
    position = iter(range(len(requests)))
    start = threading.Barrier(CLIENTS + 1)
    begin = [0.0]

    def client() -> None:
        mine = []
        start.wait()
        while True:
            with lock:
                i = next(position, None)
            if i is None:
                break
            method, path, body, headers = requests[i]
            t0 = time.perf_counter()
            if pace:
                due = begin[0] + i / pace
                if due > t0:
                    time.sleep(due - t0)
                t0 = due
            try:
                status, content = _request(port, method, path, body, headers)
            except (OSError, http.client.HTTPException) as e:
                status, content = 0, str(e).encode()
            mine.append(time.perf_counter() - t0)
            good = check(status, content) if check else status == 200
            if not good:
                with lock:
                    key = f"{status} {content[:80].decode(errors='replace')}"
                    bad[key] = bad.get(key, 0) + 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    cpu_before = cpu_snapshot()
    begin[0] = t0 = time.perf_counter()
    start.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    cpu = cpu_per_request(cpu_before, cpu_snapshot(), len(requests), SERVER_PID[0])
    samples = sorted(latencies)

    def pct(p: float) -> float:
        return round(samples[min(len(samples) - 1, int(p * len(samples)))] * 1000, 1)

    result = {
        "requests": len(samples),
        "seconds": round(elapsed, 2),
        "rps": round(len(samples) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": pct(1.0),
        "errors": sum(bad.values()),
        **cpu,
    }
    if pace:
        result["pace_per_s"] = pace
    if bad:
        result["error_answers"] = dict(sorted(bad.items(), key=lambda kv: -kv[1])[:5])
    return result


def run_database(kind: str, port: int) -> dict:
    sqlite_path = OUT / "checkin.sqlite3"
    database_url = None
    admin = None
    if kind == "postgresql":
        import psycopg

        try:
            admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
        except psycopg.OperationalError as e:
            return {"skipped": f"PostgreSQL not reachable at {PG_ADMIN_URL}: {str(e).strip()[:120]}"}
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {PG_DB}")
        database_url = urlunsplit(urlsplit(PG_ADMIN_URL)._replace(path=f"/{PG_DB}"))
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    env = _env(database_url, sqlite_path)
    members_bench.flush_redis()
    # The points are derived in the web process (no broker), or with BENCH_PG_WORKER=1 on PostgreSQL by a
    # Celery worker (Redis as the broker) at the lowest CPU priority beside the web server; the run then
    # waits for it to finish before verifying.
    worker = None
    if kind == "postgresql" and members_bench.REDIS_URL and os.getenv("BENCH_PG_WORKER", "0") == "1":
        env["CELERY_BROKER_URL"] = BROKER_URL
        _flush(BROKER_URL)
    proc = None
    try:
        log(f"{kind}: migrating and filling {MEMBERS} members")
        child = subprocess.run(
            [sys.executable, __file__, "fill"], env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        if child.returncode != 0:
            raise RuntimeError(f"fill failed:\n{child.stderr[-3000:]}")
        info = json.loads(child.stdout.strip().splitlines()[-1])
        log(f"{kind}: filled in {info['fill_s']} s; one check-in: {info['profile']}")
        proc = serve(env, port)
        SERVER_PID[0] = proc.pid
        if "CELERY_BROKER_URL" in env:
            worker = start_worker(env)
        path = f"/api/v1/meetings/{info['meeting']}/check-in"
        headers = {"Authorization": f"Bearer {info['token']}", "Content-Type": "application/json"}
        # warm both workers: the router, translations, content types (a forged code: 409, nothing recorded)
        for _i in range(20):
            _request(port, "GET", "/bench/minimal")
            _request(port, "POST", path, b'{"token": "warm-up"}', headers)
        result = {"load_average": [round(x, 1) for x in os.getloadavg()], "fill_s": info["fill_s"]}
        result["minimal"] = burst(port, [("GET", "/bench/minimal", None, {})] * MEMBERS)
        log(f"{kind}: minimal {result['minimal']}")

        def first_time(status: int, body: bytes) -> bool:
            return status == 200 and json.loads(body).get("already") is False

        def already(status: int, body: bytes) -> bool:
            return status == 200 and json.loads(body).get("already") is True

        scans = [("POST", path, json.dumps({"token": c}).encode(), headers) for c in info["codes"]]
        result["checkin"] = burst(port, scans, first_time)
        log(f"{kind}: checkin {result['checkin']}")
        result["rescan"] = burst(port, scans, already)
        log(f"{kind}: rescan {result['rescan']}")
        paced_path = f"/api/v1/meetings/{info['paced_meeting']}/check-in"
        paced = [("POST", paced_path, json.dumps({"token": c}).encode(), headers) for c in info["paced_codes"]]
        result["paced"] = burst(port, paced, first_time, pace=PACE)
        log(f"{kind}: paced {result['paced']}")
        sprint_path = f"/api/v1/meetings/{info['sprint_meeting']}/check-in"
        sprint = [("POST", sprint_path, json.dumps({"token": c}).encode(), headers) for c in info["sprint_codes"]]
        result["within_10_s"] = burst(port, sprint, first_time, pace=MEMBERS / SPRINT_SECONDS)
        log(f"{kind}: within {SPRINT_SECONDS:g} s {result['within_10_s']}")
        result["points_derived_by"] = "celery worker (nice 19)" if worker else "the web process"
        if worker is not None:
            result["worker_drained_s"] = drain(BROKER_URL)
            log(f"{kind}: the worker derived the points {result['worker_drained_s']} s after the last run")
        meetings = (
            ("database", info["meeting"]),
            ("paced_database", info["paced_meeting"]),
            ("within_10_s_database", info["sprint_meeting"]),
        )
        for name, meeting in meetings:
            child = subprocess.run(
                [sys.executable, __file__, "verify", str(meeting)],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            if child.returncode != 0:
                raise RuntimeError(f"verify failed:\n{child.stderr[-3000:]}")
            result[name] = json.loads(child.stdout.strip().splitlines()[-1])
            log(f"{kind}: {name} {result[name]}")
        result["profile"] = info["profile"]
        checkin = result["checkin"]
        checkin["ratio_to_minimal"] = round(checkin["rps"] / (result["minimal"]["rps"] or 1.0), 2)
        result["exact"] = all(
            db["present"] == MEMBERS == db["check_in_events"] == db["members_with_one_event"] == db["points_lines"]
            and db["members_with_more_events"] == 0
            for db in (result["database"], result["paced_database"], result["within_10_s_database"])
        )
        no_errors = not any(result[k]["errors"] for k in ("checkin", "rescan", "paced", "within_10_s"))
        result["meets_goal"] = {
            "saturating_burst": bool(result["exact"] and no_errors and checkin["p99_ms"] < GOAL_P99_MS),
            "within_10_s": bool(result["exact"] and no_errors and result["within_10_s"]["p99_ms"] < GOAL_P99_MS),
            "paced_burst": bool(result["exact"] and no_errors and result["paced"]["p99_ms"] < GOAL_P99_MS),
        }
        return result
    finally:
        members_bench.stop(proc)
        members_bench.stop(worker)
        if admin is not None:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            admin.close()
        if kind == "sqlite" and not os.getenv("BENCH_KEEP"):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)


def main() -> None:
    import argparse

    global DATABASES
    parser = argparse.ArgumentParser(description="A check-in burst of 2,200 members (see the docstring).")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    args = parser.parse_args()
    if args.only:
        DATABASES = [args.only]
    if members_bench.REDIS_URL and not members_bench.redis_reachable():
        log(f"Redis not reachable at {members_bench.REDIS_URL}: measuring with the in-process cache")
        members_bench.REDIS_URL = ""
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    report = {
        "bench": "checkin",
        "members": MEMBERS,
        "clients": CLIENTS,
        "gunicorn_workers": {"sqlite": WORKERS, "postgresql": WORKERS},
        "gunicorn_worker_class": WORKER_CLASS,
        "gunicorn_threads": THREADS,
        "cache": "redis" if members_bench.REDIS_URL else "in-process (locmem)",
        "paced_per_s": PACE,
        "cpus": os.cpu_count(),
        "goal": {"p99_ms_below": GOAL_P99_MS, "errors": 0, "present": MEMBERS, "check_in_events": MEMBERS},
    }
    for i, kind in enumerate(DATABASES):
        report[kind] = run_database(kind, PORT + i)
    report["total_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["fill"]:
        print(json.dumps(fill(), ensure_ascii=False), flush=True)
    elif sys.argv[1:2] == ["verify"]:
        print(json.dumps(verify(int(sys.argv[2])), ensure_ascii=False), flush=True)
    else:
        main()
