"""Choosing one sample out of k (the paper's Figure 7): pass@1-of-k for a ranking heuristic, computed exactly.

For a random k-subset of a problem's n samples, a heuristic submits the subset's top-scored sample. If the n
samples are sorted by score (best first), the one at rank r is submitted exactly when the other k-1 are drawn
from the n-1-r ranked below it: probability C(n-1-r, k-1) / C(n, k). So the expected pass rate is exact, with
no Monte Carlo: sum over passing ranks of that probability. Ties are broken by sample order.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from codexlab.evaluation.metrics import Estimate, bootstrap_mean
from codexlab.evaluation.pass_at_k import pass_at_k


@dataclass(frozen=True)
class Candidate:
    """What a heuristic may look at for one sample (the verdict is only for scoring the heuristic)."""

    passed: bool
    mean_logprob: float | None = None
    sum_logprob: float | None = None
    backtranslation: float | None = None  # log p(docstring | code), once docstring generation exists


Scorer = Callable[[Candidate], float]

SCORERS: dict[str, Scorer] = {
    "mean_logprob": lambda c: -math.inf if c.mean_logprob is None else c.mean_logprob,
    "sum_logprob": lambda c: -math.inf if c.sum_logprob is None else c.sum_logprob,
    "backtranslation": lambda c: -math.inf if c.backtranslation is None else c.backtranslation,
}
STRATEGIES = ("random", "mean_logprob", "sum_logprob", "oracle")


def pass1_of_k(cands: Sequence[Candidate], k: int, strategy: str) -> float:
    """Expected pass rate of the sample `strategy` picks from a uniformly random k-subset of `cands`."""
    n = len(cands)
    if not 1 <= k <= n:
        raise ValueError(f"need 1 <= k <= n, got k={k}, n={n}")
    c = sum(x.passed for x in cands)
    if strategy == "random":
        return c / n
    if strategy == "oracle":
        return pass_at_k(n, c, k)
    if strategy not in SCORERS:
        raise ValueError(f"unknown ranking strategy {strategy!r}; choose from {', '.join(STRATEGIES)}")
    score = SCORERS[strategy]
    order = sorted(range(n), key=lambda i: (-score(cands[i]), i))
    total = math.comb(n, k)
    return sum(math.comb(n - 1 - r, k - 1) for r, i in enumerate(order) if cands[i].passed) / total


def ranking_curves(
    problems: Mapping[str, Sequence[Candidate]],
    strategies: Sequence[str] = STRATEGIES,
    ks: Sequence[int] | None = None,
    n_boot: int = 2000,
    seed: int = 0,
) -> dict[str, dict[int, Estimate]]:
    """pass@1-of-k against k for each strategy, with bootstrap CIs over problems (k up to the smallest n)."""
    n_min = min(len(v) for v in problems.values())
    ks = list(ks) if ks is not None else list(range(1, n_min + 1))
    out: dict[str, dict[int, Estimate]] = {}
    for s in strategies:
        out[s] = {}
        for k in ks:
            if k <= n_min:
                vals = np.array([pass1_of_k(v, k, s) for v in problems.values()])
                out[s][k] = bootstrap_mean(vals, n_boot, seed=seed)
    return out
