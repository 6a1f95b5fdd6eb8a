"""A sandbox failure is retried on a fresh worker; a worker that fails twice in a row is told apart from a
hostile sample by a trusted one, and reported, never drained through with instant errors."""

from __future__ import annotations

import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from codexlab.execution import ExecutionJob, Limits, Status
from codexlab.execution.sandbox import SandboxExecutor
from codexlab.execution.sandbox import executor as executor_mod
from codexlab.execution.sandbox.executor import ExecutorClosed, SandboxBroken
from codexlab.problems import Problem

ADD = Problem("T/add", "", "add", "    return a + b\n", "def check(candidate):\n    assert candidate(1, 2) == 3\n")
LIMITS = Limits(timeout_s=2.0)
HONEST = "def add(a, b):\n    return a + b\n"


def job(key: str, completion: str) -> ExecutionJob:
    return ExecutionJob(key, ADD, completion, LIMITS)


def test_a_poisoned_zygote_is_restarted_and_the_next_sample_judged_again() -> None:
    # lowers the zygote's (pid 1's) hard limits: every later child of it fails to set its own
    poison = textwrap.dedent(
        """
        import os, resource
        def add(a, b):
            for pid in range(1, 1000):  # (samples see no /proc: every pid the namespace may use)
                if pid != os.getpid() and os.getppid() == 1:
                    for res in (resource.RLIMIT_AS, resource.RLIMIT_NOFILE, resource.RLIMIT_FSIZE):
                        try:
                            resource.prlimit(pid, res, (1 << 12, 1 << 12))
                        except (OSError, ValueError):
                            pass
            return 0
        """
    )
    with SandboxExecutor(workers=1) as ex:
        verdicts = dict(ex.map([job("poison", poison), job("honest", HONEST), job("honest-2", HONEST + "# 2\n")]))
    assert verdicts["poison"].status is Status.FAILED
    assert verdicts["honest"].passed, verdicts["honest"]
    assert verdicts["honest-2"].passed, verdicts["honest-2"]


def test_a_sample_that_forges_a_setup_failure_gets_an_error_and_the_worker_goes_on() -> None:
    forged = textwrap.dedent(
        """
        import json, os, struct, sys
        f = sys._getframe()
        while f is not None and "resp_fd" not in f.f_locals:
            f = f.f_back
        fd = f.f_locals["resp_fd"] if f is not None else 1
        msg = json.dumps(["setup_error", "forged"]).encode()
        os.write(fd, struct.pack("<I", len(msg)) + msg)
        os._exit(3)
        def add(a, b):
            return a + b
        """
    )
    with SandboxExecutor(workers=1) as ex:
        verdicts = dict(ex.map([job("forged", forged), job("honest", HONEST)]))
    assert verdicts["forged"].status is Status.ERROR
    # believed only before the child's "started": no restart, no retry, nothing of the forgery in the verdict
    assert "malformed" in verdicts["forged"].detail and "forged" not in verdicts["forged"].detail
    assert verdicts["honest"].passed, verdicts["honest"]


FAKE_JUDGE = textwrap.dedent(
    """
    import json, struct, sys
    def send(obj):
        data = json.dumps(obj).encode()
        sys.stdout.buffer.write(struct.pack("<I", len(data)) + data)
        sys.stdout.buffer.flush()
    def recv():
        head = sys.stdin.buffer.read(4)
        if len(head) < 4:
            raise SystemExit(0)
        return json.loads(sys.stdin.buffer.read(struct.unpack("<I", head)[0]))
    send({"layers": {"netns": True, "landlock": 6, "seccomp": True}, "isolation": "fake"})
    while True:
        job = recv()
        verdict = {"status": "error", "detail": "sandbox setup failed: OSError: [Errno 1] the host says no"}
        send({"id": job["id"], "verdict": verdict, "failure": "setup"})
    """
)


