"""The unbiased pass@k estimator of Chen et al. (2021), in its numerically stable product form."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np


def pass_at_k(n: int, c: int, k: int) -> float:
    """Probability that at least one of k samples drawn without replacement from n (c correct) passes.

    1 - C(n-c, k) / C(n, k), computed as 1 - prod_{i=n-c+1}^{n} (1 - k/i) to avoid huge binomials.
    """
    if not 0 <= c <= n:
        raise ValueError(f"need 0 <= c <= n, got n={n}, c={c}")
    if not 1 <= k <= n:
        raise ValueError(f"need 1 <= k <= n, got n={n}, k={k}")
    if n - c < k:
        return 1.0
    return float(1.0 - np.prod(1.0 - k / np.arange(n - c + 1, n + 1)))


def mean_pass_at_k(counts: Iterable[tuple[int, int]], k: int) -> float:
    """Mean pass@k over problems given (n, c) per problem. Every problem must have n >= k."""
    values = [pass_at_k(n, c, k) for n, c in counts]
    if not values:
        raise ValueError("no problems")
    return float(np.mean(values))


def pass_at_k_table(results: Mapping[str, Sequence[bool]], ks: Iterable[int] | None = None) -> dict[int, float]:
    """pass@k for each k (default: every k up to the smallest n) from per-problem pass/fail lists."""
    counts = [(len(v), sum(bool(x) for x in v)) for v in results.values()]
    if not counts:
        return {}
    n_min = min(n for n, _ in counts)
    if n_min == 0:
        return {}
    wanted = sorted(set(ks)) if ks is not None else list(range(1, n_min + 1))
    return {k: mean_pass_at_k(counts, k) for k in wanted if 1 <= k <= n_min}


def default_ks(n: int) -> list[int]:
    """The k values worth printing for n samples: 1, 10, 100 (as the paper) and n itself, capped at n."""
    ks = [k for k in (1, 10, 100) if k <= n]
    if n not in ks:
        ks.append(n)
    return ks
