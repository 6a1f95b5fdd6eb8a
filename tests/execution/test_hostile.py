"""The hostile corpus: every attack in tests/execution/hostile/ is judged, never passes, leaves the host
unharmed and nothing running, and the pool keeps judging correctly afterwards.

Each attack file is a whole module defining `add(a, b)`, written so that it *would pass* if its attack
worked (a forged verdict, a file written outside scratch, a connection made, a secret found).
"""

from __future__ import annotations

import glob
import os
import re
import socket
from pathlib import Path

import pytest

from codexlab.execution import ExecutionJob, Limits, Status
from codexlab.execution.sandbox import SandboxExecutor
from codexlab.problems import Problem

HOSTILE_DIR = Path(__file__).with_name("hostile")
PROMPT = 'def expected(a, b):\n    """The trusted helper the tests use."""\n    return a + b\n\n\n'
TESTS = {
    "eq": "def check(candidate):\n    assert candidate(1, 2) == expected(1, 2)\n    assert candidate(5, 7) == expected(5, 7)\n",
    "abs": "def check(candidate):\n    assert abs(candidate(1, 2) - 3) < 1e-9\n    assert abs(candidate(5, 7) - 12) < 1e-9\n",
}
PROBLEMS = {name: Problem(f"Hostile/{name}", PROMPT, "add", "    return a + b\n", test) for name, test in TESTS.items()}
# problems whose own tests are hostile (a user-supplied problem file): the judge must still end them
LOOPING_TEST = Problem("Hostile/test-loop", PROMPT, "add", "", "def check(candidate):\n    while True:\n        pass\n")
CALLING_TEST = Problem(
    "Hostile/test-calls", PROMPT, "add", "", "def check(candidate):\n    while True:\n        candidate(1, 2)\n"
)
LIMITS = Limits(
    timeout_s=1.5, memory_bytes=512 << 20, output_bytes=64 << 10, file_size_bytes=4 << 20, open_files=64, cpu_time_s=0.5
)
PWNED = [
    "/tmp/codexlab-pwned-tmp",
    "/root/codexlab-pwned-home",
    "/etc/codexlab-pwned-etc",
    "/var/tmp/codexlab-pwned-symlink",
]
MARKER = "codexlab-daemon-marker"


def corpus() -> list[tuple[str, str, str, str | None]]:
    """(name, problem, source, expected status or None) for each attack file."""
    out = []
    for path in sorted([*HOSTILE_DIR.glob("*.py"), *HOSTILE_DIR.glob("*.txt")]):
        src = path.read_text()
        problem = re.search(r"^# problem: (\w+)", src, re.M)
        expect = re.search(r"^# expect: ([\w ]+)$", src, re.M)
        out.append((path.stem, problem.group(1) if problem else "eq", src, expect.group(1) if expect else None))
    return out


def _marked_processes() -> list[int]:
    pids = []
    for d in glob.glob("/proc/[0-9]*"):
        try:
            with open(f"{d}/cmdline", "rb") as f:
                if MARKER.encode() in f.read():
                    pids.append(int(d.rsplit("/", 1)[1]))
        except OSError:
            pass
    return pids


def _descendants(pid: int) -> list[int]:
    out = []
    for task in glob.glob(f"/proc/{pid}/task/*/children"):
        try:
            kids = [int(x) for x in Path(task).read_text().split()]
        except OSError:
            continue
        for k in kids:
            out += [k, *_descendants(k)]
    return out


@pytest.fixture()
def host_traps(tmp_path_factory: pytest.TempPathFactory):
    """A sentinel file on the host, a TCP listener and UDP sockets the attacks try to reach."""
    for p in PWNED:
        assert not os.path.exists(p), f"left over from an earlier run: {p}"
    sentinel_dir = Path(os.path.join("/tmp", f"codexlab-sentinel-{os.getpid()}"))
    sentinel_dir.mkdir(exist_ok=True)
    victim = sentinel_dir / "victim.txt"
    victim.write_text("keep me")
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(8)
    tcp.setblocking(False)
    port_file = Path("/tmp/codexlab-sentinel-port")
    port_file.write_text(str(tcp.getsockname()[1]))
    udps = []
    for port in range(40000, 40010):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            u.bind(("127.0.0.1", port))
        except OSError:
            u.close()
            continue
        u.setblocking(False)
        udps.append(u)
    yield victim, tcp, udps
    tcp.close()
    for u in udps:
        u.close()
    port_file.unlink(missing_ok=True)
    victim.unlink(missing_ok=True)
    sentinel_dir.rmdir()
    for p in PWNED:
        if os.path.exists(p):
            os.unlink(p)


def test_corpus_has_at_least_40_attacks() -> None:
    assert len(corpus()) >= 40


def test_hostile_corpus_never_passes_and_host_is_unharmed(host_traps) -> None:
    victim, tcp, udps = host_traps
    cases = corpus()
    jobs = [ExecutionJob(name, PROBLEMS[problem], src, LIMITS) for name, problem, src, _ in cases]
    jobs += [
        ExecutionJob("test_loops_forever", LOOPING_TEST, "def add(a, b):\n    return a + b\n", LIMITS),
        ExecutionJob("test_calls_forever", CALLING_TEST, "def add(a, b):\n    return a + b\n", LIMITS),
    ]
    expected = {name: exp for name, _, _, exp in cases}
    expected["test_loops_forever"] = "timeout"
    expected["test_calls_forever"] = "timeout"
    good = ExecutionJob("good-after", PROBLEMS["eq"], "def add(a, b):\n    return a + b\n", LIMITS)
    with SandboxExecutor(workers=2, grace_s=1.0) as ex:
        verdicts = dict(ex.map(jobs))
        # the pool keeps judging correctly after every attack
        after = dict(ex.map([good]))
    assert after["good-after"].status is Status.PASSED, after
    assert set(verdicts) == {j.key for j in jobs}
    report = {k: (v.status.value, v.detail[:80]) for k, v in sorted(verdicts.items())}
    print("\n".join(f"{k:32} {s:13} {d}" for k, (s, d) in report.items()))
    passed = [k for k, v in verdicts.items() if v.passed]
    assert not passed, f"attacks that passed: {passed}"
    for key, v in verdicts.items():
        assert v.detail, f"{key}: the verdict does not say why ({v.status})"
        want = expected.get(key)
        if want:
            assert v.status.value in want.split(), f"{key}: {v.status.value} ({v.detail}), expected {want}"
    # the host: files, network, processes
    assert victim.read_text() == "keep me"
    for p in PWNED:
        assert not os.path.exists(p), f"an attack wrote {p}"
    with pytest.raises(BlockingIOError):
        tcp.accept()
    for u in udps:
        with pytest.raises(BlockingIOError):
            u.recvfrom(100)
    assert _marked_processes() == [], "a daemon outlived its sample"
    assert _descendants(os.getpid()) == [], "processes left running after close()"
