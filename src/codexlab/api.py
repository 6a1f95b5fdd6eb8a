"""The pipeline as a library: `run` (generate, then evaluate, in a resumable run directory) and `evaluate` (judge
samples). `codexlab run` and `codexlab evaluate` are these two calls plus argument parsing and progress bars,
so a notebook or an RL loop gets exactly what the command line gets.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from codexlab.evaluation.evaluate import EvaluationResult, evaluate_samples, write_summary
from codexlab.execution.types import Executor, Limits, Verdict
from codexlab.generation.types import PAPER_STOPS, Generator, SamplingParams
from codexlab.problems.types import ProblemSet

__all__ = ["Progress", "RunResult", "evaluate", "limits_config", "run"]


class Progress(Protocol):
    """What a caller may watch while a run goes on (the CLI draws progress bars from it)."""

    def started(self, run_dir: Path) -> None: ...
    def generation(self, total: int, done: int, generator: Generator) -> None: ...
    def sample(self, task_id: str, index: int) -> None: ...
    def execution(self, executor: Executor) -> None: ...
    def verdicts(self, done: int, total: int) -> None: ...


@dataclass
class RunResult:
    """A finished run: where it lives and what evaluation found (`.summary()` is summary.json)."""

    run_dir: Path
    evaluation: EvaluationResult

    @property
    def pass_at_k(self) -> dict[str, float]:
        return dict(self.evaluation.summary()["pass_at_k"])


def limits_config(limits: Limits | None, calibrate: bool) -> dict[str, Any]:
    """How a run's limits are chosen, as its config records it (a rerun with other limits is another run)."""
    base = limits or Limits()
    memory_mb = base.memory_bytes >> 20
    if calibrate:
        return {"time_limits": "calibrated", "memory_mb": memory_mb}
    return {"timeout_s": base.timeout_s, "memory_mb": memory_mb}


def _tokens(generator: Generator) -> int:
    """Tokens the generator decoded so far (backends that count them keep `tokens_generated`)."""
    return int(getattr(generator, "tokens_generated", 0))


def _problems(problems: ProblemSet | str | Path) -> ProblemSet:
    from codexlab.problems import load_problems

    if isinstance(problems, ProblemSet):
        return problems
    if isinstance(problems, Path) or str(problems).endswith((".jsonl", ".jsonl.gz", ".json")):
        return load_problems(problems_file=problems)
    return load_problems(str(problems))


def _executor(executor: Executor | str, workers: int | None, unsafe: bool) -> tuple[Executor, bool]:
    """The executor, and whether this call made it (and so must close it)."""
    if isinstance(executor, Executor):
        return executor, False
    from codexlab.execution import make_executor

    return make_executor(executor, workers=workers, unsafe=unsafe), True


@dataclass(frozen=True)
class _Judging:
    """How one call judges its samples: the same for a problem set and for its base set."""

    executor: Executor
    limits: Limits | Mapping[str, Limits] | None
    calibrate: bool
    ks: list[int] | None
    store: Any
    progress: Progress | None


def _judge(samples_path: Path, problems: ProblemSet, how: _Judging) -> EvaluationResult:
    """Judge the samples file on `problems`, calibrating limits unless told not to; then, where the set has
    base tests, on those too (the store's samples stay linked to the main set's verdicts)."""
    result = _judge_set(samples_path, problems, how)
    if problems.base is not None:
        # the main set's inputs begin with the base ones, judged the same way: passing it passes base too
        implied = {(row.task_id, row.sample_id): v for row, v in zip(result.rows, result.verdicts) if v.passed}
        base_path = samples_path.with_name(samples_path.name + "_base_results.jsonl")
        result.base = _judge_set(samples_path, problems.base, how, base_path, implied)
    return result


def _judge_set(
    samples_path: Path,
    problems: ProblemSet,
    how: _Judging,
    results_path: Path | None = None,
    implied: Mapping[tuple[str, int], Verdict] | None = None,
) -> EvaluationResult:
    limits, executor, store, progress = how.limits, how.executor, how.store, how.progress
    if how.calibrate and not isinstance(limits, Mapping):
        from codexlab.execution.calibration import Calibration, cached_calibrated_limits

        if problems.time_limit_s is not None:  # the set's own limits (EvalPlus's): no calibration run
            at = Calibration().limits_at
            limits = {t: at(cpu, limits or Limits()) for t, cpu in problems.time_limit_s.items()}
        else:
            limits = cached_calibrated_limits(problems, executor, limits)
    if progress is not None:
        progress.execution(executor)
    started = time.time()
    on_verdict = progress.verdicts if progress else None
    result = evaluate_samples(
        samples_path, problems, executor, limits, how.ks, on_verdict, store, results_path, implied, link=implied is None
    )
    if store is not None:
        store.add_timing("evaluate", started, time.time() - started, result.unique_programs, executor=executor.name)
    return result


