"""Values across the sandbox boundary: exact built-in types only, as a tagged tree parsed by ast.literal_eval.

Subclasses (an int whose __eq__ is always True), objects, functions and generators are refused, so a result
the judge compares is a plain value it built itself. Floats travel as float.hex (nan and inf included),
ints as hex (no 4300-digit repr limit), containers as tagged tuples (list and tuple stay distinct).
This module is imported by the child too: keep it free of codexlab imports.
"""

from __future__ import annotations

import ast
from typing import Any

MAX_DEPTH = 64


class NotPlain(TypeError):
    """The value is not made only of exact built-in data types."""


def _enc(x: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise NotPlain("nested too deeply")
    t = type(x)
    if t is bool:
        return ("B", x)
    if t is int:
        return ("i", hex(x))
    if t is float:
        return ("f", x.hex())
    if t is str:
        return ("s", x)
    if x is None:
        return ("N",)
    if t is list or t is tuple or t is set or t is frozenset:
        tag = {list: "l", tuple: "t", set: "S", frozenset: "F"}[t]
        return (tag, tuple(_enc(i, depth + 1) for i in x))
    if t is dict:
        return ("d", tuple((_enc(k, depth + 1), _enc(v, depth + 1)) for k, v in x.items()))
    if t is bytes:
        return ("b", x)
    if t is complex:
        return ("c", x.real.hex(), x.imag.hex())
    raise NotPlain(f"{t.__name__} is not a plain built-in value")


def encode(x: Any) -> str:
    """The literal text for `x`; raises NotPlain for anything but exact built-in data."""
    return repr(_enc(x, 0))


def _dec(n: Any, depth: int) -> Any:
    if depth > MAX_DEPTH + 1 or type(n) is not tuple or not n or type(n[0]) is not str:
        raise ValueError("malformed value")
    tag = n[0]
    if tag == "B" and type(n[1]) is bool:
        return n[1]
    if tag == "i":
        return int(n[1], 16)
    if tag == "f":
        return float.fromhex(n[1])
    if tag in ("s", "b"):
        if type(n[1]) is not (str if tag == "s" else bytes):
            raise ValueError("malformed value")
        return n[1]
    if tag == "N":
        return None
    if tag in ("l", "t", "S", "F"):
        items = [_dec(i, depth + 1) for i in n[1]]
        return {"l": list, "t": tuple, "S": set, "F": frozenset}[tag](items)
    if tag == "d":
        return {_dec(k, depth + 1): _dec(v, depth + 1) for k, v in n[1]}
    if tag == "c":
        return complex(float.fromhex(n[1]), float.fromhex(n[2]))
    raise ValueError(f"unknown tag {tag!r}")


def decode(text: str) -> Any:
    """Parse text from `encode` (or from a hostile peer): only literals, only the tags above."""
    return _dec(ast.literal_eval(text), 0)
