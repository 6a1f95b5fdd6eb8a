"""The Python API: README's example runs as written, and `codexlab.evaluate` judges records as the CLI does."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import codexlab

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_example() -> str:
    section = README.read_text().split("## Python API", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "README's Python API section has no python block"
    return match.group(1)


@pytest.mark.model
def test_readme_example_runs(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", readme_example()], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[:2] == ["HumanEval/0 passed ", "HumanEval/2 passed "]
    assert lines[2].startswith("HumanEval/2 failed ") and "assert candidate(3.5) == 0.5" in lines[2]
    assert lines[3] == "{'pass@1': 0.75}"  # 1 of 1 and 1 of 2
    assert (tmp_path / "runs" / "api-example" / "summary.json").exists()
    summary = json.loads((tmp_path / "runs" / "api-example" / "summary.json").read_text())
    assert summary["samples"] == 4


def test_evaluate_records_with_fixed_limits_and_a_given_executor(humaneval) -> None:
    problems = humaneval.subset(["HumanEval/0"])
    with codexlab.make_executor("process") as ex:
        result = codexlab.evaluate(
            [{"task_id": "HumanEval/0", "completion": "    while True:\n        pass\n"}],
            problems,
            executor=ex,
            limits=codexlab.Limits(timeout_s=0.5),
            calibrate=False,
        )
        # the executor given is the caller's: still usable afterwards
        again = codexlab.evaluate(
            [{"task_id": "HumanEval/0", "completion": problems["HumanEval/0"].canonical_solution}],
            problems,
            executor=ex,
        )
    assert [v.status for v in result.verdicts] == [codexlab.Status.TIMEOUT]
    assert again.verdicts[0].passed


def test_public_names_are_documented() -> None:
    for name in codexlab.__all__:
        if name == "__version__":
            continue
        obj = getattr(codexlab, name)
        assert (obj.__doc__ or "").strip(), f"codexlab.{name} has no docstring"
