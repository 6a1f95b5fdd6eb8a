"""The harvester on a purpose-built project: which functions become problems, why the others do not."""

import json
import math
import textwrap
from collections import OrderedDict
from io import StringIO
from pathlib import Path

import pytest

from codexlab.cli.main import main
from codexlab.errors import CodexlabError, InputError
from codexlab.execution import ExecutionJob, Limits, ProcessExecutor
from codexlab.execution.canonical import canonical_check
from codexlab.problems import load_problems_file
from codexlab.problems.harvest import harvest
from codexlab.problems.harvest.literals import literal_source
from codexlab.problems.harvest.tracer import impure_builtin


def NO_CHECK(problems):  # noqa: N802 - the bad-argument cases fail before anything is judged
    raise AssertionError("nothing should be judged")


SAMPLE = Path(__file__).parent / "sample_project"

EXPECTED = {
    "mathutil.clamp": None,
    "mathutil.gcd": None,  # recursive
    "mathutil.mean": None,
    "textutil.slugify": None,  # needs a compiled regex and a helper without a docstring
    "textutil.count_vowels": None,  # needs a string constant
    "textutil.join_words": None,  # keyword-only argument
    "textutil.pad_number": None,  # needs a helper imported from another project module
    "textutil.words_upper": None,  # defines a nested function
    "textutil.table": None,  # writes to a local StringIO
    "textutil.loud_slug": "impure: calls print()",  # through the project function it calls
    "mathutil.countdown": "generator",
    "textutil.Rect.__init__": "method",
    "textutil.Rect.area": "method",
    "textutil._clean": "no docstring",
    "textutil.double": "no docstring",
    "textutil.scaled_gcd": "uses a module that is not importable outside the project",
    "textutil.shout": "impure: calls print()",
    "textutil.pick": "impure: calls random.choice()",
    "textutil.stamp": "impure: calls time.time()",
    "textutil.append_one": "impure: mutates its arguments",
    "textutil.bump": "impure: writes a global variable",
    "textutil.area": "no call with literal arguments",
    "textutil.make_rect": "no call with a literal result",
    "textutil.default_area": "reads a global that is not a literal",
    "textutil.fib": "not reachable by its name",  # decorated with lru_cache
    "textutil.parse_int": "every recorded call raised or changed its result when replayed",
    "textutil.words_upper.<locals>.up": "nested function",
    "textutil.program_name": "canonical solution fails its recorded tests",  # depends on sys.argv
}


@pytest.fixture(scope="module")
def report():
    return harvest(SAMPLE, check=canonical_check(ProcessExecutor(workers=2), Limits()))


def test_every_traced_function_is_accounted_for(report) -> None:
    got = {f"{r['module'].removeprefix('minilib.')}.{r['qualname']}": r["reason"] for r in report.functions}
    assert {k: (v.split(" (")[0] if v else None) for k, v in got.items()} == EXPECTED
    assert report.traced == len(EXPECTED) and report.kept == 9
    assert sum(report.dropped.values()) == report.traced - report.kept
    assert report.tests_exit_code == 0


def test_every_kept_problem_passes_its_tests(report) -> None:
    jobs = [ExecutionJob(t, p, p.canonical_solution) for t, p in report.problems.items()]
    assert all(v.passed for _, v in ProcessExecutor(workers=2).map(jobs))
    # and a wrong body fails them
    wrong = [ExecutionJob(t, p, "    return None\n") for t, p in report.problems.items()]
    assert not any(v.passed for _, v in ProcessExecutor(workers=2).map(wrong))


def test_problem_text(report) -> None:
    gcd = report.problems["Harvest/minilib.mathutil.gcd"]
    assert gcd.prompt.startswith("def gcd(a, b):\n") and gcd.prompt.rstrip().endswith('"""')
    assert "assert candidate(12, 18) == 6" in gcd.test
    slug = report.problems["Harvest/minilib.textutil.slugify"]
    assert "import re" in slug.prompt and "def _clean(text):" in slug.prompt
    assert "candidate('A b', '_') == 'a_b'" in slug.test
    assert "candidate(['a', 'b'], sep='+') == 'a+b'" in report.problems["Harvest/minilib.textutil.join_words"].test
    assert "def clamp(x, lo, hi):" in report.problems["Harvest/minilib.textutil.pad_number"].prompt


def test_unittest_suite_and_explicit_sources(tmp_path: Path) -> None:
    (tmp_path / "calc.py").write_text(
        textwrap.dedent('''
        def square(x):
            """x times x."""
            return x * x


        def log_square(x):
            """Square x and log it."""
            print(x)
            return x * x
    ''')
    )
    (tmp_path / "test_calc.py").write_text(
        textwrap.dedent("""
        import unittest

        import calc


        class T(unittest.TestCase):
            def test_square(self):
                self.assertEqual(calc.square(3), 9)
                self.assertEqual(calc.square(-2.5), 6.25)
                self.assertEqual(calc.log_square(2), 4)
    """)
    )
    report = harvest(
        tmp_path,
        sources=[tmp_path / "calc.py"],
        framework="unittest",
        check=canonical_check(ProcessExecutor(workers=2), Limits()),
    )
    assert report.kept == 1 and dict(report.dropped) == {"impure: calls print()": 1}
    assert "assert candidate(-2.5) == 6.25" in report.problems["Harvest/calc.square"].test


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a directory"):
        harvest(tmp_path / "missing", check=NO_CHECK)
    with pytest.raises(InputError, match="no such file"):
        harvest(tmp_path, sources=[tmp_path / "nope.py"], check=NO_CHECK)
    with pytest.raises(CodexlabError, match="unknown test framework"):
        harvest(tmp_path, framework="nose", check=NO_CHECK)
    with pytest.raises(InputError, match="no such test file"):
        harvest(tmp_path, tests=[str(tmp_path / "test_nope.py")], check=NO_CHECK)
    with pytest.raises(CodexlabError, match="found no tests"):
        harvest(tmp_path, check=NO_CHECK)  # an empty folder: nothing to trace is an error, not an empty success


def test_literal_source() -> None:
    assert literal_source({"a": [1, 2.5, None, (True, b"x")], "s": {3}}) == repr(
        {"a": [1, 2.5, None, (True, b"x")], "s": {3}}
    )
    loop: list = []
    loop.append(loop)
    for value in (math.nan, math.inf, OrderedDict(a=1), loop, object(), "x" * 5000, 10**5000):
        assert literal_source(value) is None


def test_impure_builtins() -> None:
    import random
    import time

    assert impure_builtin(print) == "calls print()"
    assert impure_builtin(time.time) == "calls time.time()"
    assert impure_builtin(random.random) is not None
    assert impure_builtin([].append) is None
    assert impure_builtin(StringIO().write) is None
    assert impure_builtin(len) is None


def test_cli_harvest(tmp_path: Path, capsys) -> None:
    out, rep = tmp_path / "harvested.jsonl", tmp_path / "report.json"
    code = main(
        ["problems", "harvest", str(SAMPLE), "--out", str(out), "--report", str(rep), "--json", "--executor", "process"]
    )
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["traced"] == len(EXPECTED) and summary["kept"] == 9
    assert len(load_problems_file(out)) == 9
    assert len(json.loads(rep.read_text())["functions"]) == len(EXPECTED)
    assert main(["problems", "check", str(out), "--executor", "process"]) == 0
