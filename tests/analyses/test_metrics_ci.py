"""pass@k against exact combinatorics, bootstrap CI coverage on a simulated benchmark, paired tests."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from codexlab.evaluation.metrics import bootstrap_mean, compare_runs, mcnemar_exact, paired_bootstrap_p, pass_at_k_ci
from codexlab.evaluation.pass_at_k import pass_at_k


@pytest.mark.parametrize("n,c", [(5, 0), (5, 2), (6, 3), (7, 7), (8, 1)])
def test_estimator_matches_subset_enumeration(n: int, c: int) -> None:
    outcomes = [True] * c + [False] * (n - c)
    for k in range(1, n + 1):
        subsets = list(itertools.combinations(outcomes, k))
        exact = sum(any(s) for s in subsets) / len(subsets)
        assert pass_at_k(n, c, k) == pytest.approx(exact, abs=1e-12)
        assert exact == pytest.approx(1 - math.comb(n - c, k) / math.comb(n, k))


def test_bootstrap_ci_covers_the_population_mean_about_95_percent() -> None:
    """Draw 80-problem benchmarks from a known population; the 95% CI should hold the truth ~95% of the time."""
    rng = np.random.default_rng(7)
    population = rng.beta(0.6, 1.4, size=20000)  # per-problem pass probabilities
    truth_1 = float(population.mean())
    truth_5 = float(np.mean(1 - (1 - population) ** 5))  # pass@5 with infinitely many samples
    hits = {1: 0, 5: 0}
    trials = 200
    for t in range(trials):
        p = rng.choice(population, size=80)
        passed = rng.random((80, 10)) < p[:, None]
        outcomes = {f"P{i}": list(row) for i, row in enumerate(passed)}
        ci = pass_at_k_ci(outcomes, [1, 5], n_boot=400, seed=t)
        hits[1] += ci[1].low <= truth_1 <= ci[1].high
        hits[5] += ci[5].low <= truth_5 <= ci[5].high
    for k in (1, 5):
        assert 0.88 <= hits[k] / trials <= 0.99, f"pass@{k} coverage {hits[k] / trials}"


def test_bootstrap_mean_of_constant_has_zero_width() -> None:
    e = bootstrap_mean([0.5] * 10)
    assert e.value == e.low == e.high == 0.5 and e.n_problems == 10


def test_mcnemar_exact_values() -> None:
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(0, 6) == pytest.approx(2 / 64)
    assert mcnemar_exact(3, 3) == 1.0
    assert mcnemar_exact(1, 9) == pytest.approx(2 * (1 + 10) / 1024)


def test_paired_comparison_finds_flips_and_significance() -> None:
    a = {f"P{i}": [i < 10] for i in range(40)}
    b = {f"P{i}": [i < 30] for i in range(40)}
    r = compare_runs(a, b, k=1)
    assert r.a == 0.25 and r.b == 0.75
    assert r.b_only == [f"P{i}" for i in range(10, 30)] and r.a_only == []
    assert r.p_mcnemar == pytest.approx(2 / 2**20) and r.p_bootstrap < 0.01
    assert r.diff.low > 0
    same = compare_runs(a, a, k=1)
    assert same.p_bootstrap == 1.0 and same.p_mcnemar == 1.0 and same.diff.value == 0


def test_paired_bootstrap_p_is_large_for_noise() -> None:
    rng = np.random.default_rng(1)
    diffs = rng.choice([-1.0, 0.0, 1.0], size=60)
    diffs -= diffs.mean()  # mean exactly zero
    assert paired_bootstrap_p(diffs + 1e-9) > 0.5
