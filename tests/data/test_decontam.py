"""Decontamination against HumanEval: a file quoting a problem is dropped, ordinary code is kept."""

from __future__ import annotations

from pathlib import Path

from codexlab.data.corpus import build_corpus
from codexlab.data.decontam import Decontaminator
from codexlab.data.sources import SourceFile
from codexlab.problems import ProblemSet


def test_decontamination_finds_the_problem(humaneval: ProblemSet) -> None:
    d = Decontaminator(humaneval)
    p = humaneval["HumanEval/0"]
    leaked = "import math\n\n" + p.prompt + p.canonical_solution + "\n\nprint('done')\n"
    assert d.matches(leaked) == ["HumanEval/0"]
    # Reindenting and renaming nothing else still matches: whitespace is not part of the n-grams.
    assert d.matches(leaked.replace("    ", "\t")) == ["HumanEval/0"]
    clean = "from typing import List\n\n\ndef mean(numbers: List[float]) -> float:\n    return sum(numbers) / len(numbers)\n"
    assert d.matches(clean) == []
    # Generic runs shared with docstring examples are not contamination.
    assert d.matches("TABLE = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nNAMES = ['a', 'b', 'c']\n") == []
    # The solution body of a long problem alone is enough.
    p = humaneval["HumanEval/129"]
    assert d.matches("def f(grid, k):\n" + p.canonical_solution) == ["HumanEval/129"]


def test_corpus_reports_contaminated_tasks(humaneval: ProblemSet, tmp_path: Path) -> None:
    p = humaneval["HumanEval/12"]
    files = [
        SourceFile("leak.py", (p.prompt + p.canonical_solution).encode(), 0),
        SourceFile("ok.py", b"def f(x):\n    return x * 2\n", 0),
    ]
    report = build_corpus(["crafted"], tmp_path, files=files, decontaminator=Decontaminator(humaneval), progress=False)
    assert report.dropped_files == {"contaminated": 1}
    assert report.contaminated_tasks == {"HumanEval/12": 1}
    assert report.files_kept == 1
