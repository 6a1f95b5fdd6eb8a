"""Values a test can spell as Python source: plain literals and containers of them, small enough to read."""

from __future__ import annotations

import math
from typing import Any

MAX_REPR = 2000
MAX_DEPTH = 8

_SCALARS = (type(None), bool, int, str, bytes)


def _plain(value: Any, depth: int, seen: set[int]) -> bool:
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is float:
        return math.isfinite(value)
    if depth >= MAX_DEPTH or id(value) in seen:
        return False
    if kind in (list, tuple, set):
        seen.add(id(value))
        ok = all(_plain(x, depth + 1, seen) for x in value)
        seen.discard(id(value))
        return ok
    if kind is dict:
        seen.add(id(value))
        ok = all(_plain(k, depth + 1, seen) and _plain(v, depth + 1, seen) for k, v in value.items())
        seen.discard(id(value))
        return ok
    return False


def literal_source(value: Any) -> str | None:
    """Python source that rebuilds an equal value, or None when the value is not a small plain literal.

    Exact types only (a subclass such as an IntEnum or OrderedDict is not plain); non-finite floats and
    self-containing containers are refused because their repr is not valid source.
    """
    if not _plain(value, 0, set()):
        return None
    try:
        text = repr(value)
    except ValueError:  # int too large to convert to a string
        return None
    return text if len(text) <= MAX_REPR else None
