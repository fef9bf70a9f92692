"""Benchmark: the member directory and the members API at scale, next to a minimal Django view.

Fills a database with 100,000 members across 100 committees (each with a term, 17 sectors, 12 parties,
sub-districts and studios; every member has a user account with the member role), serves the product
with gunicorn (2 worker processes) and measures three targets under concurrent keep-alive load:

    minimal    GET /bench/minimal                    a view that returns "ok" (bench/_urls.py), no log-in
    minimal_session  the same view with the member's session: the cost of session, user and committee
    directory  GET /org/directory/                   the member directory, logged in as a member (session)
    api        GET /api/v1/members?limit=50          the members API with a bearer token

on SQLite (a file in bench/out/) and on PostgreSQL (a database `lvzhi_bench` created and dropped here;
skipped with a note when the server is not reachable). Prints ONE JSON line of figures on stdout:
requests/s, p50/p95/p99 in ms, the throughput ratio to the minimal view, and for each target the queries
it runs (count, SQL time, the slowest statement) and the CPU milliseconds one request costs in a single
process (steadier than wall-clock figures when the machine is busy; `load_average` is recorded too).
Progress goes to stderr. The goal checked: p95 under 50 ms and at least half the minimal view's
throughput.

    .venv/bin/python bench/members.py            # both databases, about 2-3 minutes
    .venv/bin/python bench/members.py --quick --only sqlite --clients 4   # a quick look

Environment: BENCH_MEMBERS (100000), BENCH_COMMITTEES (100), BENCH_CONCURRENCY (4: 2 per worker), BENCH_SECONDS (8 per
target), BENCH_WORKERS (2), BENCH_PORT (8190), BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/postgres,
the server where `lvzhi_bench` is created), BENCH_DATABASES (sqlite,postgresql), BENCH_KEEP=1 keeps the
SQLite file.
"""

