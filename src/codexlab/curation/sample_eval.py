"""Sample a model on a problem set and judge the samples, in one resumable directory.

The building-blocks analysis, the model filter and back-translation all do the same three steps (write the
problems, sample n per problem, execute): they are `codexlab.run` itself, so every measurement is on the same
harness, in the same kind of run directory, as `codexlab run`.
"""

from __future__ import annotations

import json
from pathlib import Path

from codexlab.evaluation.evaluate import EvaluationResult
from codexlab.execution.types import Executor, Limits
from codexlab.generation.types import Generator, SamplingParams
from codexlab.problems.types import ProblemSet
from codexlab.store.lock import lock_run_dir


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
    """problems.jsonl beside a run directory's files (`codexlab.run`'s: config, store, samples, results and
    summary) under out_dir, judged with these fixed limits; rerunning resumes, and another model or other
    parameters in the same directory are refused. Holds out_dir's lock throughout (RunDirBusy if in use).
    """
    from codexlab import api

    with lock_run_dir(out_dir):
        write_problems(out_dir / "problems.jsonl", problems)
        done = api.run(
            generator, problems, n=n, params=params, run_dir=out_dir, executor=executor, limits=limits,
            calibrate=False, ks=ks,
        )  # fmt: skip
    return done.evaluation
