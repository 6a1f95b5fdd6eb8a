"""Scale-out on Ray: actors each hold a local sandbox pool; the driver batches jobs to them.

Each actor runs a `SandboxExecutor` (same isolation, same verdicts) on the node it lands on, so a cluster
judges samples on every node with the local executor's guarantees. Identical programs are judged once
per `map` call, here on the driver, before anything is shipped. Needs the optional `ray` extra.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from codexlab.errors import CodexlabError
from codexlab.execution.dedup import Dedup
from codexlab.execution.types import ExecutionJob, Executor, Verdict


class _SandboxActor:
    """The actor body: a local sandbox pool on whichever node Ray placed it."""

    def __init__(self, workers: int, mode: str) -> None:
        from codexlab.execution.sandbox import SandboxExecutor

        self.ex = SandboxExecutor(workers=workers, mode=mode)
        self.ex.start()

    def isolation(self) -> str:
        return self.ex.isolation

    def judge(self, jobs: list[ExecutionJob]) -> list[tuple[str, Verdict]]:
        return list(self.ex.map(jobs))

    def close(self) -> None:
        self.ex.close()


class RayExecutor(Executor):
    """`actors` Ray actors with `workers_per_actor` sandbox workers each (connects to a running Ray, or
    starts a local one when none is running and `address` is None)."""

    name = "ray"

    def __init__(
        self,
        workers: int | None = None,
        *,
        workers_per_actor: int = 1,
        address: str | None = None,
        mode: str = "judge",
        batch_size: int = 8,
    ) -> None:
        try:
            import ray
        except ImportError as exc:
            raise CodexlabError("the ray executor needs Ray: pip install 'codexlab[ray]'") from exc
        self._ray = ray
        if not ray.is_initialized():
            ray.init(address=address, include_dashboard=False, log_to_driver=False)
        self.actors_n = workers or int(ray.available_resources().get("CPU", os.cpu_count() or 1)) or 1
        self.batch_size = batch_size
        remote = ray.remote(num_cpus=0)(_SandboxActor)
        self._actors: list[Any] = [remote.remote(workers_per_actor, mode) for _ in range(self.actors_n)]
        self.isolation = str(ray.get(self._actors[0].isolation.remote()))

    def map(self, jobs: Iterable[ExecutionJob]) -> Iterator[tuple[str, Verdict]]:
        ray = self._ray
        dedup = Dedup()
        pending: dict[Any, int] = {}  # object ref -> actor index
        free = list(range(len(self._actors)))
        batch: list[ExecutionJob] = []
        hash_of: dict[str, str] = {}

        def drain(block: bool) -> Iterator[tuple[str, Verdict]]:
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=None if block else 0)
            for ref in ready:
                free.append(pending.pop(ref))
                for key, verdict in ray.get(ref):
                    for k in dedup.settle(hash_of.pop(key), verdict):
                        yield k, verdict

        def submit() -> Iterator[tuple[str, Verdict]]:
            while not free:
                yield from drain(True)
            i = free.pop()
            pending[self._actors[i].judge.remote(list(batch))] = i
            batch.clear()

        for job in jobs:
            known = dedup.known(job)
            if known is not None:
                yield job.key, known
                continue
            h = dedup.first(job)
            if h is None:
                continue
            hash_of[job.key] = h
            batch.append(job)
            if len(batch) >= self.batch_size:
                yield from submit()
        if batch:
            yield from submit()
        while pending:
            yield from drain(True)

    def close(self) -> None:
        for a in self._actors:
            try:
                self._ray.get(a.close.remote(), timeout=30)
            except Exception:  # noqa: BLE001 - an actor that died has nothing to close
                pass
            self._ray.kill(a)
        self._actors = []
