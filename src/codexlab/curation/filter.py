"""Filter a problem set by the model, as the paper did for Codex-S (section 4.1).

Sample k completions per problem and keep the problems where at least one passes: a problem no sample
solves is either ambiguous, underspecified or too hard for the model, and training on it teaches little.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexlab.curation.sample_eval import sample_and_evaluate, write_problems
from codexlab.execution.types import Executor, Limits
from codexlab.generation.types import Generator, SamplingParams
from codexlab.problems.types import ProblemSet


@dataclass
class FilterResult:
    """Which problems survived, and every problem's sample verdicts."""

    kept: ProblemSet
    dropped: list[str]
    per_problem: dict[str, list[bool]]
    k: int

    def summary(self) -> dict[str, Any]:
        total = len(self.kept) + len(self.dropped)
        return {
            "problems": total,
            "k": self.k,
            "kept": len(self.kept),
            "dropped": len(self.dropped),
            "survival_rate": round(len(self.kept) / total, 4) if total else 0.0,
            "kept_task_ids": list(self.kept),
            "dropped_task_ids": self.dropped,
            "passes_per_problem": {t: sum(v) for t, v in self.per_problem.items()},
        }


def keep_solved(problems: ProblemSet, per_problem: dict[str, list[bool]], k: int) -> FilterResult:
    """Keep the problems with at least one passing sample among their verdicts (in problem order)."""
    kept = [t for t in problems if any(per_problem.get(t, []))]
    dropped = [t for t in problems if t not in set(kept)]
    return FilterResult(problems.subset(kept), dropped, per_problem, k)


def filter_by_model(
    problems: ProblemSet,
    generator: Generator,
    params: SamplingParams,
    k: int,
    work_dir: Path,
    executor: Executor,
    limits: Limits | None = None,
    kept_path: Path | None = None,
) -> FilterResult:
    """Sample k per problem (resumable under work_dir), judge, and write the kept problems file.

    The kept problems go to `kept_path` (default work_dir/kept.jsonl); the counts to work_dir/filter.json.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    result = sample_and_evaluate(problems, generator, params, k, work_dir, executor, limits, ks=[1, k])
    filtered = keep_solved(problems, result.per_problem(), k)
    write_problems(kept_path or work_dir / "kept.jsonl", filtered.kept)
    (work_dir / "filter.json").write_text(json.dumps(filtered.summary(), indent=2) + "\n", encoding="utf-8")
    return filtered
