"""Numeric helpers."""


def clamp(x, lo, hi):
    """Return x limited to the range [lo, hi]."""
    return max(lo, min(x, hi))


def gcd(a, b):
    """Greatest common divisor of two non-negative integers."""
    if b == 0:
        return a
    return gcd(b, a % b)


def mean(xs):
    """Arithmetic mean of a non-empty list of numbers."""
    return sum(xs) / len(xs)


def countdown(n):
    """Yield n, n - 1, ..., 1."""
    while n > 0:
        yield n
        n -= 1
