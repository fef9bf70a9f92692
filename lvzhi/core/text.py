"""Chinese text, offline: normalisation, sentences, segmentation (rjieba: jieba's algorithm and
dictionary in Rust, about 12 times faster than pure-Python jieba), tokens (words of three or more
characters plus character bigrams) and TF-IDF vectors in a fixed hashed term space.

Terms are hashed (crc32, stable across processes and machines) into 2**22 buckets, so an index built by a
background worker can be read by every web process without a shared vocabulary. Nothing here calls an
outside service; the dictionary is compiled into the package, so nothing is downloaded and no cache file
is written (pure-Python jieba would write its prefix cache; it is not used here)."""

import math
import re
import threading
import unicodedata

import numpy as np

DIM_BITS = 22
DIM = 1 << DIM_BITS
MASK = DIM - 1

# Words jieba does not know but proposals use (the seed's topics and common policy terms).
USER_WORDS = [
    "科技创新",
    "未来乡村",
    "共同富裕",
    "文创品牌",
    "青年人才",
    "地铁口",
    "城市有机更新",
    "有机更新",
    "数字化转型",
    "数字经济",
    "老旧小区",
    "一老一小",
    "最多跑一次",
    "营商环境",
    "专精特新",
    "产学研",
    "非机动车",
    "电子围栏",
    "养老服务",
    "托育服务",
    "垃圾分类",
    "乡村振兴",
    "城中村",
    "智慧城市",
    "基层治理",
    "网格化",
    "新就业形态",
]

STOPWORDS = frozenset(
    "的 了 和 与 及 在 是 对 等 为 将 把 被 就 也 都 而 并 或 其 中 我 我们 你 他 她 它 这 那 之 以 于 从 由 向 "
    "上 下 个 有 无 不 要 会 能 可 可以 进一步 一是 二是 三是 四是 五是 目前 当前 方面 问题 建议 一些 进行 通过 "
    "以及 同时 因此 但是 并且 然而 还 更 很 较 已 已经 一个 一 二 三 四 五".split()
)

_HAN = re.compile(r"[\u3400-\u9fff]+")
_ALNUM = re.compile(r"[a-z0-9][a-z0-9.\-+]*")
_SENTENCE_END = re.compile(r"(?<=[。!?;\n])|(?<=[.!?;] )")
_SPACE = re.compile(r"[ \t\r\f\v\u3000]+")

_lock = threading.Lock()
_jieba = None


def segmenter():
    """The segmenter, initialised once per process (the user words added once, quietly)."""
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import rjieba

                for word in USER_WORDS:
                    rjieba.add_word(word, 2000, None)
                _jieba = rjieba
    return _jieba


def normalize(text: str) -> str:
    """Full-width to half-width (NFKC), lower case, runs of spaces to one space."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _SPACE.sub(" ", text).strip()


def sentences(text: str) -> list[str]:
    """The sentences of a text (split after 。!?; and line breaks), stripped, empty ones dropped."""
    text = unicodedata.normalize("NFKC", text or "")
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def words(text: str) -> list[str]:
    """jieba's words of the normalised text, without punctuation, spaces and stop words."""
    out = []
    for word in segmenter().cut(normalize(text), False):
        word = word.strip()
        if word and word not in STOPWORDS and (_HAN.fullmatch(word) or _ALNUM.fullmatch(word)):
            out.append(word)
    return out


def bigrams(text: str) -> list[str]:
    """Character bigrams inside each run of Chinese characters (a lone character gives itself)."""
    out = []
    for run in _HAN.findall(normalize(text)):
        if len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def tokens(text: str) -> list[str]:
    """What similarity and suggestion count: every character bigram, plus the words bigrams cannot stand
    for (three or more characters, e.g. 数字化转型), plus Latin words and numbers (5g, 2025)."""
    text = normalize(text)
    out = bigrams(text)
    out.extend("w:" + word for _pos, word in sorted(_han_words(text)))
    return out


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(64 - DIM_BITS)


def _bigram_hash(keys: np.ndarray) -> np.ndarray:
    """Fibonacci hashing of (first code point << 16 | second code point) into the term space."""
    with np.errstate(over="ignore"):
        return ((keys.astype(np.uint64) * _GOLDEN) >> _SHIFT).astype(np.int32)


_P = np.uint64(1_000_003)
_WORD_SALT = np.uint64(0x5BD1E995)
WORD_HASH_CHARS = 20  # a word's hash reads at most its first 20 characters


