"""Exact and near-duplicate removal, streaming: each file is checked against the files kept before it.

Near duplicates use MinHash over 5-token shingles with LSH banding. The index lives in SQLite (on disk for a real
corpus), so memory stays bounded however many files pass through.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np

from codexlab.data.ngrams import ngram_hashes


class ExactDedup:
    """Content hash (sha256 of the bytes, 8 bytes kept): about 70 bytes of memory per distinct file."""

    def __init__(self) -> None:
        self._seen: set[int] = set()

    def is_duplicate(self, data: bytes) -> bool:
        """True when identical bytes were seen before; otherwise remembers them."""
        key = int.from_bytes(hashlib.sha256(data).digest()[:8], "little")
        if key in self._seen:
            return True
        self._seen.add(key)
        return False


class MinHashLSH:
    """MinHash signatures (multiply-shift hashing, numpy) and LSH buckets in SQLite.

    With 128 permutations in 16 bands of 8 rows, pairs above Jaccard ~0.7 become candidates; a candidate is a
    duplicate when the signatures agree on at least `threshold` of their positions (estimated Jaccard).
    """

    def __init__(
        self,
        threshold: float = 0.8,
        num_perm: int = 128,
        bands: int = 16,
        shingle: int = 5,
        seed: int = 0,
        path: str | Path | None = None,
    ) -> None:
        if num_perm % bands:
            raise ValueError("num_perm must be a multiple of bands")
        self.threshold = threshold
        self.num_perm = num_perm
        self.bands = bands
        self.rows = num_perm // bands
        self.shingle = shingle
        rng = np.random.default_rng(seed)
        self._a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)  # odd multipliers
        self._b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
        self._db = sqlite3.connect(str(path) if path else ":memory:")
        self._db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;"
            "CREATE TABLE IF NOT EXISTS bucket (band INTEGER, key INTEGER, doc INTEGER, PRIMARY KEY (band, key))"
            " WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS sig (doc INTEGER PRIMARY KEY, value BLOB);"
        )
        self._next = int(self._db.execute("SELECT COALESCE(MAX(doc) + 1, 0) FROM sig").fetchone()[0])

    def signature(self, text: str) -> np.ndarray | None:
        """uint32 signature of the text's shingles; None when it has fewer tokens than one shingle."""
        shingles = np.unique(ngram_hashes(text, self.shingle))
        if shingles.size == 0:
            return None
        sig = np.full(self.num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
        with np.errstate(over="ignore"):
            for start in range(0, shingles.size, 8192):  # chunks keep the (shingles x perms) matrix small
                chunk = shingles[start : start + 8192, None]
                hashed = ((chunk * self._a + self._b) >> np.uint64(32)).astype(np.uint32)
                np.minimum(sig, hashed.min(axis=0), out=sig)
        return sig

    def _band_keys(self, sig: np.ndarray) -> list[int]:
        rows = sig.reshape(self.bands, self.rows)
        return [int.from_bytes(hashlib.blake2b(r.tobytes(), digest_size=7).digest(), "little") for r in rows]

    def find_duplicate(self, sig: np.ndarray) -> int | None:
        """Index of a kept document whose estimated Jaccard similarity is at least the threshold, if any."""
        seen: set[int] = set()
        for band, key in enumerate(self._band_keys(sig)):
            row = self._db.execute("SELECT doc FROM bucket WHERE band = ? AND key = ?", (band, key)).fetchone()
            if row is None or row[0] in seen:
                continue
            seen.add(row[0])
            blob = self._db.execute("SELECT value FROM sig WHERE doc = ?", (row[0],)).fetchone()[0]
            other = np.frombuffer(blob, dtype=np.uint32)
            if float(np.mean(other == sig)) >= self.threshold:
                return int(row[0])
        return None

    def add(self, sig: np.ndarray) -> int:
        """Index a kept document; buckets already taken keep their first document (enough to find a match)."""
        doc = self._next
        self._next += 1
        self._db.execute("INSERT INTO sig VALUES (?, ?)", (doc, sig.tobytes()))
        self._db.executemany(
            "INSERT OR IGNORE INTO bucket VALUES (?, ?, ?)",
            [(band, key, doc) for band, key in enumerate(self._band_keys(sig))],
        )
        return doc

    def is_duplicate(self, text: str) -> bool:
        """Check and, when new, index the text. Texts too short to shingle are never near duplicates."""
        sig = self.signature(text)
        if sig is None:
            return False
        if self.find_duplicate(sig) is not None:
            return True
        self.add(sig)
        return False

    def close(self) -> None:
        self._db.commit()
        self._db.close()
