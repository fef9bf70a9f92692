"""Similar proposals (相似提案), offline: TF-IDF over character bigrams and words (lvzhi.core.text) with an
inverted index per committee.

How a check runs (similar()):
1. The committee's index (built from the database by tasks_intel.rebuild_index, stored as IntelBlob rows,
   loaded once per process and reloaded when its version changes) holds, for every filed proposal, its
   KEEP_TERMS heaviest terms; each term's postings are ordered by weight (impact-ordered), so a query reads
   only the head of the lists of its QUERY_TERMS heaviest terms (POSTINGS_PER_TERM at most) and sums the
   products: candidate pruning that never scores the whole collection.
2. Proposals filed since the index was built ("recent", filed at or after its cutoff) are scanned directly;
   with no index at all the most recent RECENT_MAX filed proposals are scanned and a build is requested.
3. The best RESCORE candidates of this committee are scored exactly (cosine of their full vectors), the
   best k returned with the pairs of their most similar sentences (for <mark> display).
Only proposals of the committee that have been filed (a number) are returned, of every term."""

from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q

from lvzhi.core import text as T

from . import intel_store
from .models import IntelBlob, Proposal

KEEP_TERMS = 64  # terms kept per document in the index
QUERY_TERMS = 48  # heaviest query terms whose postings are read
POSTINGS_PER_TERM = 80_000  # head of each impact-ordered postings list (recall 1.0 at 1,000,000; 4,000 gave 0.39)
CANDIDATES = 100  # index candidates passed on
RESCORE = 12  # candidates scored exactly on their full text
RECENT_MAX = 3_000  # proposals scanned directly when they are not (yet) in the index
MIN_SCORE = 0.08  # below this a proposal is not "similar"
PASSAGE_MIN = 0.3  # sentence pairs shown need at least this cosine
PASSAGES = 3

TEXT_FIELDS = ("title", "problem", "analysis", "suggestion")


@dataclass
class Match:
    proposal: Proposal
    score: float
    passages: list[tuple[str, str]] = field(default_factory=list)


def document(title: str = "", problem: str = "", analysis: str = "", suggestion: str = "") -> str:
    """The text of a proposal that similarity compares: its title and its three sections."""
    return "\n".join(p for p in (title, problem, analysis, suggestion) if p)


def proposal_text(proposal: Proposal) -> str:
    return document(*(getattr(proposal, f) for f in TEXT_FIELDS))


def eligible(committee):
    """The proposals a check may return: filed in this committee (they keep their number in every later
    state, and in every term)."""
    return Proposal.objects.for_committee(committee).filter(~Q(number=""))


# --------------------------------------------------------------------------- the index


class Index:
    """Impact-ordered inverted index over hashed TF-IDF terms, plus the idf table it was weighted with."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.doc_pk = arrays["doc_pk"]
        self.terms = arrays["terms"]
        self.indptr = arrays["indptr"]
        self.post_doc = arrays["post_doc"]
        self.post_w = arrays["post_w"]
        self.idf_terms = arrays["idf_terms"]
        self.idf_vals = arrays["idf_vals"]
        self.n_docs = int(arrays["n_docs"][0])

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "doc_pk": self.doc_pk,
            "terms": self.terms,
            "indptr": self.indptr,
            "post_doc": self.post_doc,
            "post_w": self.post_w,
            "idf_terms": self.idf_terms,
            "idf_vals": self.idf_vals,
            "n_docs": np.array([self.n_docs], np.int64),
        }

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.arrays().values())

    def idf_of(self, ids: np.ndarray) -> np.ndarray:
        """idf of each term id; a term no indexed document has gets the highest idf."""
        out = np.full(len(ids), T.max_idf(self.n_docs), np.float32)
        if len(self.idf_terms) and len(ids):
            pos = np.searchsorted(self.idf_terms, ids)
            pos_c = np.minimum(pos, len(self.idf_terms) - 1)
            hit = self.idf_terms[pos_c] == ids
            out[hit] = self.idf_vals[pos_c[hit]]
        return out

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        ids, counts = T.term_counts(text)
        return ids, T.weigh(counts, self.idf_of(ids))

    def search(self, qvec, n: int = CANDIDATES) -> tuple[np.ndarray, np.ndarray]:
        """(proposal pks, approximate scores) of the best n documents, best first."""
        ids, w = qvec
        if not len(ids) or not len(self.terms):
            return np.empty(0, np.int64), np.empty(0, np.float32)
        top = np.argsort(-w)[:QUERY_TERMS]
        ids, w = ids[top], w[top]
        pos = np.searchsorted(self.terms, ids)
        pos_c = np.minimum(pos, len(self.terms) - 1)
        hit = self.terms[pos_c] == ids
        starts = self.indptr[pos_c[hit]]
        ends = np.minimum(self.indptr[pos_c[hit] + 1], starts + POSTINGS_PER_TERM)
        weights = w[hit]
        if not len(starts):
            return np.empty(0, np.int64), np.empty(0, np.float32)
        docs = np.concatenate([self.post_doc[s:e] for s, e in zip(starts, ends, strict=True)])
        contrib = np.concatenate(
            [self.post_w[s:e].astype(np.float32) * q for s, e, q in zip(starts, ends, weights, strict=True)]
        )
        # a dense accumulator (O(postings + documents), no sort), then the best among the touched documents
        acc = np.bincount(docs, weights=contrib, minlength=self.n_docs)
        touched = acc[docs]
        take = min(len(docs), 4 * n)
        head = np.argpartition(-touched, take - 1)[:take] if len(docs) > take else np.arange(len(docs))
        uniq = np.unique(docs[head])
        scores = acc[uniq].astype(np.float32)
        best = np.argsort(-scores)[:n]
        return self.doc_pk[uniq[best]], scores[best]


def build(docs, *, keep_terms: int = KEEP_TERMS, batch: int = 2000) -> Index:
    """An index of (pk, text) pairs: terms counted in vectorised batches, then weighed (idf over the whole
    collection), each document's heaviest terms kept, grouped by term with postings ordered by weight."""
    pks, all_ids, all_counts, lengths = [], [], [], []
    chunk_pks, chunk_texts = [], []

    def flush():
        doc, ids, counts = T.batch_counts(chunk_texts)
        all_ids.append(ids)
        all_counts.append(counts.astype(np.float32))
        lengths.append(np.bincount(doc, minlength=len(chunk_texts)))
        pks.extend(chunk_pks)
        chunk_pks.clear()
        chunk_texts.clear()

    for pk, text in docs:
        chunk_pks.append(pk)
        chunk_texts.append(text)
        if len(chunk_texts) >= batch:
            flush()
    if chunk_texts:
        flush()
    return build_from_counts(
        np.array(pks, np.int64),
        np.concatenate(lengths) if lengths else np.empty(0, np.int64),
        np.concatenate(all_ids) if all_ids else np.empty(0, np.int32),
        np.concatenate(all_counts) if all_counts else np.empty(0, np.float32),
        keep_terms=keep_terms,
    )