def _word_ids(cp: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Hashed ids of the words at (starts, lengths) of the code points cp: a polynomial over the code
    points, then Fibonacci hashing (vectorised over all words)."""
    h = np.zeros(len(starts), np.uint64)
    lengths = np.minimum(lengths, WORD_HASH_CHARS)
    with np.errstate(over="ignore"):
        for j in range(int(lengths.max()) if len(lengths) else 0):
            m = lengths > j
            h[m] = h[m] * _P + cp[starts[m] + j].astype(np.uint64)
        return (((h ^ _WORD_SALT) * _GOLDEN) >> _SHIFT).astype(np.int32)


def _word_hash(word: str) -> int:
    cp = np.array([ord(c) for c in word], np.uint32)
    return int(_word_ids(cp, np.array([0]), np.array([len(cp)]))[0])


def term_id(token: str) -> int:
    """The hashed id of a token as tokens() writes it ("w:" words, else a bigram or a lone character)."""
    if token.startswith("w:"):
        return _word_hash(token[2:])
    first = ord(token[0])
    second = ord(token[1]) if len(token) > 1 else 0
    return int(_bigram_hash(np.array([(first << 16) | second]))[0])


def _latin(text: str) -> list[tuple[int, str]]:
    """(position, word) of Latin words and numbers of two or more characters (5g, 2025, app)."""
    return [(m.start(), m.group()) for m in _ALNUM.finditer(text) if len(m.group()) >= 2]


def _word_spans(text: str, cp: np.ndarray, han: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(starts, lengths) of the words counted as terms: the segmenter's all-Chinese words of three or more
    characters, and Latin words/numbers of two or more."""
    toks = segmenter().cut(text, False)
    lengths = np.fromiter(map(len, toks), np.int64, len(toks))
    starts = np.cumsum(lengths) - lengths
    long = lengths >= 3
    starts, lengths = starts[long], lengths[long]
    han_cs = np.zeros(len(han) + 1, np.int64)
    np.cumsum(han, out=han_cs[1:])
    all_han = (han_cs[starts + lengths] - han_cs[starts]) == lengths
    starts, lengths = starts[all_han], lengths[all_han]
    latin = _latin(text)
    if latin:
        starts = np.concatenate([starts, np.fromiter((p for p, _w in latin), np.int64, len(latin))])
        lengths = np.concatenate([lengths, np.fromiter((len(w) for _p, w in latin), np.int64, len(latin))])
    return starts, lengths


def _han_words(text: str) -> list[tuple[int, str]]:
    cp = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    starts, lengths = _word_spans(text, cp, (cp >= 0x3400) & (cp <= 0x9FFF))
    return [(int(p), text[p : p + n]) for p, n in zip(starts.tolist(), lengths.tolist(), strict=True)]


def batch_counts(texts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Term counts of many texts at once (vectorised): arrays (document number, term id, count) ordered by
    document then term. The same terms as tokens() gives for each text."""
    texts = [normalize(t) for t in texts]
    n = len(texts)
    if not n:
        return np.empty(0, np.int64), np.empty(0, np.int32), np.empty(0, np.float32)
    joined = "\n".join(texts)  # jieba never joins across a line break, bigrams never cross it
    cp = np.frombuffer(joined.encode("utf-32-le"), np.uint32)
    lengths = np.fromiter(map(len, texts), np.int64, n)
    doc_start = np.zeros(n, np.int64)
    np.cumsum(lengths[:-1] + 1, out=doc_start[1:])
    han = (cp >= 0x3400) & (cp <= 0x9FFF)
    prev_han = np.zeros_like(han)
    prev_han[1:] = han[:-1]
    next_han = np.zeros_like(han)
    next_han[:-1] = han[1:]
    pair_pos = np.flatnonzero(han & next_han)
    lone_pos = np.flatnonzero(han & ~prev_han & ~next_han)
    keys = np.concatenate(
        [(cp[pair_pos].astype(np.int64) << 16) | cp[pair_pos + 1], cp[lone_pos].astype(np.int64) << 16]
    )
    w_starts, w_lengths = _word_spans(joined, cp, han)
    ids = np.concatenate([_bigram_hash(keys), _word_ids(cp, w_starts, w_lengths)])
    doc = np.searchsorted(doc_start, np.concatenate([pair_pos, lone_pos, w_starts]), side="right") - 1
    key = doc.astype(np.int64) * DIM + ids
    uniq, counts = np.unique(key, return_counts=True)
    return uniq // DIM, (uniq % DIM).astype(np.int32), counts.astype(np.float32)


def term_counts(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(sorted unique term ids, counts) of one text."""
    _doc, ids, counts = batch_counts([text])
    return ids, counts


def idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    """Smoothed inverse document frequency, as scikit-learn computes it: ln((1+n)/(1+df)) + 1."""
    return (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)


def max_idf(n_docs: int) -> float:
    return math.log(1.0 + n_docs) + 1.0


def weigh(counts: np.ndarray, idfs: np.ndarray) -> np.ndarray:
    """Sublinear tf (1 + ln tf) times idf, L2-normalised."""
    w = (1.0 + np.log(counts)) * idfs
    norm = float(np.sqrt(np.dot(w, w)))
    return (w / norm).astype(np.float32) if norm else w.astype(np.float32)


def cosine(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    """Cosine of two normalised sparse vectors given as (sorted ids, weights)."""
    common, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    if not len(common):
        return 0.0
    return float(np.dot(a[1][ia], b[1][ib]))
