"""Harvest HumanEval-format problems from a project's own test suite (the paper's "continuous integration").

The suite runs in a child process under a tracer (see `_runner`); the functions it called with literal
inputs and outputs, and no side effect seen, become problems. Each problem's canonical solution then runs
against its recorded tests through an executor, and failures are dropped with a counted reason, so every
problem written passes its own tests. Only trace code you trust: the suite runs unsandboxed, as in CI.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codexlab.errors import CodexlabError, InputError
from codexlab.problems.types import Problem, ProblemSet

FRAMEWORKS = ("pytest", "unittest")
PYTEST_USAGE_ERROR, PYTEST_NO_TESTS = 4, 5


@dataclass
class HarvestReport:
    """What tracing found: every traced function, kept or dropped with its reason, and the problems."""

    root: str
    tests_exit_code: int
    test_seconds: float
    functions: list[dict[str, Any]]
    problems: ProblemSet
    output_tail: str = ""
    dropped: Counter[str] = field(default_factory=Counter)

    @property
    def traced(self) -> int:
        return len(self.functions)

    @property
    def kept(self) -> int:
        return len(self.problems)

    def examples(self, per_reason: int = 3) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for row in self.functions:
            if row.get("reason"):
                names = out.setdefault(reason_category(row["reason"]), [])
                if len(names) < per_reason:
                    names.append(f"{row['module']}.{row['qualname']}" if row["module"] else row["qualname"])
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "traced": self.traced,
            "kept": self.kept,
            "dropped": dict(self.dropped.most_common()),
            "examples": self.examples(),
            "tests_exit_code": self.tests_exit_code,
            "test_seconds": self.test_seconds,
            "functions": [
                {k: v for k, v in row.items() if k not in ("prompt", "solution", "test")} for row in self.functions
            ],
        }


def reason_category(reason: str) -> str:
    """Reasons carry details in parentheses ("reads a global that is not a literal (x: Foo)"); count without."""
    return reason.split(" (")[0]


def _task_id(row: dict[str, Any]) -> str:
    return f"Harvest/{row['module']}.{row['qualname']}"


def trace_suite(
    root: Path,
    sources: list[Path] | None = None,
    tests: list[str] | None = None,
    framework: str = "pytest",
    max_calls: int = 20,
    timeout_s: float = 900.0,
    python: str = sys.executable,
) -> tuple[dict[str, Any], str]:
    """Run the suite under the tracer in a child process; return its findings and its output's tail."""
    if framework not in FRAMEWORKS:
        raise CodexlabError(f"unknown test framework {framework!r}; choose one of {', '.join(FRAMEWORKS)}")
    root = Path(root)
    if not root.is_dir():
        raise InputError(root, "not a directory (expected a project with tests)")
    for src in sources or []:
        if not Path(src).exists():
            raise InputError(src, "no such file or directory (given as a source to trace)")
    tests = [_absolute_test_path(t) for t in tests or []]
    with tempfile.TemporaryDirectory(prefix="codexlab-harvest-") as tmp:
        out = Path(tmp) / "found.json"
        config = {
            "root": str(root.resolve()),
            "sources": [str(Path(s).resolve()) for s in sources or []],
            "import_paths": isolated_sys_path(python),
            "tests": tests or [],
            "framework": framework,
            "max_calls": max_calls,
            "out": str(out),
        }
        cfg = Path(tmp) / "config.json"
        cfg.write_text(json.dumps(config))
        try:
            # started in the scratch folder: `-m` puts the start folder first on sys.path, and a package
            # folder's own modules (say a `_socket.py`) must not shadow the standard library's
            proc = subprocess.run(
                [python, "-m", "codexlab.problems.harvest._runner", str(cfg)],
                cwd=tmp,
                capture_output=True,
                text=True,
                timeout=timeout_s,
            )
        except subprocess.TimeoutExpired:
            raise CodexlabError(f"the test suite under {root} ran longer than {timeout_s:.0f}s") from None
        tail = (proc.stdout + proc.stderr)[-4000:]
        if proc.returncode != 0 or not out.exists():
            raise CodexlabError(f"tracing the test suite under {root} failed (exit {proc.returncode}):\n{tail}")
        found = json.loads(out.read_text())
        if framework == "pytest" and found["tests_exit_code"] in (PYTEST_USAGE_ERROR, PYTEST_NO_TESTS):
            raise CodexlabError(f"pytest found no tests to run under {root} (exit {found['tests_exit_code']}):\n{tail}")
        return found, tail


def isolated_sys_path(python: str) -> list[str]:
    """sys.path of `python -I`, as executors start it: what a problem's preamble may import."""
    out = subprocess.run(
        [python, "-I", "-c", "import json, sys; print(json.dumps(sys.path))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return [p for p in json.loads(out.stdout) if p]


def _absolute_test_path(test: str) -> str:
    """Test paths are given relative to where the user stands; the suite runs from the project root."""
    path, sep, node = test.partition("::")
    if not Path(path).exists():
        raise InputError(path, "no such test file or folder")
    return str(Path(path).resolve()) + sep + node


def harvest(
    root: str | Path,
    sources: list[Path] | None = None,
    tests: list[str] | None = None,
    framework: str = "pytest",
    *,
    check: Callable[[list[Problem]], Mapping[str, str]],
    max_calls: int = 20,
    timeout_s: float = 900.0,
) -> HarvestReport:
    """Trace the suite, build problems from kept functions, keep those whose canonical solution passes.

    `check(problems)` judges their canonical solutions and returns task_id -> why, for those that fail (the
    caller's executor: e.g. `codexlab.execution.canonical.failing_canonicals`; this package runs nothing)."""
    found, tail = trace_suite(Path(root), sources, tests, framework, max_calls, timeout_s)
    rows: list[dict[str, Any]] = found["functions"]
    candidates = []
    by_id: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row.get("reason") is None:
            task_id = _task_id(row)
            if task_id in by_id:  # two definitions under one name (say, in if/else): tell them apart
                task_id += f"@{row['line']}"
            by_id[task_id] = row
            candidates.append(Problem(task_id, row["prompt"], row["name"], row["solution"], row["test"]))
    failures = check(candidates) if candidates else {}
    for task_id, why in failures.items():
        by_id[task_id]["reason"] = f"canonical solution fails its recorded tests ({why})"
    dropped = Counter(reason_category(r["reason"]) for r in rows if r.get("reason"))
    kept = [p for p in candidates if p.task_id not in failures]
    return HarvestReport(
        str(root), found["tests_exit_code"], found["test_seconds"], rows, ProblemSet("harvest", kept), tail, dropped
    )
