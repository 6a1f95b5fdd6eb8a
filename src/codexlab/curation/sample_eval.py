"""Sample a model on a problem set and judge the samples, in one resumable directory.

The building-blocks analysis, the model filter and back-translation all do the same three steps (write the
problems, sample n per problem, execute); sharing them keeps every measurement on the same harness as `run`.
"""

from __future__ import annotations

import json
from pathlib import Path

from codexlab.evaluation.evaluate import EvaluationResult, evaluate_samples, write_summary
from codexlab.execution.types import Executor, Limits
from codexlab.generation.sampling import generate_samples
from codexlab.generation.types import Generator, SamplingParams
from codexlab.pipeline import lock_run_dir
from codexlab.problems.types import ProblemSet


def write_problems(path: Path, problems: ProblemSet) -> Path:
    """A HumanEval-format JSONL file of `problems` (what `--problems FILE` reads back)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(p.to_dict()) + "\n" for p in problems.values()), encoding="utf-8")
    return path


def sample_and_evaluate(
    problems: ProblemSet,
    generator: Generator,
    params: SamplingParams,
    n: int,
    out_dir: Path,
    executor: Executor,
    limits: Limits | None = None,
    ks: list[int] | None = None,
) -> EvaluationResult:
    """problems.jsonl, samples.jsonl (+ results and summary) under out_dir; rerunning resumes.

    Holds out_dir's run-directory lock throughout (RunDirBusy if another process is using it).
    """
    with lock_run_dir(out_dir):
        write_problems(out_dir / "problems.jsonl", problems)
        samples = out_dir / "samples.jsonl"
        generate_samples(problems, generator, params, n, samples)
        result = evaluate_samples(samples, problems, executor, limits, ks=ks)
        write_summary(out_dir / "summary.json", result.summary())
    return result
