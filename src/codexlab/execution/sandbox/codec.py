"""Values across the sandbox boundary: exact built-in types only, as tagged JSON (parsed by the C json module).

Subclasses (an int whose __eq__ is always True), objects, functions and generators are refused, so a result
the judge compares is a plain value it rebuilt itself. JSON gives str, int, float (NaN and Infinity
included, repr-exact), bool and None natively; every array is tagged by its first element so list, tuple,
dict, set, frozenset, bytes, complex and ints beyond 4300 digits stay distinct. A JSON object is never
produced, and rejected when received. Imported by the child too: keep it free of other codexlab imports.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64

_dumps = json.JSONEncoder(allow_nan=True, separators=(",", ":"), check_circular=False).encode
_loads = json.loads
_SCALARS = (str, bool, float, type(None))
_CONTAINER_TAGS: dict[type, str] = {list: "l", tuple: "t", set: "S", frozenset: "F"}
_BUILD = {"l": list, "t": tuple, "S": set, "F": frozenset}


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
        return [tag, *[_enc(i, depth + 1) for i in x]]
    if t is dict:
        return ["d", *[[_enc(k, depth + 1), _enc(v, depth + 1)] for k, v in x.items()]]
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


def _dec(n: Any, depth: int) -> Any:
    t = type(n)
    if t in _SCALARS or t is int:
        return n
    if t is not list or not n or depth > MAX_DEPTH:
        raise ValueError("malformed value")
    tag = n[0]
    build = _BUILD.get(tag)
    if build is not None:
        return build([_dec(i, depth + 1) for i in n[1:]])
    if tag == "d":
        out = {}
        for pair in n[1:]:
            if type(pair) is not list or len(pair) != 2:
                raise ValueError("malformed dict item")
            out[_dec(pair[0], depth + 1)] = _dec(pair[1], depth + 1)
        return out
    if tag == "i" and len(n) == 2 and type(n[1]) is str:
        return int(n[1], 16)
    if tag == "b" and len(n) == 2 and type(n[1]) is str:
        return bytes.fromhex(n[1])
    if tag == "c" and len(n) == 3 and all(type(v) in (int, float) for v in n[1:]):
        return complex(float(n[1]), float(n[2]))
    raise ValueError("unknown tag")


def from_tree(tree: Any) -> Any:
    """Rebuild a value from a tree received from a peer (trusted or not): only the tags above."""
    return _dec(tree, 0)


def decode(text: str | bytes) -> Any:
    return _dec(_loads(text), 0)


def dumps(tree: Any) -> bytes:
    """A message (a JSON array of tags and trees) as bytes."""
    return str(_dumps(tree)).encode()


def loads(data: bytes) -> Any:
    return _loads(data)
