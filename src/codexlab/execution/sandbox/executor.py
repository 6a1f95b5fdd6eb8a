"""The sandbox executor: a pool of judge processes, each with its own zygote; dedup of identical programs.

Each worker thread owns one judge process and enforces the whole-sample backstop: if a judge does not
answer within the sample's longest possible time (its wall-clock limit, stretched at most by the judge's
run-queue credit) plus a grace period (a test looping without calling the sample), the judge and its
zygote are killed and restarted and the sample is judged a timeout.

A sandbox failure (a judge or zygote that does not start, a child that cannot set itself up, a zygote that
breaks) is never the verdict at once: the worker restarts its judge and zygote and judges the sample again.
If the fresh worker fails too, a trusted sample is run on a third one; should that fail as well, the worker
is broken: the sample's verdict says so, the worker retires, and once no worker is left `map` raises
SandboxBroken instead of draining the queue with instant errors. A sample cannot retire a worker: its own
failures only ever cost it its verdict.
"""

from __future__ import annotations

import json
import os
import queue
import select
import signal
import subprocess
import threading
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from codexlab.errors import CodexlabError
from codexlab.execution.dedup import Dedup
from codexlab.execution.sandbox import judge as judge_mod
from codexlab.execution.sandbox import wire
from codexlab.execution.sandbox.layers import Layers
from codexlab.execution.types import ExecutionJob, Executor, Status, Verdict
from codexlab.problems.types import Problem

MODES = ("judge", "inproc")


class SandboxUnavailable(CodexlabError):
    """No isolation layer works on this host and unsafe execution was not allowed."""


class SandboxBroken(CodexlabError):
    """Every worker failed to judge even a trusted sample on fresh judges: the host, not a sample, is at fault."""


class ExecutorClosed(CodexlabError):
    """close() ended the pool while a map was still waiting for verdicts (from another thread, or between two
    items of a suspended map): the map raises this instead of waiting for workers that are gone."""


# A trusted sample that passes wherever the sandbox works: it tells a broken worker from a hostile sample.
_CANARY = Problem("codexlab/canary", "", "f", "    return 1\n", "def check(candidate):\n    assert candidate() == 1\n")
_CANARY_COMPLETION = "def f():\n    return 1\n"
_RETIRED = -1  # job id of the message a retiring worker leaves in the results queue
_CLOSED = -2  # job id of the message close() leaves in the results queue of the pool it ends


def _drain(q: queue.Queue[Any]) -> None:
    """Empty a queue without waiting."""
    try:
        while True:
            q.get_nowait()
    except queue.Empty:
        pass


