# ruff: noqa
# problem: setof
# expect: error
# max_s: 6
# judge CPU burn without forging anything: return 200,000 distinct ints that share one hash; the test (as
# MBPP's do) builds a set of the result, in the judge: ~2e10 comparisons unless the value is refused
P = (1 << 61) - 1


def add(a, b):
    return [k * P for k in range(1, 200000)] + [a + b]
