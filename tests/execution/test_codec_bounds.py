"""Decoding what a sample sent costs the judge at most linear time: caps on nesting, element count and number
sizes, and sets and dicts that refuse hash flooding (ints whose hashes all collide) yet keep every honest value.
"""

from __future__ import annotations

import json
import math
import time

import pytest

from codexlab.execution.sandbox import codec

P = (1 << 61) - 1  # hash(x) == x mod P for ints: k * P all hash to 0


def _refused_fast(payload: object, within_s: float = 2.0) -> str:
    text = json.dumps(payload, separators=(",", ":"))
    start = time.process_time()
    with pytest.raises(ValueError) as info:
        codec.decode(text)
    assert time.process_time() - start < within_s
    return str(info.value)


def test_colliding_ints_in_a_set_or_dict_are_refused_in_linear_time() -> None:
    n = 100_000  # built directly: ~5e9 comparisons, a minute of judge CPU
    assert "share one hash" in _refused_fast(["S", *[["i", hex(k * P)] for k in range(1, n)]])
    assert "share one hash" in _refused_fast(["F", *[["i", hex(k * P)] for k in range(1, n)]])
    assert "share one hash" in _refused_fast(["d", *[[["i", hex(k * P)], 0] for k in range(1, n)]])
    # colliding ints inside tuples collide as tuples; small JSON ints too
    assert "share one hash" in _refused_fast(["S", *[["t", ["i", hex(k * P)]] for k in range(1, n)]])
    assert "share one hash" in _refused_fast(["S", *[k * P for k in range(1, 3000)]])


def test_many_groups_of_allowed_collisions_stay_cheap() -> None:
    groups = 20_000
    items = [g + j * P for g in range(groups) for j in range(codec.MAX_SAME_HASH)]
    text = json.dumps(["S", *items])
    start = time.process_time()
    assert len(codec.decode(text)) == len(items)
    assert time.process_time() - start < 3.0


def test_honest_sets_and_dicts_with_some_equal_hashes_still_decode() -> None:
    for value in (
        {2**k for k in range(1000)},  # 2**k and 2**(k+61) share a hash: 17 per value
        {-1, -2, 1, 2},  # hash(-1) == hash(-2)
        {k: str(k) for k in range(5000)},
        frozenset(range(100)),
        {(i, j) for i in range(50) for j in range(50)},
    ):
        back = codec.decode(codec.encode(value))
        assert back == value and type(back) is type(value)
    nans = codec.decode(codec.encode({math.nan, float("nan")}))
    assert type(nans) is set and all(math.isnan(x) for x in nans)


def test_size_depth_and_number_caps() -> None:
    _refused_fast(["l", *([0] * (codec.MAX_ELEMENTS + 1))], within_s=10.0)
    with pytest.raises((ValueError, RecursionError)):
        codec.decode("[" * 100_000 + "]" * 100_000)
    deep: object = 1
    for _ in range(codec.MAX_DEPTH + 2):
        deep = ["l", deep]
    _refused_fast(deep)
    _refused_fast(["i", "0x" + "f" * (codec.MAX_HEX_DIGITS + 1)])
    with pytest.raises(ValueError):
        codec.decode("9" * 5000)
    assert codec.decode(codec.encode(10**4000)) == 10**4000  # big ints travel as hex, within the caps


def test_a_message_of_nested_brackets_is_refused_before_it_is_parsed() -> None:
    nested = "[" * 900 + "]" * 900
    body = ('["exc","ValueError",[' + ",".join([nested] * 4000) + "],1]").encode()
    start = time.process_time()
    with pytest.raises(ValueError, match="containers"):
        codec.loads(body)
    assert time.process_time() - start < 0.5


def test_a_list_a_test_may_turn_into_a_set_is_checked_too() -> None:
    assert "share one hash" in _refused_fast(["l", *[["i", hex(k * P)] for k in range(1, 100_000)]])
    assert "share one hash" in _refused_fast(["t", *[["t", ["i", hex(k * P)], 1] for k in range(1, 50_000)]])
    zeros = codec.decode(codec.encode([0] * 100_000 + [(1, 2)] * 1000))  # equal values are cheap in a set
    assert len(zeros) == 101_000
    assert codec.decode(codec.encode([[1, 2]] * 1000)) == [[1, 2]] * 1000  # unhashable: nothing to check
