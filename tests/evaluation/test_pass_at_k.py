from math import comb

import pytest

from codexlab.evaluation.pass_at_k import default_ks, mean_pass_at_k, pass_at_k, pass_at_k_table


@pytest.mark.parametrize("n", [1, 2, 5, 10, 20, 200])
def test_matches_exact_combinatorics(n: int) -> None:
    for c in range(n + 1):
        for k in range(1, n + 1):
            exact = 1 - comb(n - c, k) / comb(n, k)
            assert pass_at_k(n, c, k) == pytest.approx(exact, abs=1e-12)


def test_hand_computed_values() -> None:
    assert pass_at_k(10, 0, 1) == 0.0
    assert pass_at_k(10, 10, 1) == 1.0
    assert pass_at_k(10, 3, 1) == pytest.approx(0.3)
    # 1 - C(2,2)/C(4,2) = 1 - 1/6
    assert pass_at_k(4, 2, 2) == pytest.approx(5 / 6)
    assert pass_at_k(5, 1, 5) == 1.0


def test_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError):
        pass_at_k(5, 6, 1)
    with pytest.raises(ValueError):
        pass_at_k(5, 2, 6)


def test_table_over_problems() -> None:
    table = pass_at_k_table({"a": [True, False], "b": [False, False]})
    assert table[1] == pytest.approx(0.25)
    assert table[2] == pytest.approx(0.5)
    assert mean_pass_at_k([(2, 1), (2, 0)], 1) == pytest.approx(0.25)
    assert pass_at_k_table({"a": [True], "b": [True, True]}, ks=[1, 2]) == {1: 1.0}


def test_default_ks() -> None:
    assert default_ks(1) == [1]
    assert default_ks(20) == [1, 10, 20]
    assert default_ks(200) == [1, 10, 100, 200]