import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
MEMBERS = int(os.getenv("BENCH_MEMBERS", "100000"))
COMMITTEES = int(os.getenv("BENCH_COMMITTEES", "100"))
# 2 clients per gunicorn worker: both workers always busy (the throughput is the server's), and a
# request waits for at most one other, so p95 still tells the service time. 16 clients on 2 sync
# workers measure the queue instead (p95 ~ 8 x the service time): --clients 16 shows that.
CONCURRENCY = int(os.getenv("BENCH_CONCURRENCY", "4"))
SECONDS = float(os.getenv("BENCH_SECONDS", "8"))
WARMUP = 1.5
WORKERS = int(os.getenv("BENCH_WORKERS", "2"))
PORT = int(os.getenv("BENCH_PORT", "8190"))
PG_ADMIN_URL = os.getenv("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "lvzhi_bench"
# The product as deployed with more than one process: sessions and cache tokens in Redis (a database of
# its own, emptied before each run). BENCH_REDIS_URL="" measures the in-process cache instead.
REDIS_URL = os.getenv("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
DATABASES = os.getenv("BENCH_DATABASES", "sqlite,postgresql").split(",")
GOAL_P95_MS = 50.0
GOAL_RATIO = 0.5
TARGETS = {
    "minimal": "/bench/minimal",
    "minimal_session": "/bench/minimal",
    "directory": "/org/directory/",
    "api": "/api/v1/members?limit=50",
}


def log(*args) -> None:
    print("[bench/members]", *args, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- filling (runs in a child process)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌海波宁辉鹏飞云峰晨浩宇欣怡佳琳雪梅婷雯俊凯"
EMPLOYERS = ["区人民医院", "区第一中学", "钱塘实验学校", "某科技有限公司", "某律师事务所", "区农业农村局", "某银行支行",
             "某制造集团", "区文化馆", "某设计研究院", "区妇幼保健院", "某生物医药公司"]  # fmt: skip
POSTS = ["院长", "校长", "总经理", "主任", "副主任", "工程师", "律师", "教师", "医生", "研究员", "董事长", "馆长"]


def insert_rows(model, rows: list[dict], batch: int = 5000) -> None:
    """INSERT many rows with executemany: several times faster than bulk_create for 100,000 rows.
    Fields a row does not name get their default (auto_now fields: now), prepared once."""
    from django.db import connection
    from django.utils import timezone

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    constant = {}
    for f in fields:
        if f.attname not in rows[0]:
            value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            constant[f.attname] = f.get_db_prep_save(value, connection)
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    params = [[row[f.attname] if f.attname in row else constant[f.attname] for f in fields] for row in rows]
    if connection.vendor == "postgresql":  # COPY: the fastest way into PostgreSQL
        copy = "COPY {} ({}) FROM STDIN".format(qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields))
        with connection.cursor() as cursor, cursor.cursor.copy(copy) as stream:
            for row in params:
                stream.write_row(row)
        return
    with connection.cursor() as cursor:
        for i in range(0, len(params), batch):
            cursor.executemany(sql, params[i : i + batch])


def fill() -> dict:
    """Migrate, fill the database named by the environment, prepare a session and an API token."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench._settings")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection, transaction

    from lvzhi.accounts.models import User
    from lvzhi.core.roles import Role
    from lvzhi.org.demo import PARTIES, SECTORS
    from lvzhi.org.models import Committee, Level, Member, Membership, Party, Sector, Studio, SubDistrict, Term

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    rng = random.Random(2021)
    per_committee = MEMBERS // COMMITTEES
    with transaction.atomic():
        city = Committee.objects.create(name="基准市政协", short_name="基准市", level=Level.CITY)
        committees = Committee.objects.bulk_create(
            Committee(name=f"基准区{i:03d}政协", short_name=f"基准区{i:03d}", level=Level.DISTRICT, parent=city)
            for i in range(1, COMMITTEES + 1)
        )
        first_term = [Term(committee=c, number=1, name="第一届", start_date=dt.date(2021, 7, 1)) for c in committees]
        terms = {t.committee_id: t for t in Term.objects.bulk_create(first_term)}
        sectors = Sector.objects.bulk_create(
            Sector(committee=c, name=name, order=i) for c in committees for i, (name, _n) in enumerate(SECTORS)
        )
        parties = Party.objects.bulk_create(
            Party(committee=c, name=name, kind=kind, order=i)
            for c in committees
            for i, (name, kind) in enumerate(PARTIES)
        )
        subs = SubDistrict.objects.bulk_create(
            SubDistrict(committee=c, name=f"街道{i}", order=i) for c in committees for i in range(4)
        )
        studios = Studio.objects.bulk_create(
            Studio(committee_id=s.committee_id, sub_district=s, name=f"{s.name}委员工作室", order=s.order) for s in subs
        )
        by_committee = {c.pk: {"sectors": [], "parties": [], "studios": []} for c in committees}
        for s in sectors:
            by_committee[s.committee_id]["sectors"].append(s)
        for p in parties:
            by_committee[p.committee_id]["parties"].append(p)
        for s in studios:
            by_committee[s.committee_id]["studios"].append(s)

        # One account per member (an unusable password: members of these committees log in by SMS code).
        users, members = [], []
        n = 0
        for c in committees:
            rows = by_committee[c.pk]
            for _i in range(per_committee):
                n += 1
                name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
                mobile = f"138{n:08d}"
                users.append({"username": f"b{n:06d}", "mobile": mobile, "display_name": name, "password": "!bench"})
                studio = rng.choice(rows["studios"])
                members.append({
                    "committee_id": c.pk, "term_id": terms[c.pk].pk, "name": name, "gender": rng.choice("MF"),
                    "mobile": mobile, "sector_id": rng.choice(rows["sectors"]).pk,
                    "party_id": rng.choice(rows["parties"]).pk, "employer": rng.choice(EMPLOYERS),
                    "post": rng.choice(POSTS), "is_standing": rng.random() < 0.15,
                    "sub_district_id": studio.sub_district_id, "studio_id": studio.pk,
                })  # fmt: skip
        insert_rows(User, users)
        ids = dict(User.objects.filter(username__startswith="b").values_list("username", "id"))
        for user, member in zip(users, members, strict=True):
            member["user_id"] = ids[user["username"]]
        insert_rows(Member, members)
        grants = [
            {"user_id": m["user_id"], "committee_id": m["committee_id"], "role": Role.MEMBER.value} for m in members
        ]
        grants += [
            {"user_id": m["user_id"], "committee_id": m["committee_id"], "role": Role.STANDING.value}
            for m in members
            if m["is_standing"]
        ]
        insert_rows(Membership, grants)
    filled = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as a production database would have them

    # The member who browses: an ordinary (not standing) member of the first committee.
    member = Member.objects.filter(committee=committees[0], is_standing=False).select_related("user").first()
    session_key, token = login(member.user)
    # What each target costs in queries and bytes (Django's test client, same settings, one request each).
    costs = profile(TARGETS, session_key, token, session_targets={"directory", "minimal_session"})
    return {
        "session": session_key,
        "token": token,
        "migrate_s": round(migrated - started, 1),
        "fill_s": round(filled - migrated, 1),
        "members": Member.objects.count(),
        "users": User.objects.count(),
        "committees": len(committees),
        **costs,
        "member_committee": committees[0].name,
    }


def login(user) -> tuple[str, str]:
    """A database session of `user` (as after a log-in) and an API bearer token: (session key, token)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from lvzhi.accounts.models import ApiToken

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "lvzhi.accounts.backends.UsernameOrMobileBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key, ApiToken.issue(user)


def profile(paths: dict[str, str], session_key: str, token: str, *, session_targets) -> dict:
    """What each target costs in one process (Django's test client, same settings): queries, SQL time and
    the slowest statement, bytes, status, and CPU milliseconds per request (steadier than wall-clock
    figures on a busy machine). Targets in `session_targets` carry the session; "api" the bearer token."""
    from django.db import connection
    from django.test import Client

    session_client = Client()
    session_client.cookies["sessionid"] = session_key
    queries, cold, sizes, statuses, sql, cpu_ms = {}, {}, {}, {}, {}, {}
    for target, path in paths.items():
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if target == "api" else {}
        c = session_client if target in session_targets else Client()
        timings: list[tuple[float, str]] = []

        def timed(execute, sql_text, params, many, context, timings=timings):
            t0 = time.perf_counter()
            try:
                return execute(sql_text, params, many, context)
            finally:
                timings.append((time.perf_counter() - t0, sql_text))

        with connection.execute_wrapper(timed):
            c.get(path, **headers)  # cold: the caches are empty (the queries a miss costs)
        cold[target] = len(timings)
        timings.clear()
        with connection.execute_wrapper(timed):
            response = c.get(path, **headers)  # warm: what every later request costs
        queries[target] = len(timings)
        slowest = max(timings, default=(0.0, ""))
        sql[target] = {
            "sql_ms": round(sum(t for t, _s in timings) * 1000, 2),
            "slowest_ms": round(slowest[0] * 1000, 2),
            "slowest": slowest[1][:300],
        }
        cpu0 = time.process_time()
        for _i in range(20):
            c.get(path, **headers)
        cpu_ms[target] = round((time.process_time() - cpu0) / 20 * 1000, 1)
        sizes[target] = len(response.content)
        statuses[target] = response.status_code
    return {"queries": queries, "queries_cold": cold, "bytes": sizes, "status": statuses, "sql": sql, "cpu_ms": cpu_ms}


# --------------------------------------------------------------------------- serving and load


def _env(database_url: str | None, sqlite_path: Path | None) -> dict:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "bench._settings"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env["LOG_LEVEL"] = "WARNING"
    env.pop("DEBUG", None)
    env.pop("REDIS_URL", None)
    if REDIS_URL:
        env["REDIS_URL"] = REDIS_URL
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(sqlite_path)
    return env


def _get(port: int, path: str, headers: dict | None = None, timeout: float = 5) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def stop(proc: subprocess.Popen | None) -> None:
    """Stop a server or worker started here (terminate, then kill after 15 s)."""
    if proc is None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def serve(env: dict, port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    cmd = [str(gunicorn), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--keep-alive", "5",
           "--log-level", "warning", "--chdir", str(ROOT), "lvzhi.wsgi:application"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            if _get(port, "/healthz", timeout=1) == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within 30 s")


def load(port: int, path: str, headers: dict) -> dict:
    """CONCURRENCY clients, each on its own keep-alive connection (reopened when the server closes it)."""
    begin = time.perf_counter()
    measure_from = begin + WARMUP
    end = measure_from + SECONDS
    latencies: list[list[float]] = [[] for _ in range(CONCURRENCY)]  # of requests started in the window
    finished: list[list[float]] = [[] for _ in range(CONCURRENCY)]  # their end times
    errors = [0] * CONCURRENCY
    codes: dict[int, int] = {}
    lock = threading.Lock()

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, ends = latencies[i], finished[i]
        while True:
            t0 = time.perf_counter()
            if t0 >= end:
                break
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                conn.close()
                status = 0
            t1 = time.perf_counter()
            if t0 >= measure_from:
                mine.append(t1 - t0)
                ends.append(t1)
                if status != 200:
                    errors[i] += 1
                    with lock:
                        codes[status] = codes.get(status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    samples = sorted(x for part in latencies for x in part)
    # Throughput: the requests started in the window over the time until the last of them finished (a
    # server slower than the window still gets a figure, not zero).
    last = max((t1 for part in finished for t1 in part), default=end)
    elapsed = max(last, end) - measure_from

    def pct(p: float) -> float | None:
        return round(samples[min(len(samples) - 1, int(p * len(samples)))] * 1000, 1) if samples else None

    result = {
        "rps": round(len(samples) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "requests": len(samples),
        "errors": sum(errors),
    }
    if codes:
        result["error_statuses"] = {str(k): v for k, v in sorted(codes.items())}
    return result


def redis_reachable() -> bool:
    if not REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def flush_redis() -> None:
    if REDIS_URL:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()


def run_database(kind: str, port: int) -> dict:
    sqlite_path = OUT / "members.sqlite3"
    database_url = None
    if kind == "postgresql":
        import psycopg

        try:
            admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
        except psycopg.OperationalError as e:
            return {"skipped": f"PostgreSQL not reachable at {PG_ADMIN_URL}: {str(e).strip()[:120]}"}
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {PG_DB}")
        parts = urlsplit(PG_ADMIN_URL)
        database_url = urlunsplit(parts._replace(path=f"/{PG_DB}"))
    else:
        admin = None
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    env = _env(database_url, sqlite_path)
    flush_redis()
    proc = None
    try:
        log(f"{kind}: migrating and filling {MEMBERS} members in {COMMITTEES} committees")
        child = subprocess.run(
            [sys.executable, __file__, "fill"], env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        if child.returncode != 0:
            raise RuntimeError(f"fill failed:\n{child.stderr[-3000:]}")
        info = json.loads(child.stdout.strip().splitlines()[-1])
        log(f"{kind}: filled in {info['fill_s']} s (migrate {info['migrate_s']} s); queries {info['queries']}")
        proc = serve(env, port)
        headers = {
            "minimal": {},
            "minimal_session": {"Cookie": f"sessionid={info['session']}"},
            "directory": {"Cookie": f"sessionid={info['session']}"},
            "api": {"Authorization": f"Bearer {info['token']}"},
        }
        result = {
            "load_average": [round(x, 1) for x in os.getloadavg()],
            "fill_s": info["fill_s"],
            "members": info["members"],
            "users": info["users"],
            "committees": info["committees"],
        }
        for target, path in TARGETS.items():
            status = _get(port, path, headers[target])
            if status != 200:
                log(f"{kind}: {path} answers {status} (not built yet?): measured anyway")
            figures = load(port, path, headers[target])
            figures["status"] = status
            figures["queries"] = info["queries"][target]
            figures["queries_cold"] = info["queries_cold"][target]
            figures["bytes"] = info["bytes"][target]
            figures["cpu_ms_per_request"] = info["cpu_ms"][target]
            figures["sql"] = info["sql"][target]
            result[target] = figures
            log(f"{kind}: {target:<9} { {k: v for k, v in figures.items() if k != 'sql'} }")
            log(f"{kind}: {target:<9} sql {figures['sql']}")
        base = result["minimal"]["rps"] or 1.0
        for target in ("minimal_session", "directory", "api"):
            f = result[target]
            f["ratio_to_minimal"] = round(f["rps"] / base, 2)
            if target == "minimal_session":
                continue
            f["ratio_to_minimal_session"] = round(f["rps"] / (result["minimal_session"]["rps"] or 1.0), 2)
            f["meets_goal"] = bool(
                f["status"] == 200
                and f["p95_ms"] is not None
                and f["p95_ms"] < GOAL_P95_MS
                and f["ratio_to_minimal"] >= GOAL_RATIO
            )
        return result
    finally:
        stop(proc)
        if admin is not None:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            admin.close()
        if kind == "sqlite" and not os.getenv("BENCH_KEEP"):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)


def _options() -> None:
    """Command-line options for iterating; without any, the full run described at the top."""
    import argparse

    global MEMBERS, SECONDS, CONCURRENCY, DATABASES
    parser = argparse.ArgumentParser(description="The member directory and API at scale (see the docstring).")
    parser.add_argument("--quick", action="store_true", help="20,000 members, 3 s per target: a quick look")
    parser.add_argument("--clients", type=int, help=f"concurrent clients (default {CONCURRENCY})")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    args = parser.parse_args()
    if args.quick:
        MEMBERS, SECONDS = 20000, 3.0
        os.environ["BENCH_MEMBERS"] = str(MEMBERS)  # the filling child reads it
    if args.clients:
        CONCURRENCY = args.clients
    if args.only:
        DATABASES = [args.only]


def main() -> None:
    global REDIS_URL
    _options()
    if REDIS_URL and not redis_reachable():
        log(f"Redis not reachable at {REDIS_URL}: measuring with the in-process cache")
        REDIS_URL = ""
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    report = {
        "bench": "members",
        "members": MEMBERS,
        "committees": COMMITTEES,
        "concurrency": CONCURRENCY,
        "clients_per_worker": round(CONCURRENCY / WORKERS, 1),
        "seconds_per_target": SECONDS,
        "gunicorn_workers": WORKERS,
        "cache": "redis" if REDIS_URL else "in-process (locmem)",
        "cpus": os.cpu_count(),
        "goal": {"p95_ms_below": GOAL_P95_MS, "ratio_to_minimal_at_least": GOAL_RATIO},
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
