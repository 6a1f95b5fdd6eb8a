"""EvalPlus's problem files (HumanEval+, MBPP+) read into typed records: each problem with its base inputs
(the original benchmark's) and plus inputs, its float tolerance and its input contract. Errors name the file
and line. (Judging with EvalPlus's semantics builds on these records; `problems/releases.py` fetches the files.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexlab.errors import CodexlabError, InputError
from codexlab.jsonl import read_jsonl, require_fields
from codexlab.problems.types import Problem, ProblemSet

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


@dataclass(frozen=True)
class Expected:
    """What the canonical solution returns on each of a problem's inputs (base then plus), each as ["j", its
    exact JSON text] or ["p", a Python literal] (see `_expected_runner`), and the seconds each call took."""

    outputs: list[list[str]]
    times: list[float]


def expected_outputs(problems: list[PlusProblem], cache: Path | None = None) -> dict[str, Expected]:
    """Run every canonical solution on its base and plus inputs (trusted code from a pinned release, in a
    subprocess of its own); with `cache`, read it from there if present, else write it there."""
    if cache is not None and cache.exists():
        data = json.loads(cache.read_text())
        return {t: Expected(d["outputs"], d["times"]) for t, d in data.items()}
    jobs = [
        {
            "task_id": p.task_id,
            "code": p.prompt + p.canonical_solution,
            "entry_point": p.entry_point,
            "inputs": p.base_input + p.plus_input,
        }
        for p in problems
    ]
    runner = Path(__file__).with_name("_expected_runner.py")
    proc = subprocess.run(
        [sys.executable, "-I", str(runner)], input=json.dumps(jobs), capture_output=True, text=True, timeout=1800
    )
    out: dict[str, Expected] = {}
    for line in proc.stdout.splitlines():
        row = json.loads(line)
        if "error" in row:
            raise CodexlabError(f"{row['task_id']}: the canonical solution failed on its own inputs: {row['error']}")
        out[row["task_id"]] = Expected(row["outputs"], row["times"])
    if len(out) != len(problems):
        raise CodexlabError(f"computing expected outputs stopped early: {proc.stderr.strip()[-500:]}")
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(cache.name + ".tmp")
        tmp.write_text(json.dumps({t: {"outputs": e.outputs, "times": e.times} for t, e in out.items()}))
        os.replace(tmp, cache)
    return out


# The tests of a HumanEval+ problem, in HumanEval's own format (a `check(candidate)`), so every executor and the
# judge run them as they run HumanEval's. EvalPlus's comparison: equal, else (with the problem's tolerance, or
# 1e-6 when the expected value is made of floats) the same type and length and each number within
# atol + 1e-7 x |expected|; `find_zero` is right when the polynomial is within the tolerance of zero there.
# The first input that fails stops the check and is named in its message.
_CHECK = """
import json as _json

inf, nan = float("inf"), float("nan")
_ATOL = {atol!r}
_INPUTS = _json.loads({inputs})
_EXPECTED = {expected}


def _floats(x):
    if isinstance(x, float):
        return True
    return isinstance(x, (list, tuple)) and len(x) > 0 and all(isinstance(i, float) for i in x)


def _num_close(got, want, atol):
    numbers = (int, float)
    if not isinstance(got, numbers) or not isinstance(want, numbers) or got != got or want != want:
        return False
    return abs(got - want) <= atol + 1e-07 * abs(want)


def _same(got, want, atol):
    if got == want:
        return True
    if atol == 0 and _floats(want):
        atol = 1e-06
    if atol == 0 or type(got) is not type(want):
        return False
    if isinstance(want, (list, tuple)):
        return len(got) == len(want) and all(_num_close(g, w, atol) for g, w in zip(got, want))
    return _num_close(got, want, atol)


def _poly_at(xs, x):
    return sum(c * x**i for i, c in enumerate(xs))


def check(candidate):
    for i, args in enumerate(_INPUTS):
        got = candidate(*args)
        if {find_zero}:
            assert abs(_poly_at(*args, got)) <= _ATOL, f"input {{i}} of {n}: {{args!r:.200}} gave {{got!r:.200}}"
        else:
            want = _EXPECTED[i]
            assert _same(got, want, _ATOL), (
                f"input {{i}} of {n}: {{args!r:.200}} gave {{got!r:.200}}, expected {{want!r:.200}}"
            )
"""


def _expected_literal(values: list[list[str]]) -> str:
    """The expected outputs as source: one JSON text parsed at run time where JSON holds them exactly (fast to
    compile however large), else a Python literal."""
    if all(kind == "j" for kind, _ in values):
        return f"_json.loads({'[' + ', '.join(text for _, text in values) + ']'!r})"
    items = [repr(json.loads(text)) if kind == "j" else text for kind, text in values]
    return "[" + ", ".join(items) + "]"


def _test_code(p: PlusProblem, inputs: list[list[Any]], expected: list[list[str]]) -> str:
    find_zero = p.entry_point == "find_zero"  # HumanEval/32: any zero is right, not only the canonical's
    return _CHECK.format(
        atol=p.atol,
        inputs=repr(json.dumps(inputs)),
        expected=_expected_literal(expected),
        find_zero=find_zero,
        n=len(inputs),
    )


def problem_sets(
    problems: list[PlusProblem], expected: dict[str, Expected], name: str
) -> tuple[ProblemSet, ProblemSet]:
    """The base problem set (the original benchmark's inputs) and the plus one (base and plus inputs: a sample
    passes plus only if it passes both, as EvalPlus reports it), each with tests in HumanEval's format."""
    base: list[Problem] = []
    plus: list[Problem] = []
    for p in problems:
        outputs = expected[p.task_id].outputs
        n = len(p.base_input)
        for into, inputs, values in ((base, p.base_input, outputs[:n]), (plus, p.base_input + p.plus_input, outputs)):
            test = _test_code(p, inputs, values)
            into.append(Problem(p.task_id, p.prompt, p.entry_point, p.canonical_solution, test))
    base_set = ProblemSet(f"{name}-base", base)
    return base_set, ProblemSet(name, plus, base=base_set)
