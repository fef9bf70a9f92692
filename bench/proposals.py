"""Benchmark of proposals (issue 3 "Figures"). Prints ONE JSON line on stdout; progress on stderr.

1. similarity  N generated proposals (bench/_proposal_text.py, default 1,000,000) indexed exactly as the
   background task does (lvzhi.proposals.similarity.build); Q planted near-duplicates (reworded copies of
   stored proposals) are checked with the index path of similar() (candidate pruning + exact rescoring of
   the best candidates on their full text) and with a brute-force cosine scan over every stored proposal
   (scipy sparse matrix of the full TF-IDF vectors); p50/p95 latency, top-5 recall, the speed ratio, the
   build time and the size of the stored index. The database fetch of the rescored candidates is not in
   this part; phase 2 measures similar() end to end on a database.
2. review_list  100,000 proposals (--review-n) in one committee (SQLite file, and PostgreSQL database
   lvzhi_bench_p created and dropped here; VACUUM ANALYZE after the bulk fill, as autovacuum would); the
   staff review queue (/proposals/staff/, filtered and paged) through the Django test client as the
   proposal office; p50/p95. Also similar() end to end against those proposals (index built by the
   background task from the database).
3. filing  20 threads with their own connections file 200 submitted proposals of one session at once on
   SQLite and PostgreSQL: numbers have no duplicate and no gap.

    .venv/bin/python bench/proposals.py                 # everything (several minutes)
    .venv/bin/python bench/proposals.py --n 100000 --only similarity
    .venv/bin/python bench/proposals.py --only databases --review-n 100000   # review list on both databases
Environment: BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/postgres).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
PG_ADMIN_URL = os.getenv("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "lvzhi_bench_p"


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def pct(values, p):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))], 2)


# --------------------------------------------------------------------------- 1. similarity at scale


def bench_similarity(n: int, queries: int, seed: int = 2025) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
    import django

    django.setup()
    import numpy as np
    from scipy.sparse import csr_matrix

    from bench._proposal_text import Generator, text_of
    from lvzhi.core import text as T
    from lvzhi.proposals import intel_store
    from lvzhi.proposals import similarity as S

    gen = Generator(seed)
    t0 = time.perf_counter()
    texts = [text_of(gen.proposal()) for _ in range(n)]
    t_gen = time.perf_counter() - t0
    log(f"similarity: generated {n} proposals in {t_gen:.0f} s, {sum(map(len, texts[:1000])) / 1000:.0f} chars each")

    t0 = time.perf_counter()
    doc_l, ids_l, cnt_l = [], [], []
    batch = 5000
    for start in range(0, n, batch):
        doc, ids, counts = T.batch_counts(texts[start : start + batch])
        doc_l.append(np.bincount(doc, minlength=len(texts[start : start + batch])))
        ids_l.append(ids)
        cnt_l.append(counts)
        if start % 200_000 == 0:
            log(f"  counted {start}")
    lengths, ids, counts = np.concatenate(doc_l), np.concatenate(ids_l), np.concatenate(cnt_l)
    del doc_l, ids_l, cnt_l
    t_count = time.perf_counter() - t0
    pks = np.arange(1, n + 1, dtype=np.int64)
    t0 = time.perf_counter()
    index = S.build_from_counts(pks, lengths, ids, counts)
    t_build = time.perf_counter() - t0
    log(f"  counted terms in {t_count:.0f} s, built the index in {t_build:.0f} s ({index.nbytes / 1e6:.0f} MB)")
    t0 = time.perf_counter()
    blob = intel_store.pack(index.arrays())
    t_pack = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = S.Index(intel_store.unpack(blob))
    t_load = time.perf_counter() - t0
    blob_mb = len(blob) / 1e6
    del blob

    # brute force: every stored proposal's full TF-IDF vector, same idf
    t0 = time.perf_counter()
    idf_full = np.zeros(T.DIM, np.float32)
    idf_full[index.idf_terms] = index.idf_vals
    w = (1.0 + np.log(counts)) * idf_full[ids]
    offsets = np.zeros(n + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    w /= np.sqrt(np.add.reduceat(w * w, offsets[:-1]))[np.repeat(np.arange(n), lengths)]
    full = csr_matrix((w.astype(np.float32), ids, offsets), shape=(n, T.DIM))
    del w, idf_full
    t_full = time.perf_counter() - t0
    log(f"  brute-force matrix in {t_full:.0f} s ({full.nnz} non-zeros)")

    rng = np.random.default_rng(seed)
    targets = rng.choice(n, size=queries, replace=False)
    qgen = Generator(seed + 1)
    lat_idx, lat_brute, hit_idx, hit_brute, hit_idx_first = [], [], 0, 0, 0
    for qi, target in enumerate(targets.tolist()):
        title, problem, analysis, suggestion = texts[target].split("\n")
        query = text_of(
            qgen.reword(
                {"topic": "", "title": title, "problem": problem, "analysis": analysis, "suggestion": suggestion}
            )
        )
        # index path (as similar(): vector, candidate pruning, exact rescoring on the candidates' text)
        t0 = time.perf_counter()
        qvec = index.vector(query)
        cand, _scores = index.search(qvec, S.CANDIDATES)
        cand = cand[: S.RESCORE]
        doc, cids, ccounts = T.batch_counts([texts[pk - 1] for pk in cand.tolist()])
        exact = [
            T.cosine(qvec, (cids[doc == i], T.weigh(ccounts[doc == i], index.idf_of(cids[doc == i]))))
            for i in range(len(cand))
        ]
        top = [int(cand[i]) for i in np.argsort(-np.array(exact))[:5]]
        lat_idx.append((time.perf_counter() - t0) * 1000)
        hit_idx += (target + 1) in top
        hit_idx_first += bool(top) and top[0] == target + 1
        # brute force
        t0 = time.perf_counter()
        qdense = np.zeros(T.DIM, np.float32)
        qdense[qvec[0]] = qvec[1]
        scores = full @ qdense
        best = np.argpartition(-scores, 5)[:5]
        best = best[np.argsort(-scores[best])]
        lat_brute.append((time.perf_counter() - t0) * 1000)
        hit_brute += target in best.tolist()
        if qi % 50 == 0:
            log(f"  query {qi}: index {lat_idx[-1]:.1f} ms, brute force {lat_brute[-1]:.1f} ms")
    return {
        "proposals": n,
        "queries": queries,
        "chars_per_proposal": round(sum(map(len, texts[:1000])) / 1000),
        "index_p50_ms": pct(lat_idx, 50),
        "index_p95_ms": pct(lat_idx, 95),
        "index_recall_at_5": round(hit_idx / queries, 3),
        "index_first": round(hit_idx_first / queries, 3),
        "brute_p50_ms": pct(lat_brute, 50),
        "brute_p95_ms": pct(lat_brute, 95),
        "brute_recall_at_5": round(hit_brute / queries, 3),
        "speedup_p95": round(pct(lat_brute, 95) / pct(lat_idx, 95), 1),
        "generate_s": round(t_gen, 1),
        "count_terms_s": round(t_count, 1),
        "build_s": round(t_build, 1),
        "index_mb": round(index.nbytes / 1e6, 1),
        "stored_blob_mb": round(blob_mb, 1),
        "pack_s": round(t_pack, 2),
        "load_s": round(t_load, 2),
        "brute_matrix_mb": round((full.data.nbytes + full.indices.nbytes + full.indptr.nbytes) / 1e6, 1),
        "goal_p95_under_50ms": pct(lat_idx, 95) < 50,
        "goal_recall_0_95": hit_idx / queries >= 0.95,
    }


# --------------------------------------------------------------------------- 2 and 3: on a database (child process)


def child(engine: str, n_list: int) -> dict:
    """Runs in a child process whose environment names the database (settings are read at start)."""
    import threading

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench._settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.utils import timezone

    from bench._proposal_text import Generator, text_of
    from lvzhi import demo
    from lvzhi.accounts.models import User
    from lvzhi.org.demo import QIANTANG
    from lvzhi.org.models import Committee, Member
    from lvzhi.proposals import services as s
    from lvzhi.proposals.models import Category, Proposal
    from lvzhi.proposals.similarity import similar
    from lvzhi.proposals.tasks_intel import build_index

    call_command("migrate", verbosity=0)
    demo.load()
    committee = Committee.objects.get(name=QIANTANG)
    staff = User.objects.get(username="tiwei")
    members = list(Member.objects.filter(committee=committee, state="active"))
    cats = list(Category.objects.for_committee(committee))
    base = Proposal.objects.for_committee(committee).exclude(number="").first()
    out = {"engine": engine}

    # ---- 100,000 proposals, filed, in every state the queue shows
    gen = Generator(7)
    existing = Proposal.objects.for_committee(committee).count()
    t0 = time.perf_counter()
    now = timezone.now()
    states = ["submitted", "filed", "assigned", "answered", "closed"]
    rows = []
    for i in range(n_list - existing):
        p = gen.proposal()
        rows.append(
            Proposal(
                committee=committee,
                term=base.term,
                session=base.session,
                period="session",
                lead=members[i % len(members)],
                created_by=staff,
                title=p["title"][:120],
                category=cats[i % len(cats)],
                problem=p["problem"],
                analysis=p["analysis"],
                suggestion=p["suggestion"],
                state=states[i % len(states)],
                serial=100000 + i,
                number="" if i % len(states) == 0 else f"B-{i:06d}",
                submitted_at=now - timezone.timedelta(minutes=i),
                filed_at=now - timezone.timedelta(minutes=i),
            )
        )
        if len(rows) == 5000:
            Proposal.objects.bulk_create(rows)
            rows = []
    Proposal.objects.bulk_create(rows)
    out["proposals"] = Proposal.objects.for_committee(committee).count()
    out["fill_s"] = round(time.perf_counter() - t0, 1)
    log(f"{engine}: {out['proposals']} proposals in {out['fill_s']} s")
    if engine == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")  # the steady state autovacuum reaches after a bulk insert

    client = Client()
    client.force_login(staff)
    urls = [
        "/proposals/staff/",
        "/proposals/staff/?state=filed",
        f"/proposals/staff/?category={cats[1].pk}",
        "/proposals/staff/?state=assigned&page=20",
        "/proposals/staff/?page=500",
        f"/proposals/staff/?category={cats[2].pk}&state=closed&page=3",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    lat = []
    for _ in range(10):
        for url in urls:
            t0 = time.perf_counter()
            client.get(url)
            lat.append((time.perf_counter() - t0) * 1000)
    out["review_list_p50_ms"] = pct(lat, 50)
    out["review_list_p95_ms"] = pct(lat, 95)
    out["review_list_goal_p95_under_100ms"] = out["review_list_p95_ms"] < 100
    log(f"  review list p95 {out['review_list_p95_ms']} ms")

    # ---- similar() end to end on the database (index built by the background task)
    t0 = time.perf_counter()
    build_index(committee)
    out["similar_index_build_s"] = round(time.perf_counter() - t0, 1)
    sample = list(Proposal.objects.for_committee(committee).exclude(number="").order_by("?")[:40])
    lat, hits = [], 0
    for p in sample:
        q = text_of(
            gen.reword(
                {
                    "topic": "",
                    "title": p.title,
                    "problem": p.problem,
                    "analysis": p.analysis,
                    "suggestion": p.suggestion,
                }
            )
        )
        t0 = time.perf_counter()
        found = similar(committee, q, k=5)
        lat.append((time.perf_counter() - t0) * 1000)
        hits += p.pk in [m.proposal.pk for m in found]
    out["similar_e2e_p50_ms"] = pct(lat, 50)
    out["similar_e2e_p95_ms"] = pct(lat, 95)
    out["similar_e2e_recall_at_5"] = round(hits / len(sample), 3)
    log(f"  similar() end to end p95 {out['similar_e2e_p95_ms']} ms, recall {out['similar_e2e_recall_at_5']}")

    # ---- 20 concurrent filers
    session = base.session
    drafts = []
    for i in range(200):
        p = Proposal.objects.create(
            committee=committee,
            term=base.term,
            session=session,
            period="session",
            lead=members[i % len(members)],
            created_by=staff,
            title=f"并发立案测试{i}",
            category=cats[0],
            state="submitted",
            submitted_at=now,
        )
        drafts.append(p.pk)
    errors = []

    def filer(chunk):
        try:
            for pk in chunk:
                for attempt in range(20):
                    try:
                        s.proposal_file(proposal=Proposal.objects.get(pk=pk), by=staff)
                        break
                    except Exception as e:  # SQLite: "database is locked" under contention -> retry
                        if "locked" not in str(e) or attempt == 19:
                            raise
                        time.sleep(0.05)
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))
        finally:
            connections.close_all()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=filer, args=(drafts[i::20],)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    filed = Proposal.objects.filter(pk__in=drafts).exclude(number="")
    serials = sorted(filed.values_list("serial", flat=True))
    numbers = list(filed.values_list("number", flat=True))
    out["filing_threads"] = 20
    out["filing_filed"] = len(serials)
    out["filing_s"] = round(time.perf_counter() - t0, 1)
    out["filing_duplicates"] = len(numbers) - len(set(numbers))
    out["filing_gaps"] = (serials[-1] - serials[0] + 1 - len(serials)) if serials else None
    out["filing_errors"] = errors[:3]
    out["filing_ok"] = len(serials) == 200 and out["filing_duplicates"] == 0 and out["filing_gaps"] == 0
    log(f"  filing: {out['filing_filed']} filed, duplicates {out['filing_duplicates']}, gaps {out['filing_gaps']}")
    return out


def run_child(engine: str, n_list: int) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench._settings", PYTHONPATH=str(ROOT))
    env.pop("DATABASE_URL", None)
    OUT.mkdir(parents=True, exist_ok=True)
    if engine == "sqlite":
        path = OUT / "proposals.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        env["SQLITE_PATH"] = str(path)
    else:
        try:
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
                conn.execute(f"CREATE DATABASE {PG_DB}")
        except Exception as e:  # noqa: BLE001
            return {"engine": engine, "skipped": f"PostgreSQL not reachable: {e}"}
        env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_DB
    proc = subprocess.run(
        [sys.executable, __file__, "--child", engine, "--list-n", str(n_list)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(proc.stderr[-3000:] if proc.returncode else proc.stderr)
    if engine == "postgresql":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(str(OUT / "proposals.sqlite3") + suffix).unlink(missing_ok=True)
    if proc.returncode:
        return {"engine": engine, "error": proc.stderr.strip().splitlines()[-1:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000, help="proposals in the similarity index")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--review-n", "--list-n", dest="list_n", type=int, default=100_000, help="proposals in the review list database"
    )
    parser.add_argument("--only", choices=["similarity", "databases", "sqlite", "postgresql"])
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.list_n), ensure_ascii=False))
        return
    out = {"bench": "proposals", "load_average": os.getloadavg()[0]}
    if args.only in (None, "similarity"):
        out["similarity"] = bench_similarity(args.n, args.queries)
    engines = {"databases": ["sqlite", "postgresql"], None: ["sqlite", "postgresql"]}.get(args.only, [args.only])
    if args.only != "similarity":
        for engine in engines:
            out[engine] = run_child(engine, args.list_n)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
