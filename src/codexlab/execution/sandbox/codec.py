"""Values across the sandbox boundary: exact built-in types only, as tagged JSON (parsed by the C json module).

Subclasses (an int whose __eq__ is always True), objects, functions and generators are refused, so a result
the judge compares is a plain value it rebuilt itself. JSON gives str, int, float (NaN and Infinity
included, repr-exact), bool and None natively; every array is tagged by its first element so list, tuple,
dict, set, frozenset, bytes, complex and ints beyond 4300 digits stay distinct. A JSON object is never
produced, and rejected when received. Imported by the child too: keep it free of other codexlab imports.

Decoding what an untrusted peer sent costs at most linear time in its size: nesting is capped at MAX_DEPTH,
the number of elements at MAX_ELEMENTS, decimal ints at 4300 digits, and no set, dict, list or tuple is built
whose elements hold more than MAX_SAME_HASH distinct values sharing one hash value (an int's hash is the int
mod 2**61 - 1, so a peer can make any number of them collide and turn each insertion into a set, here or in
a test that calls set() on a result, into a scan of all earlier ones).
"""

from __future__ import annotations

import collections
import json
import sys
from collections import Counter
from typing import Any

MAX_DEPTH = 64
MAX_ELEMENTS = 1 << 21  # values in one decoded tree (a 16 MiB message could hold ~8M)
MAX_SAME_HASH = 32  # elements of one set or dict sharing a hash value: each insertion compares with at most this many
MAX_INT_DIGITS = 4300  # decimal digits of one JSON int (Python 3.11+ enforces the same by default)
MAX_HEX_DIGITS = 1 << 22  # hex digits of one big int ("i" tag, linear to parse): HumanEval+ returns 10**1000000

_dumps = json.JSONEncoder(allow_nan=True, separators=(",", ":"), check_circular=False).encode
_loads = json.loads
_SCALARS = (str, bool, float, type(None))
_LEAVES = frozenset(_SCALARS)  # what encodes as itself (ints only below 2**63: see _ints_fit)
_DECODED_LEAVES = frozenset((*_SCALARS, int))  # what decodes as itself (the parser caps an int's digits)
_FLAT = _DECODED_LEAVES  # what a list may hold to be sent as it is, once its ints are checked
_CONTAINER_TAGS: dict[type, str] = {list: "l", tuple: "t", set: "S", frozenset: "F"}
# the standard library's dicts compare equal to a plain dict with the same items (MBPP's Mbpp/88 returns a
# Counter): sent as plain dicts, so the peer rebuilds a dict and nothing of the subclass crosses
_DICT_KINDS = (dict, collections.Counter, collections.OrderedDict, collections.defaultdict)


def _ints_fit(x: Any) -> bool:
    """Whether every int among x's items is one JSON carries as itself (below 2**63 in size)."""
    ints = [i for i in x if type(i) is int]
    return not ints or (-(1 << 63) < min(ints) and max(ints) < (1 << 63))


class NotPlain(TypeError):
    """The value is not made only of exact built-in data types."""


def _enc(x: Any, depth: int) -> Any:
    t = type(x)
    if t in _SCALARS:
        return x
    if t is int:
        return x if -(1 << 63) < x < (1 << 63) else ["i", hex(x)]
    if depth >= MAX_DEPTH:
        raise NotPlain("nested too deeply")
    tag = _CONTAINER_TAGS.get(t)
    if tag is not None:
        if t is not set and t is not frozenset:
            kinds = set(map(type, x))
            if _LEAVES.issuperset(kinds) or (_FLAT.issuperset(kinds) and _ints_fit(x)):
                return [tag, *x]  # JSON as they are (HumanEval+ returns lists of 10**6 ints and floats)
        return [tag, *[_enc(i, depth + 1) for i in x]]
    if t in _DICT_KINDS:
        return ["d", *[[_enc(k, depth + 1), _enc(v, depth + 1)] for k, v in dict.items(x)]]
    if t is bytes:
        return ["b", x.hex()]
    if t is complex:
        return ["c", x.real, x.imag]
    raise NotPlain(f"{t.__name__} is not a plain built-in value")


def to_tree(x: Any) -> Any:
    """The JSON-ready tagged tree for `x`; raises NotPlain for anything but exact built-in data."""
    return _enc(x, 0)


def encode(x: Any) -> str:
    return str(_dumps(_enc(x, 0)))


class _Budget:
    """What one decode may still build; refuses a tree with more than MAX_ELEMENTS values."""

    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = MAX_ELEMENTS

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise ValueError(f"more than {MAX_ELEMENTS} values")


