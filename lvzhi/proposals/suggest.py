"""Suggested category and lead handling unit (建议类别与主办单位), learned from this committee's past
proposals (their category) and past assignments (the lead unit that kept them), offline.

A multinomial logistic regression (scikit-learn) over the same TF-IDF terms as similarity. It is trained
by a background task (tasks_intel.retrain_suggester) and stored as plain arrays (vocabulary, idf,
coefficients; no pickle) in an IntelBlob row, so every process loads it; predicting is a dot product in
numpy. A request never trains: with no stored model, suggest() answers None and asks for a training."""

import numpy as np

from lvzhi.core import text as T
from lvzhi.org.models import HandlingUnit

from . import intel_store
from .models import Assignment, Category, IntelBlob

MIN_SAMPLES = 8  # fewer labelled past proposals than this: no suggestion
MIN_DF = 2  # a term must occur in this many training texts to be a feature (keeps the model small)
C = 10.0  # inverse regularisation


# --------------------------------------------------------------------------- training (background only)


def training_sets(committee) -> dict[str, tuple[list[str], list[int]]]:
    """{"category": (texts, category ids), "unit": (texts, lead unit ids)} from filed proposals and their
    lead assignments that were not returned or cancelled."""
    from .similarity import TEXT_FIELDS, document, eligible

    cats = eligible(committee).filter(category__isnull=False).values_list("category_id", *TEXT_FIELDS)
    units = (
        Assignment.objects.for_committee(committee)
        .filter(role=Assignment.Role.LEAD)
        .exclude(state__in=["returned", "cancelled"])
        .values_list("unit_id", *(f"proposal__{f}" for f in TEXT_FIELDS))
    )
    out = {}
    for name, rows in (("category", cats), ("unit", units)):
        rows = list(rows)
        out[name] = ([document(*r[1:]) for r in rows], [r[0] for r in rows])
    return out


def fit(texts: list[str], labels: list[int]) -> dict[str, np.ndarray] | None:
    """Train one classifier; None when there is too little data (or a single class)."""
    if len(texts) < MIN_SAMPLES or len(set(labels)) < 2:
        return None
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counted = [T.term_counts(t) for t in texts]
    all_ids = np.concatenate([ids for ids, _c in counted])
    vocab, df = np.unique(all_ids, return_counts=True)
    vocab = vocab[df >= MIN_DF]
    df = df[df >= MIN_DF]
    if not len(vocab):
        return None
    idf = T.idf(df, len(texts))
    rows, cols, vals = [], [], []
    for r, (ids, counts) in enumerate(counted):
        pos = np.minimum(np.searchsorted(vocab, ids), len(vocab) - 1)
        hit = vocab[pos] == ids
        w = T.weigh(counts[hit], idf[pos[hit]])
        rows.append(np.full(hit.sum(), r))
        cols.append(pos[hit])
        vals.append(w)
    X = csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(len(texts), len(vocab)))
    y = np.asarray(labels, np.int64)
    model = LogisticRegression(C=C, max_iter=500)
    model.fit(X, y)
    coef, intercept = model.coef_.astype(np.float32), model.intercept_.astype(np.float32)
    if len(model.classes_) == 2:  # binary: one row of coefficients for class 1 against class 0
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2], np.float32)
    return {
        "vocab": vocab.astype(np.int32),
        "idf": idf,
        "coef": coef,
        "intercept": intercept,
        "classes": model.classes_,
    }


def train(committee) -> dict[str, int]:
    """Train both classifiers of a committee and store them (a new version). Returns the sample counts."""
    sets = training_sets(committee)
    arrays, meta = {}, {}
    for name, (texts, labels) in sets.items():
        model = fit(texts, labels)
        meta[name] = len(texts)
        if model:
            arrays.update({f"{name}_{k}": v for k, v in model.items()})
    intel_store.save(committee, IntelBlob.Kind.SUGGEST, intel_store.pack(arrays), n_docs=max(meta.values()), meta=meta)
    return meta


# --------------------------------------------------------------------------- predicting (any request)


def _predict(model: dict[str, np.ndarray], prefix: str, text: str) -> tuple[int, float] | None:
    if f"{prefix}_vocab" not in model:
        return None
    vocab, idf = model[f"{prefix}_vocab"], model[f"{prefix}_idf"]
    ids, counts = T.term_counts(text)
    if not len(ids):
        return None
    pos = np.minimum(np.searchsorted(vocab, ids), len(vocab) - 1)
    hit = vocab[pos] == ids
    if not hit.any():
        return None
    w = T.weigh(counts[hit], idf[pos[hit]])
    logits = model[f"{prefix}_coef"][:, pos[hit]] @ w + model[f"{prefix}_intercept"]
    p = np.exp(logits - logits.max())
    p /= p.sum()
    best = int(np.argmax(p))
    return int(model[f"{prefix}_classes"][best]), float(p[best])


def suggest(committee, text: str) -> dict:
    """{"category": (Category, confidence) | None, "unit": (HandlingUnit, confidence) | None}."""
    out = {"category": None, "unit": None}
    if committee is None or not (text or "").strip():
        return out
    blob, model = intel_store.load(committee, IntelBlob.Kind.SUGGEST, intel_store.unpack)
    if model is None:
        from .tasks_intel import schedule_retrain

        schedule_retrain(committee)
        return out
    for key, manager, extra in (
        ("category", Category.objects, {}),
        ("unit", HandlingUnit.objects, {"active": True}),
    ):
        guess = _predict(model, key, text)
        if guess:
            obj = manager.for_committee(committee).filter(pk=guess[0], **extra).first()
            if obj is not None:
                out[key] = (obj, round(guess[1], 3))
    return out