def build_from_counts(doc_pk, lengths, ids, counts, *, keep_terms: int = KEEP_TERMS) -> Index:
    """The index from flat term counts: `lengths[i]` entries of (ids, counts) belong to document i."""
    n_docs = len(doc_pk)
    lengths = np.asarray(lengths, np.int64)
    offsets = np.zeros(n_docs + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    # idf over the full vectors
    df = np.bincount(ids, minlength=T.DIM) if len(ids) else np.zeros(T.DIM, np.int64)
    idf_terms = np.flatnonzero(df).astype(np.int32)
    idf_vals = T.idf(df[idf_terms], n_docs)
    idf_full = np.zeros(T.DIM, np.float32)
    idf_full[idf_terms] = idf_vals
    del df
    w = (1.0 + np.log(counts)) * idf_full[ids]
    del idf_full, counts
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int32), lengths)
    norms = np.sqrt(np.add.reduceat(w * w, offsets[:-1])) if len(w) else np.zeros(n_docs)
    norms[lengths == 0] = 1.0
    w /= norms[doc_of]
    # keep the heaviest terms of each document: order by (document, -weight), rank within document
    order = np.lexsort((-w, doc_of))
    rank = np.arange(len(order), dtype=np.int64) - offsets[doc_of[order]]
    keep = order[rank < keep_terms]
    k_ids, k_doc, k_w = ids[keep], doc_of[keep], w[keep]
    del ids, doc_of, w, order, rank, keep
    # postings: grouped by term, each list ordered by weight (heaviest first)
    order = np.lexsort((-k_w, k_ids))
    k_ids, k_doc, k_w = k_ids[order], k_doc[order], k_w[order]
    terms, starts = np.unique(k_ids, return_index=True)
    indptr = np.append(starts, len(k_ids)).astype(np.int64)
    return Index(
        {
            "doc_pk": np.asarray(doc_pk, np.int64),
            "terms": terms.astype(np.int32),
            "indptr": indptr,
            "post_doc": k_doc.astype(np.int32),
            "post_w": k_w.astype(np.float16),
            "idf_terms": idf_terms,
            "idf_vals": idf_vals,
            "n_docs": np.array([n_docs], np.int64),
        }
    )


def load_index(committee) -> tuple[IntelBlob | None, Index | None]:
    return intel_store.load(committee, IntelBlob.Kind.SIMILARITY, lambda data: Index(intel_store.unpack(data)))


# --------------------------------------------------------------------------- recent proposals, scanned

_recent: dict[int, tuple[str, np.ndarray, np.ndarray]] = {}  # pk -> (updated_at, term ids, counts)


