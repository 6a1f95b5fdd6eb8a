"""Child process of the harvester: run a project's test suite under the tracer, write what it found as JSON.

Run as `python -m codexlab.problems.harvest._runner CONFIG.json`. A separate process keeps the project's
imports, sys.path changes and global state out of the caller. The config names the project root, the
source paths whose functions are traced, the test paths, the framework and the output file.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import FunctionType
from typing import Any

from codexlab.problems.harvest.extract import Dropped, Scope, extract
from codexlab.problems.harvest.literals import literal_source
from codexlab.problems.harvest.tracer import CallTracer, FunctionTrace

TEST_DIRS = frozenset({"tests", "test", "testing"})


def is_test_file(path: Path, root: Path) -> bool:
    """Test modules, conftest files and anything under a tests/ folder are never harvested."""
    name = path.name
    if name.startswith("test_") or name.endswith("_test.py") or name in ("conftest.py", "setup.py"):
        return True
    try:
        parts = path.relative_to(root).parts[:-1]
    except ValueError:
        parts = path.parts[:-1]
    return any(p in TEST_DIRS for p in parts)


def make_filters(root: Path, sources: list[Path]) -> tuple[Any, Any]:
    """(wanted, in_project): which files are traced, and which are the project's own (inlined, not imported).

    The project is the source paths: with explicit sources (say textwrap.py in the standard library),
    the rest of the root folder stays importable as usual.
    """
    cache: dict[str, tuple[bool, bool]] = {}

    def classify(filename: str) -> tuple[bool, bool]:
        hit = cache.get(filename)
        if hit is None:
            real = Path(os.path.realpath(filename))
            project = any(real == s or real.is_relative_to(s) for s in sources)
            hit = cache[filename] = (project and real.suffix == ".py" and not is_test_file(real, root), project)
        return hit

    return (lambda f: classify(f)[0]), (lambda f: classify(f)[1])


def run_tests(framework: str, root: Path, tests: list[str], tracer: CallTracer) -> int:
    if framework == "unittest":
        import unittest

        start = tests[0] if tests else str(root)
        with tracer:
            prog = unittest.main(module=None, argv=["unittest", "discover", "-s", start, "-t", str(root)], exit=False)
        return 0 if prog.result.wasSuccessful() else 1
    import pytest

    args = [*(tests or [str(root)]), "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
    return int(pytest.main(args, plugins=[_pytest_plugin(tracer)]))


def replay(fn: FunctionType, trace: FunctionTrace) -> int:
    """Call each recorded call again outside the tracer; drop those that raise or give another result.

    This catches calls that raised (a profile hook cannot tell a raise from `return None`) and hidden
    nondeterminism. Returns how many calls were dropped.
    """
    dropped = 0
    for key, call in list(trace.recorded.items()):
        try:
            args = eval(call.args, {"__builtins__": {"set": set}})  # noqa: S307 - our own literal repr
            kwargs = {k: eval(v, {"__builtins__": {"set": set}}) for k, v in call.kwargs.items()}  # noqa: S307
            same = literal_source(fn(*args, **kwargs)) == call.result
        except Exception:  # noqa: BLE001 - a raise means the recorded call did not return
            same = False
        if not same:
            del trace.recorded[key]
            dropped += 1
    return dropped


def _pytest_plugin(tracer: CallTracer) -> object:
    """A pytest plugin tracing only while a test runs (setup, call, teardown), not pytest's own start-up."""
    import pytest

    class TracingPlugin:
        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_protocol(self, item: Any, nextitem: Any) -> Iterator[None]:
            with tracer:
                yield

    return TracingPlugin()


def harvest_in_process(config: dict[str, Any]) -> dict[str, Any]:
    root = Path(config["root"]).resolve()
    sources = [Path(s).resolve() for s in config.get("sources") or [str(root)]]
    wanted, in_project = make_filters(root, sources)
    import_roots = [Path(p).resolve() for p in config.get("import_paths", []) if p and Path(p).is_dir()]
    scope = Scope(in_project, lambda f: any(Path(os.path.realpath(f)).is_relative_to(r) for r in import_roots))
    if not (root / "__init__.py").exists():  # a project checkout, not a package folder in site-packages
        for extra in (root / "src", root):
            if extra.is_dir():
                sys.path.insert(0, str(extra))
    os.chdir(root)
    tracer = CallTracer(wanted, max_calls=int(config.get("max_calls", 20)))
    start = time.monotonic()
    exit_code = run_tests(config.get("framework", "pytest"), root, list(config.get("tests") or []), tracer)
    test_seconds = time.monotonic() - start
    functions: list[dict[str, Any]] = []
    for code, module in sorted(tracer.generators.items(), key=lambda c: (c[0].co_filename, c[0].co_firstlineno)):
        functions.append(_row(code.co_filename, code.co_firstlineno, code.co_qualname, module, 0, reason="generator"))
    for trace in sorted(tracer.functions.values(), key=lambda t: (t.code.co_filename, t.code.co_firstlineno)):
        module = str(trace.module_globals.get("__name__", "?"))
        row = _row(trace.code.co_filename, trace.code.co_firstlineno, trace.qualname, module, trace.calls)
        try:
            pieces = extract(trace, scope, replay)
        except Dropped as why:
            row["reason"] = str(why)
        else:
            row.update(name=pieces.name, prompt=pieces.prompt, solution=pieces.solution, test=pieces.test)
        functions.append(row)
    return {"tests_exit_code": exit_code, "test_seconds": round(test_seconds, 3), "functions": functions}


def _row(file: str, line: int, qualname: str, module: str, calls: int, reason: str | None = None) -> dict[str, Any]:
    return {"file": file, "line": line, "qualname": qualname, "module": module, "calls": calls, "reason": reason}


def main() -> None:
    config = json.loads(Path(sys.argv[1]).read_text())
    result = harvest_in_process(config)
    sys.setprofile(None)
    Path(config["out"]).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