class _JudgeProcess:
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
        try:
            hello = self._read(timeout=60.0)
        except EOFError:
            hello = None
        if hello is None:
            self.kill()
            raise RuntimeError("the sandbox judge failed to start")
        self.layers: Layers = hello["layers"]
        self.isolation: str = hello["isolation"]

    def _read(self, timeout: float) -> dict[str, Any] | None:
        """The judge's next message; None on timeout; EOFError when it ended or sent garbage."""
        ready, _, _ = select.select([self.r], [], [], timeout)
        if not ready:
            return None
        try:
            return json.loads(wire.recv_frame(self.r))  # type: ignore[no-any-return]
        except ValueError:
            raise EOFError from None

    def run(self, job_id: int, job: ExecutionJob, mode: str, grace_s: float) -> tuple[Verdict, bool, str | None]:
        """The verdict, whether this judge is still usable, and how the sandbox failed if it did ("setup":
        before the sample ran, "crash": the judge or zygote broke)."""
        p = job.problem
        pkey = f"{p.task_id}:{hash((p.prompt, p.test, p.entry_point))}"
        msg: dict[str, Any] = {
            "id": job_id,
            "problem_key": pkey,
            "completion": job.completion,
            "limits": {**asdict(job.limits), "cpu_rlimit": list(job.limits.cpu_rlimit)},
            "mode": mode,
        }
        if pkey not in self.sent_problems:
            msg["problem"] = {"prompt": p.prompt, "test": p.test, "entry_point": p.entry_point}
            self.sent_problems.add(pkey)
        try:
            wire.send_frame(self.w, json.dumps(msg).encode())
        except OSError:
            return Verdict(Status.ERROR, "sandbox failure: the judge is gone", isolation=self.isolation), False, "setup"
        backstop = job.limits.timeout_s * (1 + judge_mod.MAX_LOAD_EXTENSION) + grace_s
        try:
            reply = self._read(backstop)
        except EOFError:
            return Verdict(Status.ERROR, "sandbox failure: the judge ended", isolation=self.isolation), False, "crash"
        if reply is None:
            return (
                Verdict(
                    Status.TIMEOUT,
                    "whole-sample backstop reached: the tests did not finish",
                    backstop,
                    isolation=self.isolation,
                ),
                False,
                None,
            )
        failure = reply.get("failure")
        return Verdict.from_dict(reply["verdict"]), not reply.get("fatal", False) and not failure, failure

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
        self._retired = 0
        self.layers: Layers | None = None
        self.isolation = ""
        self._next_id = 0

    def start(self) -> None:
        """Start the workers (map does this on first use). Raises SandboxUnavailable when refusing."""
        if self._threads:
            return
        first, self.want, _ = judge_mod.launch(_JudgeProcess, self.want)
        self.layers, self.isolation = first.layers, first.isolation
        strong = judge_mod.confining_layers(first.layers)
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
            judge = first if i == 0 else None
            t = threading.Thread(target=self._work, args=(judge, self._tasks, self._results), daemon=True)
            t.start()
            self._threads.append(t)

    def _attempt(
        self, judge: _JudgeProcess | None, job_id: int, job: ExecutionJob
    ) -> tuple[Verdict, _JudgeProcess | None, str | None]:
        """One try of a job: the verdict, the judge to keep (None: start a fresh one) and the failure, if any."""
        try:
            if judge is None:
                judge = _JudgeProcess(self.want)
            verdict, alive, failure = judge.run(job_id, job, self.mode, self.grace_s)
        except Exception as exc:  # noqa: BLE001 - a failed judge start is retried, never fatal to the pool
            verdict, alive, failure = (
                Verdict(Status.ERROR, f"sandbox failure: {exc}", isolation=self.isolation),
                False,
                "setup",
            )
        if not alive and judge is not None:
            judge.kill()
            judge = None
        return verdict, judge, failure

    def _judge_job(
        self, judge: _JudgeProcess | None, job_id: int, job: ExecutionJob
    ) -> tuple[Verdict, _JudgeProcess | None, bool]:
        """The job's verdict, the judge to keep, and whether this worker is broken (see the module docstring)."""
        verdict, judge, failure = self._attempt(judge, job_id, job)
        if failure is None:
            return verdict, judge, False
        # an earlier sample may have poisoned this worker: judge the sample again on a fresh one
        verdict, judge, again = self._attempt(judge, job_id, job)
        if again is None:
            return verdict, judge, False
        first = verdict.detail
        canary = ExecutionJob("codexlab-canary", _CANARY, _CANARY_COMPLETION, job.limits)
        check, judge, broken = self._attempt(judge, job_id, canary)
        if broken is None and check.passed:
            detail = f"the sandbox failed on this sample twice in a row, on a fresh worker each time: {first}"
            return Verdict(Status.ERROR, detail[:1000], verdict.duration_s, isolation=self.isolation), judge, False
        detail = f"sandbox worker broken: failed twice in a row and on a trusted sample too: {check.detail or first}"
        return Verdict(Status.ERROR, detail[:1000], isolation=self.isolation), judge, True

    def _work(
        self,
        judge: _JudgeProcess | None,
        tasks: queue.Queue[tuple[int, ExecutionJob] | None],
        results: queue.Queue[tuple[int, Verdict]],
    ) -> None:
        """One worker, bound to its pool's queues: one still busy when close() gave up waiting cannot take or
        answer the next pool's jobs."""
        while True:
            task = tasks.get()
            if task is None:
                if judge is not None:
                    judge.close()
                return
            job_id, job = task
            verdict, judge, broken = self._judge_job(judge, job_id, job)
            results.put((job_id, verdict))
            if broken:
                if judge is not None:
                    judge.kill()
                with self._lock:  # a straggler from a closed pool must not count against the next one
                    if results is self._results:
                        self._retired += 1
                results.put((_RETIRED, verdict))
                return

    def map(self, jobs: Iterable[ExecutionJob]) -> Iterator[tuple[str, Verdict]]:
        self.start()
        if self._retired >= len(self._threads):
            raise SandboxBroken("every sandbox worker is broken (see the verdicts that said so)")
        dedup = Dedup(self.dedup)
        by_id: dict[int, str] = {}
        tasks, results = self._tasks, self._results  # this pool's: a map resumed after close() stays on them
        try:
            yield from self._map(jobs, dedup, by_id, tasks, results)
        finally:
            if by_id:  # the caller stopped early: drop its queued jobs; stale results are ignored later
                _drain(tasks)

    def _map(
        self,
        jobs: Iterable[ExecutionJob],
        dedup: Dedup,
        by_id: dict[int, str],
        tasks: queue.Queue[tuple[int, ExecutionJob] | None],
        results: queue.Queue[tuple[int, Verdict]],
    ) -> Iterator[tuple[str, Verdict]]:
        window = self.workers * 4
        for job in jobs:
            known = dedup.known(job)
            if known is not None:
                yield job.key, known
                continue
            h = dedup.first(job)
            if h is None:
                continue
            with self._lock:
                job_id = self._next_id
                self._next_id += 1
            by_id[job_id] = h
            tasks.put((job_id, job))
            while len(by_id) >= window:
                yield from self._collect(by_id, dedup, results)
        while by_id:
            yield from self._collect(by_id, dedup, results)

    def _collect(
        self, by_id: dict[int, str], dedup: Dedup, results: queue.Queue[tuple[int, Verdict]]
    ) -> Iterator[tuple[str, Verdict]]:
        job_id, verdict = results.get()
        if job_id == _CLOSED:
            raise ExecutorClosed(f"the sandbox executor was closed with {len(by_id)} programs still to judge")
        if job_id == _RETIRED:
            if self._retired >= len(self._threads):
                raise SandboxBroken(f"every sandbox worker is broken; the last said: {verdict.detail}")
            warnings.warn(
                f"a sandbox worker retired ({len(self._threads) - self._retired} left): {verdict.detail}",
                RuntimeWarning,
                stacklevel=2,
            )
            return
        h = by_id.pop(job_id, None)
        if h is None:
            return  # a result of an earlier map call that its caller abandoned
        for key in dedup.settle(h, verdict):
            yield key, verdict

    def close(self) -> None:
        alive = [t for t in self._threads if t.is_alive()]  # a retired worker has ended already
        self._results.put((_CLOSED, Verdict(Status.ERROR, "executor closed")))  # wakes a map waiting on this pool
        _drain(self._tasks)  # jobs nobody will collect: the workers stop after the one they are judging
        for _ in alive:
            self._tasks.put(None)
        for t in alive:
            t.join(timeout=30)
        with self._lock:
            self._threads = []
            self._retired = 0
            # Fresh queues: what is left belongs to the pool that ended (verdicts and retirement notices
            # nobody collected, workers still busy) and must not reach the next one.
            self._tasks = queue.Queue()
            self._results = queue.Queue()
