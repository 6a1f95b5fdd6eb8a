"""Calibrated limits are measured once per problem set, executor and machine, then read back: reruns and resumes
judge with the same limits, so their verdicts' cache keys match."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from codexlab.execution import ExecutionJob, Limits, ProcessExecutor, Verdict
from codexlab.execution.calibration import Calibration, cached_calibrated_limits


class CountingExecutor(ProcessExecutor):
    """The real process executor, counting the jobs it runs."""

    def __init__(self) -> None:
        super().__init__(workers=2)
        self.jobs = 0

    def map(self, jobs: Iterable[ExecutionJob]) -> Iterator[tuple[str, Verdict]]:
        jobs = list(jobs)
        self.jobs += len(jobs)
        return super().map(jobs)


def test_measured_once_then_read_back(humaneval, tmp_path: Path) -> None:
    problems = humaneval.subset(["HumanEval/0", "HumanEval/1", "HumanEval/2"])
    ex = CountingExecutor()
    first = cached_calibrated_limits(problems, ex, Limits(), Calibration(), cache=tmp_path)
    measured = ex.jobs
    assert measured == 3 * Calibration().repeats
    again = cached_calibrated_limits(problems, ex, Limits(), Calibration(), cache=tmp_path)
    assert again == first and ex.jobs == measured  # read back, not measured again
    for lim in first.values():
        assert lim.cpu_time_s is not None and lim.cpu_time_s >= Calibration().floor_s
        assert lim.timeout_s >= Calibration().wall_factor * lim.cpu_time_s
    # other base limits are another calibration; a damaged file is measured again
    cached_calibrated_limits(problems, ex, Limits(memory_bytes=256 << 20), Calibration(), cache=tmp_path)
    assert ex.jobs == 2 * measured
    (files,) = {p for p in tmp_path.iterdir() if json.loads(p.read_text())["base"]["memory_bytes"] == 1 << 30}
    files.write_text("{not json")
    assert cached_calibrated_limits(problems, ex, Limits(), Calibration(), cache=tmp_path) == first
    assert ex.jobs == 3 * measured


def test_a_canonical_that_fails_gets_the_ceiling(humaneval, tmp_path: Path) -> None:
    from dataclasses import replace

    from codexlab.problems import ProblemSet

    broken = replace(humaneval["HumanEval/0"], canonical_solution="    return None\n")
    limits = cached_calibrated_limits(ProblemSet("broken", [broken]), ProcessExecutor(), cache=tmp_path)
    assert limits["HumanEval/0"].cpu_time_s == Calibration().ceiling_s
    ex = CountingExecutor()
    assert cached_calibrated_limits(ProblemSet("broken", [broken]), ex, cache=tmp_path) == limits
    assert ex.jobs == 0  # the failure is remembered too
