"""EvalPlus's problem files (HumanEval+, MBPP+) read into typed records: each problem with its base inputs
(the original benchmark's) and plus inputs, its float tolerance and its input contract. Errors name the file
and line. (Judging with EvalPlus's semantics builds on these records; `problems/releases.py` fetches the files.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexlab.errors import InputError
from codexlab.jsonl import read_jsonl, require_fields

TEXT_FIELDS = ("task_id", "prompt", "entry_point", "canonical_solution")
INPUT_FIELDS = ("base_input", "plus_input", "atol")


@dataclass(frozen=True)
class PlusProblem:
    """One EvalPlus problem. `base_input` are the original benchmark's inputs, `plus_input` the extra ones;
    each input is the list of positional arguments (as JSON gives them). `atol` is the tolerance for floats
    (0: exact). `contract` is the input checks EvalPlus strips from its solutions (not part of the tests)."""

    task_id: str
    prompt: str
    entry_point: str
    canonical_solution: str
    base_input: list[list[Any]]
    plus_input: list[list[Any]]
    atol: float
    contract: str = ""
    base_test: str = ""  # HumanEval+'s `test` (HumanEval's own check) or MBPP+'s `assertion`


def _inputs(path: Path, lineno: int, name: str, value: Any) -> list[list[Any]]:
    if isinstance(value, str):  # a JSON text of the list is accepted too
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"field {name!r} is not JSON: {exc.msg}", lineno) from None
    if value == {}:  # how MBPP+ writes "no plus inputs" (Mbpp/793)
        return []
    if not isinstance(value, list) or not all(isinstance(args, list) for args in value):
        raise InputError(path, f"field {name!r} must be a list of argument lists", lineno)
    return value


def read_evalplus(path: str | Path) -> list[PlusProblem]:
    """Every problem of an EvalPlus JSONL(.gz) file, in file order."""
    path = Path(path)
    out: list[PlusProblem] = []
    seen: dict[str, int] = {}
    for lineno, obj in read_jsonl(path):
        require_fields(path, lineno, obj, TEXT_FIELDS)
        for name in INPUT_FIELDS:
            if name not in obj:
                raise InputError(path, f"missing field {name!r}", lineno)
        tid = obj["task_id"]
        if tid in seen:
            raise InputError(path, f"duplicate task_id {tid!r} (first on line {seen[tid]})", lineno)
        seen[tid] = lineno
        try:
            atol = float(obj["atol"] or 0)
        except (TypeError, ValueError):
            raise InputError(path, f"field 'atol' must be a number, got {obj['atol']!r}", lineno) from None
        out.append(
            PlusProblem(
                task_id=tid,
                prompt=obj["prompt"],
                entry_point=obj["entry_point"],
                canonical_solution=obj["canonical_solution"],
                base_input=_inputs(path, lineno, "base_input", obj["base_input"]),
                plus_input=_inputs(path, lineno, "plus_input", obj["plus_input"]),
                atol=atol,
                contract=str(obj.get("contract") or ""),
                base_test=str(obj.get("test") or obj.get("assertion") or ""),
            )
        )
    if not out:
        raise InputError(path, "no problems in file (empty)")
    return out