def evaluate(
    samples: str | Path | Iterable[Mapping[str, Any]],
    problems: ProblemSet | str | Path = "humaneval",
    *,
    executor: Executor | str = "auto",
    workers: int | None = None,
    unsafe: bool = False,
    limits: Limits | Mapping[str, Limits] | None = None,
    calibrate: bool = True,
    ks: list[int] | None = None,
    wait: bool = False,
    progress: Progress | None = None,
) -> EvaluationResult:
    """Judge samples (openai/human-eval's format: task_id, completion) against `problems`' tests.

    `samples` is a samples file (its `_results.jsonl` is written beside it; in a run directory, through its
    store, holding its lock) or the records themselves (judged in a temporary directory). Limits: `limits`
    (default `Limits()`) with its time limits calibrated per problem on this machine, unless `calibrate=False`
    or `limits` maps task ids to limits already. `executor` is a name for `make_executor` ("auto": the strongest
    sandbox this host allows) or an executor, which is left open for the caller to reuse.
    """
    from codexlab.jsonl import write_jsonl
    from codexlab.pipeline import store_for_samples

    problem_set = _problems(problems)
    ex, owned = _executor(executor, workers, unsafe)
    try:
        if isinstance(samples, (str, Path)):
            path = Path(samples)
            store = store_for_samples(path, wait=wait)
            try:
                return _judge(path, problem_set, _Judging(ex, limits, calibrate, ks, store, progress))
            finally:
                if store is not None:
                    store.close()
        with tempfile.TemporaryDirectory(prefix="codexlab-evaluate-") as tmp:
            path = Path(tmp) / "samples.jsonl"
            write_jsonl(path, ({"task_id": s["task_id"], "completion": s["completion"], **s} for s in samples))
            return _judge(path, problem_set, _Judging(ex, limits, calibrate, ks, None, progress))
    finally:
        if owned:
            ex.close()


def run(
    model: Generator | str,
    problems: ProblemSet | str | Path = "humaneval",
    *,
    n: int = 1,
    params: SamplingParams | None = None,
    run_dir: str | Path | None = None,
    runs_root: str | Path = "runs",
    executor: Executor | str = "auto",
    workers: int | None = None,
    unsafe: bool = False,
    limits: Limits | None = None,
    calibrate: bool = True,
    ks: list[int] | None = None,
    wait: bool = False,
    progress: Progress | None = None,
) -> RunResult:
    """Draw `n` samples per problem from `model` and judge them, in a run directory that resumes.

    `model` is a generator, or a model name or path for `load_generator` (loaded here and closed after
    generation). The run directory (default `runs_root/<model>-<dataset>-n<N>-t<T>-<hash>`) holds config.json,
    run.sqlite, samples.jsonl, its results and summary.json; calling again with the same arguments resumes,
    and another configuration in the same directory is refused. Limits as in `evaluate`.
    """
    from codexlab.generation.registry import load_generator
    from codexlab.generation.sampling import generate_samples
    from codexlab.pipeline import default_run_dir, open_run_store, run_config

    problem_set = _problems(problems)
    params = params or SamplingParams(stop=problem_set.stops or PAPER_STOPS)
    generator = load_generator(model) if isinstance(model, str) else model
    try:
        config = run_config(problem_set, generator.model_id, params.to_dict(), n, limits_config(limits, calibrate))
        where = Path(run_dir) if run_dir is not None else default_run_dir(Path(runs_root), config)
        store = open_run_store(where, config, problem_set, wait=wait)  # holds the run directory's lock
        samples_path = where / "samples.jsonl"
        if progress is not None:
            progress.started(where)
        try:
            done = store.sample_ids()
            if progress is not None:
                already = sum(min(len(done.get(t, ())), n) for t in problem_set)
                progress.generation(len(problem_set) * n, already, generator)
            started, tokens = time.time(), _tokens(generator)
            made = generate_samples(
                problem_set, generator, params, n, samples_path, on_sample=progress.sample if progress else None,
                store=store,
            )  # fmt: skip
            if made:
                elapsed = time.time() - started
                store.add_timing("generate", started, elapsed, made, tokens=_tokens(generator) - tokens)
        except BaseException:
            store.close()
            raise
    finally:
        if isinstance(model, str):
            generator.close()
    with store:
        ex, owned = _executor(executor, workers, unsafe)
        try:
            result = _judge(samples_path, problem_set, _Judging(ex, limits, calibrate, ks, store, progress))
        finally:
            if owned:
                ex.close()
        write_summary(where / "summary.json", result.summary())
    return RunResult(where, result)
