"""Ranking heuristics on crafted samples, and the exact pass@1-of-k formula against subset enumeration."""

from __future__ import annotations

import itertools

import pytest

from codexlab.evaluation.ranking import Candidate, pass1_of_k, ranking_curves


def brute_force(cands: list[Candidate], k: int, key) -> float:  # type: ignore[no-untyped-def]
    subsets = list(itertools.combinations(range(len(cands)), k))
    won = 0
    for s in subsets:
        best = min(s, key=lambda i: (-key(cands[i]), i))
        won += cands[best].passed
    return won / len(subsets)


CRAFTED = [
    Candidate(True, mean_logprob=-0.1, sum_logprob=-8.0),  # confident and correct, but long
    Candidate(False, mean_logprob=-0.9, sum_logprob=-1.8),  # short and wrong: sum log-prob likes it
    Candidate(False, mean_logprob=-0.7, sum_logprob=-3.5),
    Candidate(True, mean_logprob=-0.3, sum_logprob=-9.0),
    Candidate(False, mean_logprob=-1.2, sum_logprob=-2.4),
    Candidate(False, mean_logprob=-0.5, sum_logprob=-5.0),
]


@pytest.mark.parametrize("k", range(1, 7))
def test_exact_formula_matches_enumeration(k: int) -> None:
    assert pass1_of_k(CRAFTED, k, "mean_logprob") == pytest.approx(brute_force(CRAFTED, k, lambda c: c.mean_logprob))
    assert pass1_of_k(CRAFTED, k, "sum_logprob") == pytest.approx(brute_force(CRAFTED, k, lambda c: c.sum_logprob))


def test_heuristics_order_on_crafted_samples() -> None:
    n = len(CRAFTED)
    assert pass1_of_k(CRAFTED, 3, "random") == pytest.approx(2 / 6)
    assert pass1_of_k(CRAFTED, n, "mean_logprob") == 1.0  # the most confident sample is correct
    assert pass1_of_k(CRAFTED, n, "sum_logprob") == 0.0  # the shortest sample is wrong
    assert pass1_of_k(CRAFTED, 1, "mean_logprob") == pytest.approx(2 / 6)  # k=1: nothing to choose
    assert pass1_of_k(CRAFTED, 4, "oracle") == pytest.approx(1 - 1 / 15)  # C(4,4)/C(6,4): all four wrong


def test_oracle_is_pass_at_k_and_bounds_everything() -> None:
    curves = ranking_curves({"a": CRAFTED, "b": CRAFTED[::-1]}, n_boot=50)
    for k in range(1, 7):
        for s in ("random", "mean_logprob", "sum_logprob"):
            assert curves[s][k].value <= curves["oracle"][k].value + 1e-12
    assert curves["oracle"][4].value == pytest.approx(1 - 1 / 15)


def test_unknown_strategy_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown ranking strategy"):
        pass1_of_k(CRAFTED, 2, "vibes")
