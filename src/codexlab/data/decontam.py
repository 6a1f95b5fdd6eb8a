"""Decontamination: drop training files that share a long token n-gram with an evaluation problem.

13-grams follow GPT-3's contamination study; over code tokens (whitespace ignored) a 13-gram is about one line,
long enough that shared boilerplate (`from typing import List`) does not trigger it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from codexlab.data.ngrams import ngram_hashes
from codexlab.problems import Problem


class Decontaminator:
    """Holds the n-gram hashes of each problem's prompt and canonical solution."""

    def __init__(self, problems: Iterable[Problem] | Mapping[str, Problem], n: int = 13) -> None:
        if isinstance(problems, Mapping):
            problems = problems.values()
        self.n = n
        hashes: list[np.ndarray] = []
        owners: list[np.ndarray] = []
        self.task_ids: list[str] = []
        for i, p in enumerate(problems):
            h = np.unique(ngram_hashes(p.prompt + p.canonical_solution, n))
            hashes.append(h)
            owners.append(np.full(h.size, i, dtype=np.int32))
            self.task_ids.append(p.task_id)
        all_h = np.concatenate(hashes) if hashes else np.empty(0, dtype=np.uint64)
        order = np.argsort(all_h, kind="stable")
        self._hashes = all_h[order]
        self._owners = (np.concatenate(owners) if owners else np.empty(0, dtype=np.int32))[order]

    def matches(self, text: str) -> list[str]:
        """Task ids whose prompt or solution shares an n-gram with the text (empty when clean)."""
        if self._hashes.size == 0:
            return []
        h = ngram_hashes(text, self.n)
        if h.size == 0:
            return []
        pos = np.searchsorted(self._hashes, h)
        pos[pos == self._hashes.size] = 0
        hit = self._hashes[pos] == h
        if not hit.any():
            return []
        return sorted({self.task_ids[int(self._owners[i])] for i in pos[hit]})
