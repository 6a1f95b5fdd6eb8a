"""Per-problem time limits from the canonical solution's measured runtime (as EvalPlus does).

A fixed 3 s limit both flakes under CPU load (correct samples time out) and wastes 3 s on every infinite
loop. Here each problem's limit is max(floor, factor x the canonical solution's best measured duration),
capped at `ceiling_s`. The limit is enforced as CPU time (`Limits.cpu_time_s`), which load does not eat
into; wall-clock time gets `wall_factor` times as much (at least `wall_floor_s`) for samples that sleep,
and the executor's whole-sample backstop (wall limit + grace) still ends any stuck judge. Durations are
measured in wall-clock time, which is never less than CPU time, so the CPU limits err on the generous side.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from codexlab.execution.types import ExecutionJob, Executor, Limits
from codexlab.paths import cache_root
from codexlab.problems.types import Problem, ProblemSet


@dataclass(frozen=True)
class Calibration:
    """How limits are derived: `factor` x measured, never below `floor_s`, never above `ceiling_s` (EvalPlus's
    defaults: 4x, 1 s, and 60 s per task, its EVALPLUS_TIMEOUT_PER_TASK; MBPP+'s Mbpp/599 takes 25 s)."""

    factor: float = 4.0
    floor_s: float = 1.0
    ceiling_s: float = 60.0
    repeats: int = 2
    measure_timeout_s: float = 60.0
    wall_factor: float = 5.0
    wall_floor_s: float = 1.0

    def limit_for(self, measured_s: float) -> float:
        return min(self.ceiling_s, max(self.floor_s, self.factor * measured_s))

    def limits_for(self, measured_s: float, base: Limits) -> Limits:
        """`base` with the CPU limit for this measurement and the wall-clock limit derived from it."""
        return self.limits_at(self.limit_for(measured_s), base)

    def limits_at(self, cpu_s: float, base: Limits) -> Limits:
        """`base` with this CPU limit and the wall-clock limit derived from it."""
        return replace(base, cpu_time_s=cpu_s, timeout_s=max(self.wall_floor_s, self.wall_factor * cpu_s))


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
    return limits_from_measured(measured, base, calibration)


def limits_from_measured(
    measured: Mapping[str, float], base: Limits, calibration: Calibration = Calibration()
) -> dict[str, Limits]:
    """task_id -> `base` with the limits for its measured time (a canonical that never passed: the ceiling)."""
    return {
        tid: calibration.limits_for(calibration.ceiling_s if math.isinf(s) else s, base) for tid, s in measured.items()
    }


def apply(jobs: Iterable[ExecutionJob], limits: Mapping[str, Limits]) -> list[ExecutionJob]:
    """The jobs with their problem's calibrated limits (jobs of unknown problems keep theirs)."""
    return [replace(j, limits=limits.get(j.problem.task_id, j.limits)) for j in jobs]


def machine_id() -> str:
    """What calibrated limits depend on besides the problems: the CPU model and how many cores there are."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), model)
    except OSError:
        pass
    return f"{model} x{os.cpu_count()}"


def cached_calibrated_limits(
    problems: ProblemSet,
    executor: Executor,
    base: Limits | None = None,
    calibration: Calibration = Calibration(),
    cache: Path | None = None,
) -> dict[str, Limits]:
    """`calibrated_limits`, measured once per problem set, executor, base limits and machine, then read back.

    Reusing the measurement keeps the limits, and so the verdicts' cache keys, the same on every rerun and
    resume here; another machine measures its own. The file is under the cache root (codexlab.paths).
    """
    base = base or Limits()
    ident = {
        "problems": problems.digest,
        "executor": executor.name,
        "base": asdict(base),
        "calibration": asdict(calibration),
        "machine": machine_id(),
    }
    key = hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()[:20]
    path = (cache or cache_root() / "calibration") / f"{key}.json"
    measured: dict[str, float] | None = None
    try:
        stored = json.loads(path.read_text())["measured_s"]
        measured = {str(k): math.inf if v is None else float(v) for k, v in stored.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        measured = None  # absent or unreadable: measure again
    if measured is None or set(measured) != set(problems.keys()):
        measured = measure(problems.values(), executor, calibration)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        finite = {k: (None if math.isinf(v) else v) for k, v in measured.items()}  # a failing canonical: None
        tmp.write_text(json.dumps({**ident, "measured_s": finite}, indent=1))
        os.replace(tmp, path)
    return limits_from_measured(measured, base, calibration)