def _check_hashes(items: list[Any] | tuple[Any, ...]) -> None:
    """Refuse elements of which more than MAX_SAME_HASH *distinct* values share one hash value (hash flooding);
    O(n log n) at worst. Lists and tuples are checked too: a test may well build a set of a result."""
    if len(items) <= MAX_SAME_HASH:
        return
    try:
        # the hash values are ints below 2**61 in size, each its own hash: counting them cannot collide
        counts = Counter(map(hash, items))
    except TypeError:
        return  # unhashable elements: no set or dict can be built of them
    (_, most), *_ = counts.most_common(1)
    if most <= MAX_SAME_HASH:
        return
    # equal values (a list of zeros) or one object many times (JSON's single NaN) are cheap in a set:
    # count the distinct values in each crowded group, by sorting (comparisons, never hashing)
    crowded = {h for h, n in counts.items() if n > MAX_SAME_HASH}
    groups: dict[int, dict[int, Any]] = {h: {} for h in crowded}
    for x in items:
        group = groups.get(hash(x))
        if group is not None:
            group[id(x)] = x
    for group in groups.values():
        try:
            ordered = sorted(group.values())
        except TypeError:
            raise ValueError(f"{len(group)} mixed elements share one hash value") from None
        distinct = 1 + sum(1 for a, b in zip(ordered, ordered[1:]) if a != b)
        if distinct > MAX_SAME_HASH:
            raise ValueError(f"{distinct} distinct elements share one hash value")


def _dec(n: Any, depth: int, budget: _Budget) -> Any:
    t = type(n)
    if t in _SCALARS or t is int:
        return n
    if t is not list or not n or depth > MAX_DEPTH:
        raise ValueError("malformed value")
    budget.take(len(n))
    tag = n[0]
    if tag == "l" or tag == "t":
        seq = n[1:] if _DECODED_LEAVES.issuperset(map(type, n[1:])) else [_dec(i, depth + 1, budget) for i in n[1:]]
        _check_hashes(seq)
        return seq if tag == "l" else tuple(seq)
    if tag == "S" or tag == "F":
        items = [_dec(i, depth + 1, budget) for i in n[1:]]
        _check_hashes(items)
        return set(items) if tag == "S" else frozenset(items)
    if tag == "d":
        keys, values = [], []
        for pair in n[1:]:
            if type(pair) is not list or len(pair) != 2:
                raise ValueError("malformed dict item")
            keys.append(_dec(pair[0], depth + 1, budget))
            values.append(_dec(pair[1], depth + 1, budget))
        _check_hashes(keys)
        return dict(zip(keys, values))
    if tag == "i" and len(n) == 2 and type(n[1]) is str and len(n[1]) <= MAX_HEX_DIGITS:
        return int(n[1], 16)  # base 16: linear in the digits
    if tag == "b" and len(n) == 2 and type(n[1]) is str:
        return bytes.fromhex(n[1])
    if tag == "c" and len(n) == 3 and all(type(v) in (int, float) for v in n[1:]):
        return complex(float(n[1]), float(n[2]))
    raise ValueError("unknown tag")


def from_tree(tree: Any) -> Any:
    """Rebuild a value from a tree received from a peer (trusted or not): only the tags above."""
    return _dec(tree, 0, _Budget())


def decode(text: str | bytes) -> Any:
    return _dec(loads(text), 0, _Budget())


def dumps(tree: Any) -> bytes:
    """A message (a JSON array of tags and trees) as bytes."""
    return str(_dumps(tree)).encode()


def _parse_int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS + 1:
        raise ValueError(f"an int of more than {MAX_INT_DIGITS} digits")
    return int(text)


def loads(data: str | bytes) -> Any:
    """Parse a message (linear time: the C parser; decimal ints longer than MAX_INT_DIGITS are refused)."""
    if len(data) > (1 << 20):
        # every container is a JSON array: refuse a message with more of them than a tree may hold before
        # the parser builds them all (16 MiB of nested brackets is seconds of CPU even in C)
        if (data.count(b"[") if isinstance(data, bytes) else data.count("[")) > MAX_ELEMENTS:
            raise ValueError(f"more than {MAX_ELEMENTS} containers")
    if _INT_DIGITS_CAPPED:
        return _loads(data)
    return _loads(data, parse_int=_parse_int)


# Python 3.11+ refuses int("9" * 5000) by itself (quadratic otherwise); 3.10 needs the hook (slower)
_INT_DIGITS_CAPPED = 0 < getattr(sys, "get_int_max_str_digits", lambda: 0)() <= MAX_INT_DIGITS
