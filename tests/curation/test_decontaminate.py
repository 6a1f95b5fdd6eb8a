"""Codex-S training problems decontaminated against the benchmarks, on crafted overlaps with real HumanEval."""

from __future__ import annotations

import json
from pathlib import Path

from codexlab.cli.main import main
from codexlab.curation.decontaminate import decontaminate
from codexlab.curation.sample_eval import write_problems
from codexlab.problems import Problem, ProblemSet

FRESH = Problem(
    "Train/fresh",
    'def count_vowels(word):\n    """How many of the letters of word are vowels (a, e, i, o, u)."""\n',
    "count_vowels",
    "    return sum(1 for ch in word.lower() if ch in 'aeiou')\n",
    "def check(candidate):\n    assert candidate('Banana') == 3\n",
)


def _training_set(humaneval: ProblemSet) -> ProblemSet:
    he0, he10 = humaneval["HumanEval/0"], humaneval["HumanEval/10"]
    copied = Problem("Train/copied", he0.prompt, he0.entry_point, he0.canonical_solution, he0.test)
    # another prompt, the same solution, reindented: whitespace does not hide a copy
    reindented = Problem(
        "Train/reindented",
        "def shortest_palindrome(string: str) -> str:\n",
        "shortest_palindrome",
        he10.canonical_solution.replace("    ", "  "),
        "def check(candidate):\n    assert candidate('cat') == 'catac'\n",
    )
    return ProblemSet("train", [copied, FRESH, reindented])


def test_copies_of_benchmark_problems_are_dropped_and_reported(humaneval: ProblemSet) -> None:
    other = ProblemSet("other", [FRESH])
    result = decontaminate(_training_set(humaneval), [humaneval, other])
    assert list(result.kept) == []
    report = result.report()
    assert report["dropped_task_ids"] == {
        "Train/copied": {"humaneval": ["HumanEval/0"]},
        "Train/fresh": {"other": ["Train/fresh"]},
        "Train/reindented": {"humaneval": ["HumanEval/10"]},
    }
    assert report["against"] == {
        "humaneval": {"problems": 164, "training_problems_overlapping": 2},
        "other": {"problems": 1, "training_problems_overlapping": 1},
    }


def test_the_command_writes_the_kept_problems_and_the_report(humaneval: ProblemSet, tmp_path: Path) -> None:
    train = write_problems(tmp_path / "train.jsonl", _training_set(humaneval))
    out = tmp_path / "kept.jsonl"
    assert main(["curate", "decontaminate", str(train), "--against", "humaneval", "--out", str(out)]) == 0
    kept = [json.loads(line) for line in out.read_text().splitlines()]
    assert [p["task_id"] for p in kept] == ["Train/fresh"]
    report = json.loads((tmp_path / "kept.jsonl.decontamination.json").read_text())
    assert (report["problems"], report["kept"], report["dropped"]) == (3, 1, 2)
