"""Soak: many executions in one pool with no growth in open files, memory or processes.

The default count keeps the suite fast; CODEXLAB_SOAK=20000 runs the issue's full 20,000.
"""

from __future__ import annotations

import os
from pathlib import Path

from codexlab.execution import ExecutionJob, Limits
from codexlab.execution.sandbox import SandboxExecutor
from codexlab.problems import Problem

N = int(os.environ.get("CODEXLAB_SOAK", "2000"))
PROBLEM = Problem(
    "Soak/add", 'def add(a, b):\n    """Return a + b."""\n', "add", "    return a + b\n",
    "def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate('a', 'b') == 'ab'\n",
)  # fmt: skip
KINDS = [
    "    return a + b\n",  # passes
    "    return a - b if isinstance(a, int) else a + b\n",  # fails
    "    raise KeyError(a)\n",  # errors
    "    print('noise ' * 50)\n    return a + b\n",  # output, passes
    "    x = bytearray(1 << 40)\n",  # memory error
    "    import os\n    os._exit(3)\n",  # exits
]


def _tree(pid: int) -> list[int]:
    out = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            kids = (task / "children").read_text().split()
        except OSError:
            continue
        for k in kids:
            out += _tree(int(k))
    return out


def _usage() -> tuple[int, int, int]:
    """(open fds of this process, processes in its tree, total RSS in kB of that tree)."""
    pids = _tree(os.getpid())
    rss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1])
        except OSError:
            pass
    return len(os.listdir("/proc/self/fd")), len(pids), rss


def test_soak_no_growth() -> None:
    limits = Limits(timeout_s=2.0, memory_bytes=256 << 20)
    jobs = [ExecutionJob(f"s{i}", PROBLEM, KINDS[i % len(KINDS)] + f"    # {i}\n", limits) for i in range(N)]
    warm = max(200, N // 10)
    with SandboxExecutor(workers=2) as ex:
        first = dict(ex.map(jobs[:warm]))
        before = _usage()
        rest = dict(ex.map(jobs[warm:]))
        after = _usage()
    verdicts = {**first, **rest}
    assert len(verdicts) == N
    assert sum(v.passed for v in verdicts.values()) == sum(1 for i in range(N) if i % len(KINDS) in (0, 3))
    fds_before, procs_before, rss_before = before
    fds_after, procs_after, rss_after = after
    assert fds_after <= fds_before, (before, after)
    assert procs_after <= procs_before, (before, after)
    assert rss_after - rss_before < 32 * 1024, (before, after)  # kB: no leak per execution