def _recent_counts(committee, since, exclude_id) -> list[tuple[int, np.ndarray, np.ndarray]]:
    qs = eligible(committee)
    if since is not None:
        qs = qs.filter(filed_at__gte=since)
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    rows = list(qs.order_by("-filed_at", "-id").values_list("pk", "updated_at")[:RECENT_MAX])
    missing = [pk for pk, stamp in rows if _recent.get(pk, (None,))[0] != str(stamp)]
    if missing:
        if len(_recent) > 4 * RECENT_MAX:
            _recent.clear()
        for pk, stamp, *parts in Proposal.objects.filter(pk__in=missing).values_list("pk", "updated_at", *TEXT_FIELDS):
            _recent[pk] = (str(stamp), *T.term_counts(document(*parts)))
    return [(pk, *_recent[pk][1:]) for pk, _stamp in rows if pk in _recent]


def _scan(recent, qvec, idf_of) -> dict[int, float]:
    return {pk: T.cosine(qvec, (ids, T.weigh(counts, idf_of(ids)))) for pk, ids, counts in recent}


def _local_idf(recent):
    """idf from the scanned proposals themselves, for a committee without an index."""
    n = len(recent)
    if not n:
        return lambda ids: np.full(len(ids), 1.0, np.float32)
    all_ids = np.concatenate([ids for _pk, ids, _c in recent])
    terms, df = np.unique(all_ids, return_counts=True)
    vals = T.idf(df, n)
    top = T.max_idf(n)

    def idf_of(ids):
        pos = np.minimum(np.searchsorted(terms, ids), len(terms) - 1)
        return np.where(terms[pos] == ids, vals[pos], top).astype(np.float32)

    return idf_of


# --------------------------------------------------------------------------- passages


def passages(mine: str, theirs: str, idf_of=None, limit: int = PASSAGES) -> list[tuple[str, str]]:
    """The pairs of most similar sentences (each sentence used once), in the order of `mine`."""
    a, b = T.sentences(mine), T.sentences(theirs)
    if not a or not b:
        return []

    doc, ids, counts = T.batch_counts(a + b)

    def vec(i):
        mine = doc == i
        return ids[mine], T.weigh(counts[mine], idf_of(ids[mine]) if idf_of else np.ones(mine.sum(), np.float32))

    va, vb = [vec(i) for i in range(len(a))], [vec(len(a) + j) for j in range(len(b))]
    pairs = sorted(((T.cosine(x, y), i, j) for i, x in enumerate(va) for j, y in enumerate(vb)), key=lambda p: -p[0])
    used_a, used_b, chosen = set(), set(), []
    for score, i, j in pairs:
        if score < PASSAGE_MIN or len(chosen) >= limit:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        chosen.append((i, j))
    return [(a[i], b[j]) for i, j in sorted(chosen)]


# --------------------------------------------------------------------------- the check


def similar(committee, text: str, *, exclude_id=None, k: int = 5) -> list[Match]:
    """The k filed proposals of this committee (all terms) most similar to `text`, best first."""
    if committee is None or not (text or "").strip():
        return []
    blob, index = load_index(committee)
    if index is not None:
        qvec = index.vector(text)
        idf_of = index.idf_of
        pks, scores = index.search(qvec, CANDIDATES)
        found = dict(zip(pks.tolist(), scores.tolist(), strict=True))
        recent = _recent_counts(committee, blob.cutoff, exclude_id)
        if len(recent) >= RECENT_MAX:
            _request_build(committee)
    else:
        found = {}
        recent = _recent_counts(committee, None, exclude_id)
        idf_of = _local_idf(recent)
        ids, counts = T.term_counts(text)
        qvec = (ids, T.weigh(counts, idf_of(ids)))
        if len(recent) >= RECENT_MAX:
            _request_build(committee)
    for pk, score in _scan(recent, qvec, idf_of).items():
        found[pk] = max(score, found.get(pk, 0.0))
    found.pop(exclude_id, None)
    ranked = sorted(found, key=lambda pk: -found[pk])[: max(RESCORE, k)]
    rows = {p.pk: p for p in eligible(committee).filter(pk__in=ranked).select_related("category")}
    candidates = [rows[pk] for pk in ranked if pk in rows and pk != exclude_id]
    matches = []
    if candidates:
        doc, ids, counts = T.batch_counts([proposal_text(p) for p in candidates])
        for i, proposal in enumerate(candidates):
            mine = doc == i
            score = T.cosine(qvec, (ids[mine], T.weigh(counts[mine], idf_of(ids[mine]))))
            if score >= MIN_SCORE:
                matches.append(Match(proposal=proposal, score=min(1.0, round(score, 4))))
    matches.sort(key=lambda m: -m.score)
    matches = matches[:k]
    for match in matches:
        match.passages = passages(text, proposal_text(match.proposal), idf_of)
    return matches


def _request_build(committee) -> None:
    from .tasks_intel import schedule_rebuild

    schedule_rebuild(committee)
