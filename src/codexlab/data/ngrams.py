"""Code tokens and their n-gram hashes, shared by near-duplicate detection and decontamination.

Tokens are identifiers, numbers and single punctuation characters; whitespace is ignored, so reformatting a file
does not hide a duplicate. Hashes are stable across processes (blake2b), so indexes can live on disk.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

_TOKEN = re.compile(r"\w+|[^\w\s]")
_CACHE: dict[str, int] = {}
_CACHE_LIMIT = 1_000_000
_BASE = np.uint64(1_099_511_628_211)  # FNV prime: an odd multiplier mixes well modulo 2**64


def code_tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def token_hashes(tokens: list[str]) -> np.ndarray:
    """64-bit hash per token; the cache makes this cheap since code reuses a small vocabulary."""
    out = np.empty(len(tokens), dtype=np.uint64)
    cache = _CACHE
    for i, tok in enumerate(tokens):
        h = cache.get(tok)
        if h is None:
            h = int.from_bytes(hashlib.blake2b(tok.encode(), digest_size=8).digest(), "little")
            if len(cache) < _CACHE_LIMIT:
                cache[tok] = h
        out[i] = h
    return out


def ngram_hashes(text: str, n: int) -> np.ndarray:
    """Polynomial hash of every run of n consecutive tokens (uint64, wrapping); empty when text is shorter."""
    th = token_hashes(code_tokens(text))
    count = len(th) - n + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64)
    acc = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(n):
            acc = acc * _BASE + th[j : j + count]
    return acc
