"""Decontamination: drop training files that contain a real part of an evaluation problem.

Problems and files are compared as sets of 13-grams of code tokens (GPT-3's contamination study used 13-grams;
whitespace is ignored, so reindenting does not hide a copy). One shared 13-gram is not enough: over punctuation-split
tokens, `[1, 2, 3, 4, 5, 6, 7]` or `['a', 'b', 'c']` is a 13-gram that half the standard library shares with
HumanEval's docstring examples. A file is contaminated when it holds at least `min_fraction` of a problem's
distinct 13-grams (default 10%: a copied solution body, or a few lines of its prompt).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from codexlab.data.ngrams import ngram_hashes
from codexlab.problems import Problem


class Decontaminator:
    """Holds the n-gram hashes of each problem's prompt and canonical solution."""

    def __init__(
        self, problems: Iterable[Problem] | Mapping[str, Problem], n: int = 13, min_fraction: float = 0.1
    ) -> None:
        if isinstance(problems, Mapping):
            problems = problems.values()
        self.n = n
        self.min_fraction = min_fraction
        sizes: list[int] = []
        hashes: list[np.ndarray] = []
        owners: list[np.ndarray] = []
        self.task_ids: list[str] = []
        for i, p in enumerate(problems):
            h = np.unique(ngram_hashes(p.prompt + p.canonical_solution, n))
            hashes.append(h)
            sizes.append(h.size)
            owners.append(np.full(h.size, i, dtype=np.int32))
            self.task_ids.append(p.task_id)
        all_h = np.concatenate(hashes) if hashes else np.empty(0, dtype=np.uint64)
        order = np.argsort(all_h, kind="stable")
        self._hashes = all_h[order]
        self._owners = (np.concatenate(owners) if owners else np.empty(0, dtype=np.int32))[order]
        self._needed = np.maximum(1, np.ceil(np.asarray(sizes, dtype=np.float64) * min_fraction)).astype(np.int64)

    def matches(self, text: str) -> list[str]:
        """Task ids of which the text holds at least `min_fraction` of the n-grams (empty when clean)."""
        if self._hashes.size == 0:
            return []
        h = np.unique(ngram_hashes(text, self.n))
        if h.size == 0:
            return []
        pos = np.searchsorted(self._hashes, h)
        pos[pos == self._hashes.size] = 0
        hit = self._hashes[pos] == h
        if not hit.any():
            return []
        owners, counts = np.unique(self._owners[pos[hit]], return_counts=True)
        return sorted(self.task_ids[int(o)] for o, c in zip(owners, counts) if c >= self._needed[o])
