"""Similar earlier reports for a member writing a new one (small scale: the committee's latest reports,
TF-IDF cosine over lvzhi.core.text tokens with the idf of those reports)."""

from dataclasses import dataclass

import numpy as np

from lvzhi.core import text as ctext

from .models import OpinionReport

SCAN = 600  # the latest reports compared
THRESHOLD = 0.18
MIN_CHARS = 10


@dataclass
class Match:
    report: OpinionReport
    score: float


def _doc(title, situation, suggestion) -> str:
    return "\n".join(p for p in (title, situation, suggestion) if p)


def similar(committee, *, title="", situation="", suggestion="", exclude_id=None, k: int = 5) -> list[Match] | None:
    """None when the text is too short to compare."""
    mine = _doc(title, situation, suggestion)
    if len(ctext.normalize(mine)) < MIN_CHARS:
        return None
    qs = (
        OpinionReport.objects.for_committee(committee)
        .exclude(state__in=("draft", "withdrawn", "combined"))
        .filter(root__isnull=True)
        .order_by("-submitted_at", "-id")
    )
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    rows = list(qs.only("id", "title", "situation", "suggestion", "state", "submitted_at")[:SCAN])
    if not rows:
        return []
    counts = [ctext.term_counts(_doc(r.title, r.situation, r.suggestion)) for r in rows]
    q_ids, q_counts = ctext.term_counts(mine)
    if not len(q_ids):
        return []
    all_ids = np.concatenate([ids for ids, _c in counts] + [q_ids])
    uniq, df = np.unique(all_ids, return_counts=True)
    idfs = ctext.idf(df.astype(np.float64), len(rows) + 1)

    def vec(ids, cnts):
        return ids, ctext.weigh(cnts.astype(np.float64), idfs[np.searchsorted(uniq, ids)])

    q = vec(q_ids, q_counts)
    scored = []
    for row, (ids, cnts) in zip(rows, counts, strict=True):
        if len(ids):
            score = ctext.cosine(q, vec(ids, cnts))
            if score >= THRESHOLD:
                scored.append(Match(row, score))
    scored.sort(key=lambda m: -m.score)
    return scored[:k]
