"""pass@k with error bars, and paired tests between two runs on the same problems.

The uncertainty that matters for a benchmark of ~164 problems is which problems were drawn, so confidence
intervals bootstrap over problems (each problem's pass@k estimate is unbiased given its n samples).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from codexlab.evaluation.pass_at_k import pass_at_k


@dataclass(frozen=True)
class Estimate:
    """A mean over problems with a bootstrap confidence interval."""

    value: float
    low: float
    high: float
    n_problems: int
    confidence: float = 0.95

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{100 * self.value:.1f}% [{100 * self.low:.1f}, {100 * self.high:.1f}]"

    def signed_points(self) -> str:
        """A difference in percentage points with its interval, e.g. ``+5.3 [-1.1, +12.8]`` (tables, compare)."""
        return f"{100 * self.value:+.1f} [{100 * self.low:+.1f}, {100 * self.high:+.1f}]"


def per_problem_pass_at_k(outcomes: Mapping[str, Sequence[bool]], k: int) -> dict[str, float]:
    """Each problem's unbiased pass@k (problems with fewer than k samples are left out)."""
    return {t: pass_at_k(len(v), sum(map(bool, v)), k) for t, v in outcomes.items() if len(v) >= k}


def bootstrap_mean(
    values: Sequence[float] | np.ndarray, n_boot: int = 2000, confidence: float = 0.95, seed: int = 0
) -> Estimate:
    """Mean of per-problem values with a percentile bootstrap CI (problems resampled with replacement)."""
    x = np.asarray(values, dtype=np.float64)
    if x.size == 0:
        raise ValueError("no problems")
    rng = np.random.default_rng(seed)
    means = x[rng.integers(0, x.size, size=(n_boot, x.size))].mean(axis=1)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(means, [alpha, 1 - alpha])
    return Estimate(float(x.mean()), float(low), float(high), int(x.size), confidence)


def pass_at_k_ci(
    outcomes: Mapping[str, Sequence[bool]],
    ks: Iterable[int],
    n_boot: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> dict[int, Estimate]:
    """pass@k with a bootstrap CI over problems, for every k <= the smallest n."""
    n_min = min((len(v) for v in outcomes.values()), default=0)
    out: dict[int, Estimate] = {}
    for k in sorted(set(ks)):
        if 1 <= k <= n_min:
            vals = list(per_problem_pass_at_k(outcomes, k).values())
            out[k] = bootstrap_mean(vals, n_boot, confidence, seed)
    return out


@dataclass(frozen=True)
class PairedResult:
    """B minus A on the problems both runs judged: the difference, its CI, and two-sided p-values."""

    k: int
    a: float
    b: float
    diff: Estimate
    p_bootstrap: float
    p_mcnemar: float | None
    a_only: list[str]  # solved (pass@k = 1 when n == k) by A and not by B
    b_only: list[str]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["diff"] = self.diff.to_dict()
        return d


def paired_bootstrap_p(diffs: np.ndarray, n_boot: int = 4000, seed: int = 0) -> float:
    """Two-sided p-value for mean(diffs) == 0: bootstrap the centred differences (the null) over problems."""
    if diffs.size == 0 or np.all(diffs == 0):
        return 1.0
    rng = np.random.default_rng(seed)
    centred = diffs - diffs.mean()
    means = centred[rng.integers(0, diffs.size, size=(n_boot, diffs.size))].mean(axis=1)
    return float((np.sum(np.abs(means) >= abs(diffs.mean())) + 1) / (n_boot + 1))


def mcnemar_exact(a_only: int, b_only: int) -> float:
    """Exact McNemar test on the discordant pairs: two-sided binomial p-value with p = 1/2."""
    n = a_only + b_only
    if n == 0:
        return 1.0
    m = min(a_only, b_only)
    tail = sum(math.comb(n, i) for i in range(m + 1)) / 2**n
    return float(min(1.0, 2 * tail))


def compare_runs(
    a: Mapping[str, Sequence[bool]], b: Mapping[str, Sequence[bool]], k: int = 1, n_boot: int = 4000, seed: int = 0
) -> PairedResult:
    """Paired comparison of pass@k on the problems both runs have with at least k samples.

    Flipped problems are those whose per-problem pass@k moved by at least 1/2 (for n = k: solved by one run
    only). McNemar's exact test is given when both runs have one sample per problem, where it applies exactly.
    """
    pa, pb = per_problem_pass_at_k(a, k), per_problem_pass_at_k(b, k)
    common = [t for t in pa if t in pb]
    if not common:
        raise ValueError("the two runs share no problem with enough samples")
    xa = np.array([pa[t] for t in common])
    xb = np.array([pb[t] for t in common])
    diffs = xb - xa
    a_only = [t for t in common if pa[t] - pb[t] >= 0.5]
    b_only = [t for t in common if pb[t] - pa[t] >= 0.5]
    single = all(len(a[t]) == 1 and len(b[t]) == 1 for t in common)
    return PairedResult(
        k=k,
        a=float(xa.mean()),
        b=float(xb.mean()),
        diff=bootstrap_mean(diffs, n_boot, seed=seed),
        p_bootstrap=paired_bootstrap_p(diffs, n_boot, seed),
        p_mcnemar=mcnemar_exact(len(a_only), len(b_only)) if single else None,
        a_only=a_only,
        b_only=b_only,
    )
