"""The portable executor: one fresh `python -I` process per sample, with rlimits and a process-group kill.

Isolation level "process": separate address space, resource limits, scratch working directory, output cap,
wall-clock timeout, everything in the sample's session killed afterwards. It does not stop network access,
file writes outside the scratch directory or a sample that leaves its session; the sandbox executor does.
"""

from __future__ import annotations

import json
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from codexlab.execution.outcome import ended_without_verdict
from codexlab.execution.types import ExecutionJob, Executor, Limits, Status, Verdict

RUNNER = Path(__file__).with_name("_child_runner.py")
ISOLATION = "process"


def _rlimits(limits: Limits) -> dict[str, int | list[int]]:
    """The rlimits the child sets on itself before it compiles the sample (no preexec_fn: threads are live)."""
    return {
        "RLIMIT_CPU": list(limits.cpu_rlimit),
        "RLIMIT_AS": limits.memory_bytes,
        "RLIMIT_FSIZE": limits.file_size_bytes,
        "RLIMIT_NOFILE": limits.open_files,
        "RLIMIT_CORE": 0,
    }


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_one(job: ExecutionJob) -> Verdict:
    """Judge one job in a fresh process and return its verdict. Never raises for anything the sample does."""
    limits = job.limits
    nonce = secrets.token_hex(16)
    scratch = tempfile.mkdtemp(prefix="codexlab-")
    report_r, report_w = os.pipe()
    start = time.monotonic()
    env = {"PATH": "/usr/bin:/bin", "HOME": scratch, "TMPDIR": scratch, "LANG": "C.UTF-8"}
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", str(RUNNER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=scratch,
            env=env,
            pass_fds=(report_w,),
            start_new_session=True,
        )
    except OSError as exc:
        os.close(report_r)
        os.close(report_w)
        shutil.rmtree(scratch, ignore_errors=True)
        return Verdict(Status.ERROR, f"could not start the sample process: {exc}", isolation=ISOLATION)
    os.close(report_w)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(
            (
                json.dumps({"program": job.program, "nonce": nonce, "report_fd": report_w, "rlimits": _rlimits(limits)})
                + "\n"
            ).encode()
        )
        proc.stdin.close()
    except BrokenPipeError:
        pass
    report, output, why = _collect(proc, report_r, limits, start)
    _kill_group(proc.pid)
    proc.wait()
    os.close(report_r)
    duration = time.monotonic() - start
    shutil.rmtree(scratch, ignore_errors=True)
    return _classify(report, output, why, proc.returncode, nonce, duration)


def _collect(proc: subprocess.Popen[bytes], report_r: int, limits: Limits, start: float) -> tuple[bytes, bytes, str]:
    """Read the report pipe and the capped output until the child exits or a limit is hit."""
    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    out_fd = proc.stdout.fileno()
    sel.register(out_fd, selectors.EVENT_READ, "out")
    sel.register(report_r, selectors.EVENT_READ, "report")
    report, output, why = b"", b"", ""
    open_fds = 2
    deadline = start + limits.timeout_s
    while open_fds:
        left = deadline - time.monotonic()
        if left <= 0:
            why = "timeout"
            break
        events = sel.select(timeout=min(left, 0.05))
        if not events and proc.poll() is not None:
            break  # the sample exited; whatever still holds its pipes is a leftover child, killed next
        for key, _ in events:
            fd = int(key.fd)  # type: ignore[arg-type]
            chunk = os.read(fd, 65536)
            if not chunk:
                sel.unregister(fd)
                open_fds -= 1
            elif key.data == "report":
                report += chunk
            else:
                output += chunk
                if len(output) > limits.output_bytes:
                    why = "output"
                    open_fds = 0
                    break
    sel.close()
    proc.stdout.close()
    return report, output[: limits.output_bytes], why


def _classify(report: bytes, output: bytes, why: str, returncode: int | None, nonce: str, duration: float) -> Verdict:
    if why == "timeout":
        return Verdict(Status.TIMEOUT, "wall-clock time limit reached", duration, isolation=ISOLATION)
    if why == "output":
        return Verdict(Status.KILLED, "output limit exceeded", duration, isolation=ISOLATION)
    record = None
    for line in report.decode("utf-8", "replace").splitlines():
        try:
            candidate = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(candidate, dict) and candidate.get("nonce") == nonce:
            record = candidate
            break
    if record is None or returncode != 0:
        died = -returncode if returncode is not None and returncode < 0 else None
        status, detail = ended_without_verdict(died, returncode, output)
        return Verdict(status, detail, duration, isolation=ISOLATION)
    return Verdict(
        Status(record["status"]),
        record.get("detail", ""),
        duration,
        traceback=record.get("traceback", ""),
        isolation=ISOLATION,
    )


class ProcessExecutor(Executor):
    """A thread pool that runs each job in its own fresh process (see the module docstring for what it isolates)."""

    name = "process"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1

    def map(self, jobs: Iterable[ExecutionJob]) -> Iterator[tuple[str, Verdict]]:
        pending: set[Future[Verdict]] = set()
        keys: dict[Future[Verdict], str] = {}
        it = iter(jobs)
        with ThreadPoolExecutor(self.workers) as pool:
            for job in it:
                fut = pool.submit(run_one, job)
                keys[fut] = job.key
                pending.add(fut)
                if len(pending) >= self.workers * 2:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for f in done:
                        yield keys.pop(f), f.result()
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    yield keys.pop(f), f.result()
