"""EvalPlus problem files read into typed records: the real releases (the offline copies, where present) and
bad lines named by file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codexlab.download import sha256_file
from codexlab.errors import InputError
from codexlab.problems.evalplus import read_evalplus
from codexlab.problems.releases import RELEASES

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "evalplus"


@pytest.mark.parametrize(
    "name, file", [("humaneval+", "HumanEvalPlus.jsonl.gz"), ("humaneval+mini", "HumanEvalPlus-Mini.jsonl.gz"),
                   ("mbpp+", "MbppPlus.jsonl.gz")],
)  # fmt: skip
def test_the_releases_read_whole(name: str, file: str) -> None:
    path = SHARED / file
    if not path.exists():
        pytest.skip(f"no offline copy of {file} here")
    assert sha256_file(path) == RELEASES[name].sha256, "the copy is the pinned release"
    problems = read_evalplus(path)
    assert len(problems) == RELEASES[name].problems
    assert all(p.base_input for p in problems)
    if not name.endswith("mini"):  # the full releases: the original tests, and many times their inputs
        assert all(p.base_test for p in problems)
        assert sum(len(p.plus_input) for p in problems) > 10 * sum(len(p.base_input) for p in problems)
    assert all(isinstance(args, list) for p in problems for args in p.base_input + p.plus_input)
    first = problems[0]
    if name.startswith("humaneval"):
        assert first.task_id == "HumanEval/0" and first.entry_point == "has_close_elements"
        assert first.base_input[0] == [[1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3]
    else:
        assert first.task_id == "Mbpp/2" and "assert similar_elements" in first.base_test
        assert next(p for p in problems if p.task_id == "Mbpp/793").plus_input == [], "written {} there"
    assert any(p.atol > 0 for p in problems), "some problems compare floats with a tolerance"


def test_bad_lines_are_named(tmp_path: Path) -> None:
    good = {
        "task_id": "T/0", "prompt": "def f(x):\n", "entry_point": "f", "canonical_solution": "    return x\n",
        "base_input": [[1]], "plus_input": "[[2], [3]]", "atol": 0,
    }  # fmt: skip
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(good) + "\n")
    (p,) = read_evalplus(path)
    assert p.plus_input == [[2], [3]] and p.atol == 0.0
    for bad, message in [
        ({**good, "task_id": "T/1", "plus_input": "[[2], "}, "p.jsonl:2: field 'plus_input' is not JSON"),
        ({**good, "task_id": "T/1", "base_input": [1, 2]}, "p.jsonl:2: field 'base_input' must be a list of arg"),
        ({**good, "task_id": "T/1", "atol": "tight"}, "p.jsonl:2: field 'atol' must be a number"),
        (good, "p.jsonl:2: duplicate task_id 'T/0'"),
    ]:
        path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
        with pytest.raises(InputError, match=message):
            read_evalplus(path)
