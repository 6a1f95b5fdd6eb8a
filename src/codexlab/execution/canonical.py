"""Judge problems' own canonical solutions: how a problem set (given, harvested or generated) proves that its
tests can be passed before any model is judged against them."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from codexlab.execution.types import ExecutionJob, Executor, Limits, Verdict
from codexlab.problems.types import Problem


def failing_canonicals(problems: Iterable[Problem], executor: Executor, limits: Limits) -> dict[str, Verdict]:
    """task_id -> verdict, for each problem whose canonical solution does not pass its tests (in input order)."""
    jobs = [ExecutionJob(p.task_id, p, p.canonical_solution, limits) for p in problems]
    verdicts = dict(executor.map(jobs))
    return {job.key: verdicts[job.key] for job in jobs if not verdicts[job.key].passed}


def canonical_check(executor: Executor, limits: Limits) -> Callable[[list[Problem]], dict[str, str]]:
    """`failing_canonicals` as a check for `codexlab.problems.harvest.harvest`: task_id -> "status: detail"."""

    def check(problems: list[Problem]) -> dict[str, str]:
        failed = failing_canonicals(problems, executor, limits)
        return {t: f"{v.status.value}: {v.detail}" for t, v in failed.items()}

    return check