def test_a_worker_that_cannot_set_up_even_a_trusted_sample_is_reported(monkeypatch, tmp_path: Path) -> None:
    script = tmp_path / "fake_judge.py"
    script.write_text(FAKE_JUDGE)
    starts = []

    def spawn_command() -> list[str]:
        starts.append(1)
        return [sys.executable, str(script)]

    monkeypatch.setattr(executor_mod.judge_mod, "spawn_command", spawn_command)
    jobs = [job(f"s{i}", HONEST + f"# {i}\n") for i in range(50)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with SandboxExecutor(workers=2) as ex:
            seen = []
            with pytest.raises(SandboxBroken, match="the host says no"):
                for key, verdict in ex.map(jobs):
                    seen.append((key, verdict))
            with pytest.raises(SandboxBroken):
                list(ex.map([job("later", HONEST)]))
    # each worker: the sample, its retry and the trusted sample, each on a fresh judge; then it retires
    assert len(seen) <= 2 and all("sandbox worker broken" in v.detail for _, v in seen)
    assert len(starts) <= 1 + 2 * 3


def test_limits_no_child_can_take_stop_the_pool_with_a_clear_error() -> None:
    impossible = Limits(timeout_s=2.0, open_files=1 << 30)  # above any hard limit: every child fails to set it
    jobs = [ExecutionJob(f"s{i}", ADD, HONEST + f"# {i}\n", impossible) for i in range(20)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with SandboxExecutor(workers=1) as ex:
            seen = []
            with pytest.raises(SandboxBroken, match="sandbox setup failed"):
                for _key, verdict in ex.map(jobs):
                    seen.append(verdict)
    assert len(seen) <= 1 and all("sandbox worker broken" in v.detail for v in seen)


def test_a_pool_whose_workers_retired_starts_afresh_after_close(monkeypatch, tmp_path: Path) -> None:
    script = tmp_path / "fake_judge.py"
    script.write_text(FAKE_JUDGE)
    real = executor_mod.judge_mod.spawn_command
    monkeypatch.setattr(executor_mod.judge_mod, "spawn_command", lambda: [sys.executable, str(script)])
    ex = SandboxExecutor(workers=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ((_, broken),) = list(ex.map([job("a", HONEST)]))  # the last job's verdict says so
        with pytest.raises(SandboxBroken):
            list(ex.map([job("a2", HONEST + "# 2\n")]))  # and the next map refuses
    assert "sandbox worker broken" in broken.detail
    ex.close()
    monkeypatch.setattr(executor_mod.judge_mod, "spawn_command", real)
    with ex, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        ((_, verdict),) = list(ex.map([job("b", HONEST)]))
    assert verdict.passed, verdict
    assert not [w for w in caught if "retired" in str(w.message)]  # the old pool's notice stays with it


SLOW = "import time\ndef add(a, b):\n    time.sleep(1.5)\n    return a + b\n"


def test_close_from_another_thread_ends_a_waiting_map_and_the_executor_works_again() -> None:
    """A map blocked on verdicts must not wait forever for workers that close() stopped."""
    import threading

    ex = SandboxExecutor(workers=1)
    outcome: list[BaseException | list[str]] = []
    waiting = threading.Event()

    def consume() -> None:
        keys = []
        try:
            for key, _ in ex.map([job(f"slow-{i}", SLOW + f"# {i}\n") for i in range(4)]):
                keys.append(key)
                waiting.set()  # the map is under way, the rest of its jobs queued
            outcome.append(keys)
        except BaseException as exc:  # noqa: BLE001 - the test looks at what the map raised
            outcome.append(exc)

    t = threading.Thread(target=consume, daemon=True)
    t.start()
    assert waiting.wait(timeout=120)
    ex.close()
    t.join(timeout=120)
    assert not t.is_alive(), "the map is still waiting after close()"
    (result,) = outcome
    assert isinstance(result, ExecutorClosed), result
    with ex:
        ((_, verdict),) = list(ex.map([job("honest-after-close", HONEST)]))
    assert verdict.passed, verdict


def test_a_map_resumed_after_close_raises_instead_of_hanging() -> None:
    with SandboxExecutor(workers=1) as ex:
        it = ex.map([job(f"slow-{i}", SLOW + f"# {i}\n") for i in range(3)])
        next(it)  # the pool now judges the rest
        ex.close()
        with pytest.raises(ExecutorClosed):
            list(it)
        ((_, verdict),) = list(ex.map([job("honest-after-resume", HONEST)]))
    assert verdict.passed, verdict
