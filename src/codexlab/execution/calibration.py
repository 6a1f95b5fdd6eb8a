"""Per-problem time limits from the canonical solution's measured runtime (as EvalPlus does).

A fixed 3 s limit both flakes under CPU load (correct samples time out) and wastes 3 s on every infinite
loop. Here each problem's limit is max(floor, factor x the canonical solution's best measured duration),
capped at `ceiling_s`. The limit is enforced as CPU time (`Limits.cpu_time_s`), which load does not eat
into; wall-clock time gets `wall_factor` times as much (at least `wall_floor_s`) for samples that sleep,
and the executor's whole-sample backstop (wall limit + grace) still ends any stuck judge. Durations are
measured in wall-clock time, which is never less than CPU time, so the CPU limits err on the generous side.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from codexlab.execution.types import ExecutionJob, Executor, Limits
from codexlab.problems.types import Problem


@dataclass(frozen=True)
class Calibration:
    """How limits are derived: `factor` x measured, never below `floor_s`, never above `ceiling_s`."""

    factor: float = 4.0
    floor_s: float = 1.0
    ceiling_s: float = 20.0
    repeats: int = 2
    measure_timeout_s: float = 20.0
    wall_factor: float = 5.0
    wall_floor_s: float = 1.0

    def limit_for(self, measured_s: float) -> float:
        return min(self.ceiling_s, max(self.floor_s, self.factor * measured_s))

    def limits_for(self, measured_s: float, base: Limits) -> Limits:
        """`base` with the CPU limit for this measurement and the wall-clock limit derived from it."""
        cpu = self.limit_for(measured_s)
        return replace(base, cpu_time_s=cpu, timeout_s=max(self.wall_floor_s, self.wall_factor * cpu))


def measure(
    problems: Iterable[Problem], executor: Executor, calibration: Calibration = Calibration()
) -> dict[str, float]:
    """Best-of-`repeats` duration of each canonical solution (failing canonicals get the ceiling)."""
    problems = list(problems)
    limits = Limits(timeout_s=calibration.measure_timeout_s)
    best: dict[str, float] = {p.task_id: math.inf for p in problems}
    for r in range(calibration.repeats):
        # a distinct comment per round: identical programs would be deduplicated, not re-measured
        jobs = [ExecutionJob(p.task_id, p, f"{p.canonical_solution}\n# calibration {r}\n", limits) for p in problems]
        for key, verdict in executor.map(jobs):
            if verdict.passed:
                best[key] = min(best[key], verdict.duration_s)
    return best


def time_limits(measured: Mapping[str, float], calibration: Calibration = Calibration()) -> dict[str, float]:
    """task_id -> seconds allowed; a problem whose canonical solution never passed gets the ceiling."""
    return {tid: calibration.ceiling_s if math.isinf(s) else calibration.limit_for(s) for tid, s in measured.items()}


def calibrated_limits(
    problems: Iterable[Problem],
    executor: Executor,
    base: Limits | None = None,
    calibration: Calibration = Calibration(),
) -> dict[str, Limits]:
    """task_id -> `base` with calibrated cpu_time_s and timeout_s, measured here with this executor."""
    base = base or Limits()
    measured = measure(problems, executor, calibration)
    return {
        tid: calibration.limits_for(calibration.ceiling_s if math.isinf(s) else s, base) for tid, s in measured.items()
    }


def apply(jobs: Iterable[ExecutionJob], limits: Mapping[str, Limits]) -> list[ExecutionJob]:
    """The jobs with their problem's calibrated limits (jobs of unknown problems keep theirs)."""
    return [replace(j, limits=limits.get(j.problem.task_id, j.limits)) for j in jobs]
