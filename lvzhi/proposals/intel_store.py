"""Where the trained intelligence lives: IntelBlob rows in the database (one per committee and kind), the
data split in IntelChunk rows of at most CHUNK bytes so neither SQLite nor PostgreSQL has to move one
huge value. Every process loads a blob lazily and keeps it until the version in the database changes."""

import io
import threading
import uuid

import numpy as np
from django.db import transaction
from django.utils import timezone

from .models import IntelBlob, IntelChunk

CHUNK = 8 * 1024 * 1024

_cache: dict[tuple[int, str], tuple[int, object]] = {}
_lock = threading.Lock()


def pack(arrays: dict[str, np.ndarray]) -> bytes:
    """Arrays to bytes (numpy's npz, no pickle)."""
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def unpack(data: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def save(committee, kind: str, data: bytes, *, cutoff=None, n_docs: int = 0, meta: dict | None = None) -> IntelBlob:
    """Store a new version: the chunks first, then the version number (readers switch atomically), then
    the old chunks are removed."""
    blob, _created = IntelBlob.objects.get_or_create(committee=committee, kind=kind)
    with transaction.atomic():
        blob = IntelBlob.objects.select_for_update().get(pk=blob.pk)
        version = blob.version + 1
        IntelChunk.objects.bulk_create(
            [
                IntelChunk(blob=blob, version=version, seq=i, data=data[start : start + CHUNK])
                for i, start in enumerate(range(0, max(len(data), 1), CHUNK))
            ]
        )
        blob.version = version
        blob.built_at = timezone.now()
        blob.cutoff = cutoff
        blob.n_docs = n_docs
        blob.meta = {**(meta or {}), "token": uuid.uuid4().hex}
        blob.save()
        IntelChunk.objects.filter(blob=blob).exclude(version=version).delete()
    return blob


def current(committee, kind: str) -> IntelBlob | None:
    return IntelBlob.objects.filter(committee=committee, kind=kind).only("id", "version", "cutoff", "meta").first()


def load(committee, kind: str, decode):
    """(blob row, decoded data) of the committee's current version, or (None, None) if none was built.
    The decoded data is kept per process and reloaded only when the version changes."""
    blob = current(committee, kind)
    if blob is None or blob.version == 0:
        return None, None
    key = (committee.pk, kind)
    stamp = (blob.version, blob.meta.get("token"))
    hit = _cache.get(key)
    if hit and hit[0] == stamp:
        return blob, hit[1]
    with _lock:
        hit = _cache.get(key)
        if hit and hit[0] == stamp:
            return blob, hit[1]
        parts = list(
            IntelChunk.objects.filter(blob_id=blob.pk, version=blob.version)
            .order_by("seq")
            .values_list("data", flat=True)
        )
        if not parts:  # replaced while we read: use what we have, the next call loads the new version
            return (blob, hit[1]) if hit else (None, None)
        decoded = decode(b"".join(bytes(p) for p in parts))
        _cache[key] = (stamp, decoded)
        return blob, decoded


def forget() -> None:
    """Drop every loaded blob of this process (tests)."""
    _cache.clear()
