"""Identical programs judged once within one `map` call (a model repeats itself: n=20 at a low temperature
often gives a handful of distinct programs), the one rule every executor that runs jobs in parallel follows."""

from __future__ import annotations

from codexlab.execution.types import ExecutionJob, Verdict


class Dedup:
    """Which jobs must run and which wait for an identical program's verdict. With `enabled=False` every job
    runs (each its own program key), e.g. to measure the executor itself."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._waiting: dict[str, list[str]] = {}  # program key -> the job keys waiting for its verdict
        self._done: dict[str, Verdict] = {}

    def known(self, job: ExecutionJob) -> Verdict | None:
        """The verdict of this job's program, if one was judged already in this call."""
        return self._done.get(job.program_hash) if self.enabled else None

    def first(self, job: ExecutionJob) -> str | None:
        """Register the job: its program key if it must run, None if an identical program is already running."""
        h = job.program_hash if self.enabled else f"{job.key}:{id(job)}"
        if h in self._waiting:
            self._waiting[h].append(job.key)
            return None
        self._waiting[h] = [job.key]
        return h

    def settle(self, h: str, verdict: Verdict) -> list[str]:
        """The program `h` was judged: the keys of every job that gets this verdict."""
        if self.enabled:
            self._done[h] = verdict
        return self._waiting.pop(h)
