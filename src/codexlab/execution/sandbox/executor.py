"""The sandbox executor: a pool of judge processes, each with its own zygote; dedup of identical programs.

Each worker thread owns one judge process and enforces the whole-sample backstop: if a judge does not
answer within the sample's longest possible time (its wall-clock limit, stretched at most by the judge's
run-queue credit) plus a grace period (a test looping without calling the sample), the judge and its
zygote are killed and restarted and the sample is judged a timeout.
"""

from __future__ import annotations

import json
import os
import queue
import select
import shutil
import signal
import subprocess
import threading
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from codexlab.errors import CodexlabError
from codexlab.execution.sandbox import judge as judge_mod
from codexlab.execution.sandbox import wire
from codexlab.execution.types import ExecutionJob, Executor, Status, Verdict

MODES = ("judge", "inproc")


class SandboxUnavailable(CodexlabError):
    """No isolation layer works on this host and unsafe execution was not allowed."""


class _Judge:
    """One judge process seen from the pool: send a job, wait for its verdict with a backstop."""

    def __init__(self, want: dict[str, bool]) -> None:
        self.proc = subprocess.Popen(
            judge_mod.spawn_command() + [json.dumps(want)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.w, self.r = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        self.sent_problems: set[str] = set()
        hello = self._read(timeout=60.0)
        if hello is None:
            self.kill()
            raise RuntimeError("the sandbox judge failed to start")
        self.layers: dict[str, Any] = hello["layers"]
        self.isolation: str = hello["isolation"]

    def _read(self, timeout: float) -> dict[str, Any] | None:
        ready, _, _ = select.select([self.r], [], [], timeout)
        if not ready:
            return None
        try:
            return json.loads(wire.recv_frame(self.r))  # type: ignore[no-any-return]
        except (EOFError, ValueError):
            return None

    def run(self, job_id: int, job: ExecutionJob, mode: str, grace_s: float) -> tuple[Verdict, bool]:
        """The verdict and whether this judge is still usable."""
        p = job.problem
        pkey = f"{p.task_id}:{hash((p.prompt, p.test, p.entry_point))}"
        msg: dict[str, Any] = {
            "id": job_id,
            "problem_key": pkey,
            "completion": job.completion,
            "limits": asdict(job.limits),
            "mode": mode,
        }
        if pkey not in self.sent_problems:
            msg["problem"] = {"prompt": p.prompt, "test": p.test, "entry_point": p.entry_point}
            self.sent_problems.add(pkey)
        try:
            wire.send_frame(self.w, json.dumps(msg).encode())
        except OSError:
            return Verdict(Status.ERROR, "the sandbox judge is gone", isolation=self.isolation), False
        backstop = job.limits.timeout_s * (1 + judge_mod.MAX_LOAD_EXTENSION) + grace_s
        reply = self._read(backstop)
        if reply is None:
            return (
                Verdict(
                    Status.TIMEOUT,
                    "whole-sample backstop reached: the tests did not finish",
                    backstop,
                    isolation=self.isolation,
                ),
                False,
            )
        return Verdict.from_dict(reply["verdict"]), not reply.get("fatal", False)

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            if f is not None:
                f.close()

    def close(self) -> None:
        """Close stdin so the judge exits (and its zygote with it); kill if it lingers."""
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()


def _strength(layers: dict[str, Any]) -> list[str]:
    """The layers that confine a sample beyond rlimits."""
    strong = []
    if layers.get("netns") is True or layers.get("bubblewrap") is True:
        strong.append("namespaces")
    if isinstance(layers.get("landlock"), int) and not isinstance(layers.get("landlock"), bool):
        strong.append("landlock")
    if layers.get("seccomp") is True:
        strong.append("seccomp")
    return strong


class SandboxExecutor(Executor):
    """Judge each job in a locked-down child of a clean zygote; tests and assertions stay in the judge.

    mode="judge" (default) is unforgeable by the sample; mode="inproc" runs the tests in the child
    (faster, labelled forgeable in every verdict's isolation field). `unsafe=True` allows running where
    no confining layer works; `layers` can switch layers off ({"namespaces": False}) for tests and hosts
    that forbid them. Where the zygote cannot enter namespaces itself and `bwrap` is installed, the zygotes
    run inside bubblewrap instead ({"bubblewrap": True} forces it, False forbids it).
    """

    name = "sandbox"

    def __init__(
        self,
        workers: int | None = None,
        mode: str = "judge",
        *,
        unsafe: bool = False,
        dedup: bool = True,
        grace_s: float = 5.0,
        layers: dict[str, bool] | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.workers = workers or os.cpu_count() or 1
        self.mode = mode
        self.unsafe = unsafe
        self.dedup = dedup
        self.grace_s = grace_s
        self.want = {"namespaces": True, "landlock": True, "seccomp": True, **(layers or {})}
        self._tasks: queue.Queue[tuple[int, ExecutionJob] | None] = queue.Queue()
        self._results: queue.Queue[tuple[int, Verdict]] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self.layers: dict[str, Any] | None = None
        self.isolation = ""
        self._next_id = 0

    def start(self) -> None:
        """Start the workers (map does this on first use). Raises SandboxUnavailable when refusing."""
        if self._threads:
            return
        first = _Judge(self.want)
        if first.layers.get("netns") is not True and self.want.get("namespaces") and "bubblewrap" not in self.want:
            first = self._try_bubblewrap(first)
        self.layers, self.isolation = first.layers, first.isolation
        strong = _strength(first.layers)
        if not strong and not self.unsafe:
            first.close()
            raise SandboxUnavailable(
                "no sandbox layer (namespaces, Landlock, seccomp) works on this host; "
                "pass unsafe=True (--unsafe) to run untrusted code with rlimits only"
            )
        missing = {"namespaces", "landlock", "seccomp"} - set(strong)
        if missing:
            warnings.warn(
                f"sandbox running without {', '.join(sorted(missing))} on this host ({self.isolation})",
                RuntimeWarning,
                stacklevel=2,
            )
        for i in range(self.workers):
            t = threading.Thread(target=self._work, args=(first if i == 0 else None,), daemon=True)
            t.start()
            self._threads.append(t)

    def _try_bubblewrap(self, first: _Judge) -> _Judge:
        """The zygote could not enter namespaces by itself: run the zygotes inside bubblewrap if it can."""
        if shutil.which("bwrap") is None:
            return first
        try:
            wrapped = _Judge({**self.want, "bubblewrap": True})
        except RuntimeError:
            return first
        if wrapped.layers.get("bubblewrap") is not True:
            wrapped.close()
            return first
        first.close()
        self.want["bubblewrap"] = True
        return wrapped

    def _work(self, judge: _Judge | None) -> None:
        while True:
            task = self._tasks.get()
            if task is None:
                if judge is not None:
                    judge.close()
                return
            job_id, job = task
            try:
                if judge is None:
                    judge = _Judge(self.want)
                verdict, alive = judge.run(job_id, job, self.mode, self.grace_s)
            except Exception as exc:  # noqa: BLE001 - a failed judge start is reported, never fatal to the pool
                verdict, alive = Verdict(Status.ERROR, f"sandbox failure: {exc}", isolation=self.isolation), False
            if not alive and judge is not None:
                judge.kill()
                judge = None
            self._results.put((job_id, verdict))

    def map(self, jobs: Iterable[ExecutionJob]) -> Iterator[tuple[str, Verdict]]:
        self.start()
        waiting: dict[str, list[str]] = {}  # program hash -> keys waiting for its verdict
        by_id: dict[int, str] = {}
        done: dict[str, Verdict] = {}
        try:
            yield from self._map(jobs, waiting, by_id, done)
        finally:
            if by_id:  # the caller stopped early: drop its queued jobs; stale results are ignored later
                try:
                    while True:
                        self._tasks.get_nowait()
                except queue.Empty:
                    pass

    def _map(
        self,
        jobs: Iterable[ExecutionJob],
        waiting: dict[str, list[str]],
        by_id: dict[int, str],
        done: dict[str, Verdict],
    ) -> Iterator[tuple[str, Verdict]]:
        window = self.workers * 4
        for job in jobs:
            h = job.program_hash if self.dedup else f"{job.key}:{id(job)}"
            if h in done:
                yield job.key, done[h]
                continue
            if h in waiting:
                waiting[h].append(job.key)
                continue
            waiting[h] = [job.key]
            with self._lock:
                job_id = self._next_id
                self._next_id += 1
            by_id[job_id] = h
            self._tasks.put((job_id, job))
            while len(by_id) >= window:
                yield from self._collect(by_id, waiting, done)
        while by_id:
            yield from self._collect(by_id, waiting, done)

    def _collect(
        self, by_id: dict[int, str], waiting: dict[str, list[str]], done: dict[str, Verdict]
    ) -> Iterator[tuple[str, Verdict]]:
        job_id, verdict = self._results.get()
        h = by_id.pop(job_id, None)
        if h is None:
            return  # a result of an earlier map call that its caller abandoned
        if self.dedup:
            done[h] = verdict
        for key in waiting.pop(h):
            yield key, verdict

    def close(self) -> None:
        for _ in self._threads:
            self._tasks.put(None)
        for t in self._threads:
            t.join(timeout=30)
        self._threads = []
