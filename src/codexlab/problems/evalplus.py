"""EvalPlus's problem files (HumanEval+, MBPP+) read into typed records: each problem with its base inputs
(the original benchmark's) and plus inputs, its float tolerance and its input contract. Errors name the file
and line. (Judging with EvalPlus's semantics builds on these records; `problems/releases.py` fetches the files.)
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexlab.errors import CodexlabError, InputError
from codexlab.jsonl import read_jsonl, require_fields
from codexlab.problems.evalplus_rules import input_shape, is_mbpp, oracle
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


def expected_outputs(
    problems: list[PlusProblem], cache: Path | None = None, workers: int | None = None
) -> dict[str, Expected]:
    """Run every canonical solution on its base and plus inputs (trusted code from a pinned release, in
    `workers` subprocesses of their own, one per core by default, each taking the next problem as it finishes
    one, the ones with most inputs first); with `cache`, read it from there if present, else write it there."""
    if cache is not None and cache.exists():
        data = json.loads(cache.read_text())
        return {t: Expected(d["outputs"], d["times"]) for t, d in data.items()}
    jobs: list[dict[str, Any]] = [
        {
            "task_id": p.task_id,
            "code": p.prompt + p.canonical_solution,
            "entry_point": p.entry_point,
            "inputs": p.base_input + p.plus_input,
            "shape": input_shape(p.task_id),
            "not_none": oracle(p.task_id, p.entry_point) == "not_none",
        }
        for p in problems
    ]
    jobs.sort(key=lambda job: -len(job["inputs"]))
    rows = _run_canonicals(jobs, max(1, min(workers or os.cpu_count() or 1, len(jobs))))
    out: dict[str, Expected] = {}
    for row in rows:
        if "error" in row:
            raise CodexlabError(f"{row['task_id']}: the canonical solution failed on its own inputs: {row['error']}")
        out[row["task_id"]] = Expected(row["outputs"], row["times"])
    out = {p.task_id: out[p.task_id] for p in problems}
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(cache.name + ".tmp")
        tmp.write_text(json.dumps({t: {"outputs": e.outputs, "times": e.times} for t, e in out.items()}))
        os.replace(tmp, cache)
    return out


CANONICAL_TIMEOUT_S = 1800.0  # for computing a whole set's expected outputs


def _run_canonicals(jobs: list[dict[str, Any]], workers: int) -> list[dict[str, Any]]:
    """Each job's result line from `_expected_runner.py`, with `workers` runners taking jobs from one queue."""
    runner = Path(__file__).with_name("_expected_runner.py")
    todo: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
    for job in jobs:
        todo.put(job)
    rows: list[dict[str, Any]] = []
    failures: list[str] = []
    procs: list[subprocess.Popen[str]] = []

    def work() -> None:
        err = tempfile.TemporaryFile("w+")  # a file, not a pipe: nothing reads it until the runner ends
        proc = subprocess.Popen(
            [sys.executable, "-I", str(runner)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True
        )
        procs.append(proc)

        def why() -> str:
            proc.wait()
            err.seek(0)
            return err.read()[-500:].strip()

        assert proc.stdin is not None and proc.stdout is not None
        try:
            while not failures:
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    break
                proc.stdin.write(json.dumps(job) + "\n")
                proc.stdin.flush()
                line = proc.stdout.readline()
                if not line:
                    failures.append(f"{job['task_id']}: the runner ended: {why()}")
                    break
                rows.append(json.loads(line))
        except BrokenPipeError:
            failures.append(f"the runner ended: {why()}")
        except Exception as exc:  # noqa: BLE001 - reported below, with the others
            failures.append(f"{type(exc).__name__}: {exc}")
        finally:
            proc.kill()
            proc.wait()
            err.close()

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + CANONICAL_TIMEOUT_S
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    if any(t.is_alive() for t in threads):
        failures.insert(0, f"the canonical solutions ran for more than {CANONICAL_TIMEOUT_S:.0f} s")
        for proc in procs:
            proc.kill()
        for t in threads:
            t.join()
    if failures or len(rows) != len(jobs):
        raise CodexlabError(f"computing expected outputs stopped early: {(failures or ['no reason given'])[0]}")
    return rows


# The tests of an EvalPlus problem, in HumanEval's own format (a `check(candidate)`), so every executor and the
# judge run them as they run HumanEval's. EvalPlus's comparison: equal, or the task's special oracle (see
# evalplus_rules); else, with a tolerance (the problem's, or from the first input whose expected value is made of
# floats on, 1e-6), the same type and length and each number within atol + 1e-7 x |expected| (np.allclose).
# The first input that fails stops the check and is named in its message. Under the sandbox's judge the calls go
# out pipelined (`codexlab_call_each`), still run one at a time and in order, each within its own time limit (as
# in EvalPlus); elsewhere they are plain calls and only the task's limit applies.
_CHECK = """
import json as _json
import math as _math

inf, nan = float("inf"), float("nan")
_ATOL = {atol!r}
_ORACLE = {oracle!r}
{sample_check}{shape}
_INPUTS = [_shape(a) for a in _json.loads({inputs})]
_EXPECTED = {expected}
_LIMITS = _json.loads({limits})


def _floats(x):
    if isinstance(x, float):
        return True
    return isinstance(x, (list, tuple)) and len(x) > 0 and all(isinstance(i, float) for i in x)


def _close(got, want, atol):
    if isinstance(got, (list, tuple)) and isinstance(want, (list, tuple)):
        return len(got) == len(want) and all(_close(g, w, atol) for g, w in zip(got, want))
    numbers = (int, float, complex)
    if not isinstance(got, numbers) or not isinstance(want, numbers):
        return False
    if got == want:
        return True
    return abs(got - want) <= atol + 1e-07 * abs(want)


def _poly_at(xs, x):
    return sum(c * _math.pow(x, i) for i, c in enumerate(xs))


def _surface_area(base_edge, height):
    slant = _math.sqrt((base_edge / 2) ** 2 + height**2)
    return round(base_edge**2 + 2 * base_edge * slant)


def _digit_distance(a, b):
    a, b = str(a), str(b)
    width = max(len(a), len(b))
    return sum(abs(int(x) - int(y)) for x, y in zip(a.zfill(width), b.zfill(width)))


def _matches(got, want, args, atol):
    if _ORACLE == "set_eq":
        return set(got) == set(want)
    if _ORACLE == "not_none":
        return got == want if isinstance(got, bool) else want == (got is not None)
    same = got == want
    if _ORACLE == "any":
        return True
    if _ORACLE == "or_zero":
        return same or got == 0
    if _ORACLE == "surface_area":
        return same or abs(got - _surface_area(*args)) <= atol
    if _ORACLE == "digit_distance":
        return same or got == _digit_distance(*args)
    return same


def check(candidate):
{keep_sample_check}    each = getattr(candidate, "codexlab_call_each", None)  # the judge: pipelined, each call timed
    results = each(_INPUTS, _LIMITS, _EXPECTED) if each is not None else (candidate(*args) for args in _INPUTS)
    atol = _ATOL
    for i, (args, got) in enumerate(zip(_INPUTS, results)):
        if _ORACLE == "find_zero":
            assert abs(_poly_at(*args, got)) <= atol, f"input {{i}} of {n}: {{args!r:.200}} gave {{got!r:.200}}"
            continue
        want = _EXPECTED[i]
        ok = _matches(got, want, args, atol)
        if atol == 0 and _floats(want):
            atol = 1e-06
        if not ok and atol != 0:
            ok = type(got) is type(want) and _close(got, want, atol)
        assert ok, f"input {{i}} of {n}: {{args!r:.200}} gave {{got!r:.200}}, expected {{want!r:.200}}"
"""


def _source_string(text: str) -> str:
    """`text` as a Python string literal: raw and triple-quoted where that reads back exactly (JSON text almost
    always: its backslashes stay as written, and it ends in a bracket), which skips escaping hundreds of MB."""
    if "'''" not in text and "\r" not in text and "\0" not in text and not text.endswith(("'", "\\")):
        return "r'''" + text + "'''"
    return repr(text)


def _expected_literal(values: list[list[str]]) -> str:
    """The expected outputs as source: one JSON text parsed at run time where JSON holds them exactly (fast to
    compile however large), else a Python literal."""
    if all(kind == "j" for kind, _ in values):
        return f"_json.loads({_source_string('[' + ', '.join(text for _, text in values) + ']')})"
    items = [repr(json.loads(text)) if kind == "j" else text for kind, text in values]
    return "[" + ", ".join(items) + "]"


# Mbpp/56's function is itself named `check`: where the program runs as one file (`check(check)` at its end),
# the sample's function is kept before the tests' `check` replaces it, and used in its place
_SAMPLE_CHECK = '_SAMPLE_CHECK = globals().get("check")\n'
_KEEP_SAMPLE_CHECK = "    if candidate is check and _SAMPLE_CHECK is not None:\n        candidate = _SAMPLE_CHECK\n"


def _test_code(p: PlusProblem, inputs: list[list[Any]], expected: list[list[str]], times: list[float]) -> str:
    named_check = p.entry_point == "check"
    return _CHECK.format(
        sample_check=_SAMPLE_CHECK if named_check else "",
        keep_sample_check=_KEEP_SAMPLE_CHECK if named_check else "",
        atol=p.atol,
        oracle=oracle(p.task_id, p.entry_point),
        shape=input_shape(p.task_id),
        inputs=_source_string(json.dumps(inputs)),
        expected=_expected_literal(expected),
        limits=_source_string(json.dumps([round(x, 3) for x in input_limits(times)])),
        n=len(inputs),
    )


# EvalPlus's time limits: each input may take max(1 s, 4x the canonical's time on it) (its DEFAULT_MIN_TIME_LIMIT
# and DEFAULT_GT_TIME_LIMIT_FACTOR); a task, the sum of its inputs' limits, at most 60 s (EVALPLUS_TIMEOUT_PER_TASK)
MIN_INPUT_LIMIT_S = 1.0
INPUT_LIMIT_FACTOR = 4.0
MAX_TASK_LIMIT_S = 60.0


def input_limits(times: list[float]) -> list[float]:
    return [max(MIN_INPUT_LIMIT_S, INPUT_LIMIT_FACTOR * t) for t in times]


def task_limit(times: list[float]) -> float:
    return min(MAX_TASK_LIMIT_S, sum(input_limits(times)))


# MBPP+ completion prompts end after the task's docstring and the model writes the whole function, so the paper's
# stops (which end at the next `def`) would cut helpers: EvalPlus's direct-completion stops instead
MBPP_STOPS: tuple[str, ...] = ('\n"""', "\nassert", "\nif __name__", "\ndef main(", "\nprint(")


def problem_sets(
    problems: list[PlusProblem], expected: dict[str, Expected], name: str
) -> tuple[ProblemSet, ProblemSet]:
    """The base problem set (the original benchmark's inputs) and the plus one (base and plus inputs: a sample
    passes plus only if it passes both, as EvalPlus reports it), each with tests in HumanEval's format.
    MBPP's prompts are stripped and end in one newline, as EvalPlus sends them."""
    base: list[Problem] = []
    plus: list[Problem] = []
    for p in problems:
        outputs, times = expected[p.task_id].outputs, expected[p.task_id].times
        n = len(p.base_input)
        prompt = p.prompt.strip() + "\n" if is_mbpp(p.task_id) else p.prompt
        for into, inputs, values in ((base, p.base_input, outputs[:n]), (plus, p.base_input + p.plus_input, outputs)):
            kept = [i for i, (kind, _) in enumerate(values) if kind != "x"]
            test = _test_code(p, [inputs[i] for i in kept], [values[i] for i in kept], [times[i] for i in kept])
            into.append(Problem(p.task_id, prompt, p.entry_point, p.canonical_solution, test))
        left_out = [int(text) for kind, text in outputs if kind == "x"]
        if left_out:
            warnings.warn(
                f"{p.task_id}: {len(left_out)} of {len(outputs)} inputs left out: their expected outputs "
                f"({min(left_out) >> 20}-{max(left_out) >> 20} MiB) are too large to cross the sandbox",
                stacklevel=2,
            )
    stops = MBPP_STOPS if problems and all(is_mbpp(p.task_id) for p in problems) else None
    base_limits = {p.task_id: task_limit(expected[p.task_id].times[: len(p.base_input)]) for p in problems}
    plus_limits = {p.task_id: task_limit(expected[p.task_id].times) for p in problems}
    base_set = ProblemSet(f"{name}-base", base, stops=stops, time_limit_s=base_limits)
    return base_set, ProblemSet(name, plus, base=base_set, stops=stops, time_limit_s=plus_limits)
