"""The red-team harness behind tests/execution/test_hostile.py, runnable without pytest (the unprivileged
pass runs it under `setpriv` with the base interpreter and a copy of the checkout).

Every file in hostile/ is a whole module, written so that it *would pass* if its attack worked. Headers:
  # problem: eq | abs | setof | bigarg | humaneval   the problem it answers (default eq; setof: its test
                  builds a set of the result; bigarg: a call with a 1 MB argument; humaneval: HumanEval/0)
  # expect: <status> [<status>...]  the statuses it may get
  # after: <stem>                   judged right after that file, in the same worker (part 2 of an attack)
  # role: victim                    an honest sample another attack preys on (it passes; not an attack)
  # max_s: <seconds>                its verdict must come within this time (attacks on the judge's CPU)

Each lane is one SandboxExecutor with one worker. It judges a fingerprint probe first (what an honest
sample sees: nice, scheduler, affinity, every rlimit, I/O priority, scratch, IPC objects, ...), then each
attack (with the files that come after it) followed by a control: an honest sample, distinct per attack
(the executor dedups identical programs), that fails unless it sees exactly the fingerprint. Around the
lanes the harness watches the host: victim files' content and metadata (mode, owner, times, xattrs, inode
flags) including the interpreter and a root-owned 0600 secret, locks on them (/proc/locks), TCP, UDP and
Unix listeners (in /tmp, /run, /var/tmp, the run directory, abstract), SysV IPC, POSIX message queues,
/dev/shm, files written outside scratch, processes left running.
"""

from __future__ import annotations

import array
import contextlib
import ctypes
import fcntl
import glob
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codexlab.execution import ExecutionJob, Limits, Verdict
from codexlab.execution.sandbox import SandboxExecutor
from codexlab.problems import Problem

HOSTILE_DIR = Path(__file__).with_name("hostile")
PROMPT = 'def expected(a, b):\n    """The trusted helper the tests use."""\n    return a + b\n\n\n'
TESTS = {
    "eq": "def check(candidate):\n    assert candidate(1, 2) == expected(1, 2)\n    assert candidate(5, 7) == expected(5, 7)\n",
    "abs": "def check(candidate):\n    assert abs(candidate(1, 2) - 3) < 1e-9\n    assert abs(candidate(5, 7) - 12) < 1e-9\n",
    # as MBPP's tests do: a set of the result
    "setof": "def check(candidate):\n    assert set(candidate(1, 2)) == {3}\n    assert set(candidate(5, 7)) == {12}\n",
    # as EvalPlus's large inputs do: an argument larger than a pipe holds
    "bigarg": "def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(list(range(200000)), [0]) is not None\n",
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
LANES = 2
MARKER = "codexlab-daemon-marker"
PWNED_GLOBS = [
    "/tmp/codexlab-pwned*", "/root/codexlab-pwned*", "/etc/codexlab-pwned*", "/var/tmp/codexlab-pwned*",
    "/run/codexlab-pwned*", "/dev/shm/codexlab-pwned*", "/dev/shm/codexlab-carry", "/run/shm/codexlab-carry",
]  # fmt: skip
POSIX_MQ_NAMES = [b"/codexlab-mq-carry"]
FS_IOC_GETFLAGS = 0x80086601
MAX_DETAIL = 2000

# What an honest sample sees; the control compares it with the probe's and names each difference.
FINGERPRINT_SRC = """
def fingerprint():
    import ctypes, os, resource
    fp = {"nice": os.getpriority(os.PRIO_PROCESS, 0), "sched": os.sched_getscheduler(0),
          "affinity": sorted(os.sched_getaffinity(0)), "umask": os.umask(0o022), "uid": [os.getuid(), os.getgid()]}
    os.umask(fp["umask"])
    for name in sorted(dir(resource)):
        if name.startswith("RLIMIT_"):
            fp[name] = list(resource.getrlimit(getattr(resource, name)))
    libc = ctypes.CDLL(None, use_errno=True)
    fp["ioprio"] = libc.syscall(252, 1, 0)
    fp["timerslack"] = libc.prctl(30, 0, 0, 0, 0)
    fp["scratch"] = sorted(os.listdir("."))
    st = os.stat(".")
    fp["scratch_mode"] = [oct(st.st_mode), st.st_uid, st.st_gid]
    try:
        with open("codexlab-control-probe", "w") as f:
            f.write("x")
        os.unlink("codexlab-control-probe")
        fp["scratch_writable"] = True
    except OSError as exc:
        fp["scratch_writable"] = exc.strerror
    for kind in ("shm", "msg", "sem"):
        try:
            with open("/proc/sysvipc/" + kind) as f:
                fp["sysv_" + kind] = len(f.read().splitlines()) - 1
        except OSError:
            fp["sysv_" + kind] = None
    for d in ("/dev/shm", "/dev/mqueue"):
        try:
            fp[d] = sorted(os.listdir(d))
        except OSError:
            fp[d] = None
    mq = libc.mq_open(b"/codexlab-mq-carry", 0o4000, 0, None)
    fp["mq_carry"] = mq >= 0
    if mq >= 0:
        os.close(mq)
    return fp
"""
FINGERPRINT_PROBLEM_TEST = (
    "def check(candidate):\n    import json\n    with open({path!r}, 'w') as f:\n        json.dump(candidate(), f)\n"
)
CONTROL_TEMPLATE = """
{fingerprint}

WANT = {want!r}


def add(a, b):
    # control after {after}
    got = fingerprint()
    diff = sorted(k for k in set(WANT) | set(got) if WANT.get(k) != got.get(k))
    if diff:
        raise ValueError("poisoned: " + "; ".join(f"{{k}}: {{WANT.get(k)!r}} -> {{got.get(k)!r}}" for k in diff))
    return a + b
"""


@dataclass
class Case:
    name: str
    problem: str
    source: str
    expect: list[str] | None = None
    after: str | None = None
    victim: bool = False
    max_s: float | None = None
    followers: list[Case] = field(default_factory=list)


def corpus() -> list[Case]:
    """Every attack file (and the honest victims some of them prey on), in name order."""
    out = []
    for path in sorted([*HOSTILE_DIR.glob("*.py"), *HOSTILE_DIR.glob("*.txt")]):
        src = path.read_text()

        def header(key: str, src: str = src) -> str | None:
            m = re.search(rf"^# {key}: ([\w .]+)$", src, re.M)
            return m.group(1).strip() if m else None

        expect, max_s = header("expect"), header("max_s")
        out.append(
            Case(
                path.stem,
                header("problem") or "eq",
                src,
                expect.split() if expect else None,
                header("after"),
                header("role") == "victim",
                float(max_s) if max_s else None,
            )
        )
    return out


def attacks() -> list[Case]:
    return [c for c in corpus() if not c.victim]


def chains(cases: list[Case]) -> list[Case]:
    """The cases that start a chain, each with the ones judged right after it ("# after:")."""
    by_name = {c.name: c for c in cases}
    heads = []
    for c in cases:
        if c.after:
            if c.after not in by_name:
                raise ValueError(f"{c.name}: '# after: {c.after}' names no file")
            by_name[c.after].followers.append(c)
        else:
            heads.append(c)
    return heads


def flatten(head: Case) -> list[Case]:
    return [head] + [x for f in head.followers for x in flatten(f)]


# ---- the host: victims, traps, watchers ----------------------------------------------------------------


def _flags(path: str) -> int | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        buf = array.array("l", [0])
        fcntl.ioctl(fd, FS_IOC_GETFLAGS, buf, True)
        return int(buf[0])
    except OSError:
        return None
    finally:
        os.close(fd)


def file_state(path: str) -> dict[str, Any]:
    """Content and every piece of metadata a sample might change (atime excepted: reads may move it)."""
    st = os.stat(path)
    try:
        with open(path, "rb") as f:
            digest: str | None = hashlib.sha256(f.read()).hexdigest()
    except PermissionError:  # the root-owned secret, seen from the unprivileged pass
        digest = None
    try:
        xattrs = {k: os.getxattr(path, k).hex() for k in sorted(os.listxattr(path))}
    except OSError:
        xattrs = {}
    return {
        "sha256": digest,
        "mode": oct(st.st_mode),
        "owner": [st.st_uid, st.st_gid],
        "size": st.st_size,
        "nlink": st.st_nlink,
        "mtime_ns": st.st_mtime_ns,
        "ctime_ns": st.st_ctime_ns,
        "xattrs": xattrs,
        "flags": _flags(path),
    }


def restore(path: str, state: dict[str, Any]) -> None:
    """Undo what an attack changed in a victim's metadata (best effort: ctime cannot be restored)."""
    with contextlib.suppress(OSError):
        os.chmod(path, int(state["mode"], 8) & 0o7777)
        os.chown(path, *state["owner"])
        for k in os.listxattr(path):
            if k not in state["xattrs"]:
                os.removexattr(path, k)
        st = os.stat(path)
        os.utime(path, ns=(st.st_atime_ns, state["mtime_ns"]))
    if state["flags"] is not None and _flags(path) != state["flags"]:
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            try:
                fcntl.ioctl(fd, 0x40086602, array.array("l", [state["flags"]]), True)
            finally:
                os.close(fd)


def sysv_ipc() -> dict[str, set[str]]:
    out = {}
    for kind in ("shm", "msg", "sem"):
        try:
            lines = Path(f"/proc/sysvipc/{kind}").read_text().splitlines()[1:]
        except OSError:
            lines = []
        out[kind] = {" ".join(line.split()[:2]) for line in lines}  # key and id
    return out


def remove_sysv(kind: str, entry: str) -> None:
    flag = {"shm": "-m", "msg": "-q", "sem": "-s"}[kind]
    if shutil.which("ipcrm"):
        subprocess.run(["ipcrm", flag, entry.split()[1]], capture_output=True, check=False)


def posix_mqs() -> list[str]:
    """POSIX message queues that exist on the host: every one (an mqueue mount in a private mount
    namespace, where we may), else the names the attacks use."""
    if os.geteuid() == 0 and shutil.which("unshare"):
        r = subprocess.run(
            ["unshare", "-m", "sh", "-c", "mount -t mqueue none /mnt && ls -A /mnt"],
            capture_output=True,
            text=True,
            check=False,
        )
        if r.returncode == 0:
            return sorted(r.stdout.split())
    libc = ctypes.CDLL(None, use_errno=True)
    found = []
    for name in POSIX_MQ_NAMES:
        fd = libc.mq_open(name, 0o4000, 0, None)
        if fd >= 0:
            os.close(fd)
            found.append(name.decode().lstrip("/"))
    return found


def unlink_mq(name: str) -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mq_unlink(("/" + name).encode())


def _inode_key(path: str) -> str:
    st = os.stat(path)
    return f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"


class LockWatcher(threading.Thread):
    """Polls /proc/locks for any lock or lease on a victim's inode while the attacks run."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(daemon=True)
        self.keys = {_inode_key(p): p for p in paths}
        self.seen: set[str] = set()
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.02):
            try:
                text = Path("/proc/locks").read_text()
            except OSError:
                return
            for line in text.splitlines():
                for field_ in line.split():
                    if field_ in self.keys:
                        self.seen.add(f"{self.keys[field_]}: {' '.join(line.split()[1:4])}")


@dataclass
class Traps:
    """Everything on the host an attack might reach; `check()` lists what it did reach."""

    root_secret: str | None = None  # a root-owned 0600 file made by a root parent (the unprivileged pass)
    token: str = field(default_factory=lambda: f"codexlab-root-secret-{secrets.token_hex(8)}")
    # an API key in the environment of the process that runs codexlab (the HTTP backend reads one)
    api_key: str = field(default_factory=lambda: f"sk-codexlab-{secrets.token_hex(8)}")
    victims: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def __enter__(self) -> Traps:
        for pattern in PWNED_GLOBS:
            for p in glob.glob(pattern):
                raise AssertionError(f"left over from an earlier run: {p}")
        pid = os.getpid()
        self.dir = Path(f"/var/tmp/codexlab-victims-{pid}")
        self.dir.mkdir(mode=0o755, exist_ok=True)
        self.dir.chmod(0o755)
        self.stack.callback(shutil.rmtree, self.dir, True)
        plain = self.dir / "plain.txt"
        plain.write_text("keep me")
        plain.chmod(0o644)
        secret = self.dir / "secret.txt"
        secret.write_text(self.token + "\n")
        secret.chmod(0o600)
        self.sentinel_dir = Path(f"/tmp/codexlab-sentinel-{pid}")
        self.sentinel_dir.mkdir(exist_ok=True)
        self.stack.callback(shutil.rmtree, self.sentinel_dir, True)
        (self.sentinel_dir / "victim.txt").write_text("keep me")
        self.victims = [
            str(plain),
            str(secret),
            str(self.sentinel_dir / "victim.txt"),
            os.path.realpath(sys.executable),
        ]
        if self.root_secret:
            self.victims.append(self.root_secret)
        self.before = {v: file_state(v) for v in self.victims}
        # network: TCP (its port where attacks look), UDP, Unix stream and datagram, abstract
        tcp = self._sock(socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", 0))
        (self.sentinel_dir / "port").write_text(str(tcp.getsockname()[1]))
        with contextlib.suppress(OSError):  # where the oldest attack looks (another user's run may hold it)
            port_file = Path("/tmp/codexlab-sentinel-port")
            port_file.write_text(str(tcp.getsockname()[1]))
            self.stack.callback(port_file.unlink, True)
        self.listeners: dict[str, socket.socket] = {"tcp": tcp}
        self.udps = []
        for port in range(40000, 40010):
            with contextlib.suppress(OSError):
                self.udps.append(self._sock(socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", port)))
        for path in (f"/tmp/codexlab-trap-{pid}.sock", f"/run/codexlab-trap-{pid}.sock", str(self.dir / "trap.sock")):
            with contextlib.suppress(OSError):
                self.listeners[path] = self._sock(socket.AF_UNIX, socket.SOCK_STREAM, path)
        self.dgrams = {}
        for path in (str(self.dir / "trap-dgram.sock"), f"/tmp/codexlab-trap-{pid}-dgram.sock"):
            with contextlib.suppress(OSError):
                self.dgrams[path] = self._sock(socket.AF_UNIX, socket.SOCK_DGRAM, path)
        abstract = f"codexlab-trap-abstract-{pid}"
        self.listeners["@" + abstract] = self._sock(socket.AF_UNIX, socket.SOCK_STREAM, "\0" + abstract)
        (self.dir / "abstract-name").write_text(abstract)
        self.ipc_before = sysv_ipc()
        self.mq_before = set(posix_mqs())
        self.shm_before = set(os.listdir("/dev/shm")) if os.path.isdir("/dev/shm") else set()
        self.scratch_before = set(glob.glob("/tmp/codexlab-scratch-*") + glob.glob("/var/tmp/codexlab-scratch-*"))
        self.locks = LockWatcher(self.victims)
        self.locks.start()
        old_key = os.environ.get("OPENAI_API_KEY")
        os.environ["OPENAI_API_KEY"] = self.api_key
        self.stack.callback(
            lambda: os.environ.pop("OPENAI_API_KEY") if old_key is None else os.environ.update(OPENAI_API_KEY=old_key)
        )
        return self

    def _sock(self, family: int, kind: int, addr: Any) -> socket.socket:
        s = socket.socket(family, kind)
        try:
            s.bind(addr)
            if kind == socket.SOCK_STREAM:
                s.listen(16)
        except OSError:
            s.close()
            raise
        s.setblocking(False)
        self.stack.callback(s.close)
        if isinstance(addr, str) and not addr.startswith("\0"):
            self.stack.callback(lambda: Path(addr).unlink(missing_ok=True))
        return s

    def run_dir(self, path: Path, humaneval: dict[str, Any]) -> None:
        """A run directory as codexlab leaves one: the problems and results with a passing completion; it
        also holds a Unix listener. The judges (and their zygotes) start with it as their cwd."""
        path.mkdir(parents=True, exist_ok=True)
        (path / "problems.jsonl").write_text(json.dumps(humaneval) + "\n")
        result = {"task_id": humaneval["task_id"], "completion": humaneval["canonical_solution"], "passed": True}
        result["prompt"] = humaneval["prompt"]
        (path / "_results.jsonl").write_text(json.dumps(result) + "\n")
        with contextlib.suppress(OSError):
            self.listeners[str(path / "trap.sock")] = self._sock(
                socket.AF_UNIX, socket.SOCK_STREAM, str(path / "trap.sock")
            )
        # and the user's cache, where dataset libraries keep their copies
        cache = Path.home() / ".cache" / f"codexlab-hostile-{os.getpid()}"
        with contextlib.suppress(OSError):
            cache.mkdir(parents=True, exist_ok=True)
            self.stack.callback(shutil.rmtree, cache, True)
            (cache / "HumanEval.jsonl").write_text(json.dumps(humaneval) + "\n")

    def check(self) -> list[str]:
        """What the attacks reached on the host (cleaning up after them); empty when nothing."""
        self.checked = True
        self.locks.stop.set()
        self.locks.join()
        harm = [f"lock or lease on a host file: {x}" for x in sorted(self.locks.seen)]
        for v, state in self.before.items():
            now = file_state(v)
            changed = {k: (state[k], now[k]) for k in state if state[k] != now[k]}
            if changed:
                harm.append(f"host file changed: {v}: {changed}")
                restore(v, state)
        for pattern in PWNED_GLOBS:
            for p in glob.glob(pattern):
                harm.append(f"an attack wrote {p}")
                with contextlib.suppress(OSError):
                    os.unlink(p)
        for name, s in self.listeners.items():
            try:
                conn, _ = s.accept()
                conn.close()
                harm.append(f"a sample connected to the host listener {name}")
            except BlockingIOError:
                pass
        for name, s in [*self.dgrams.items(), *((f"udp {u.getsockname()}", u) for u in self.udps)]:
            try:
                s.recv(100)
                harm.append(f"a sample sent a datagram to {name}")
            except BlockingIOError:
                pass
        ipc = sysv_ipc()
        for kind, entries in ipc.items():
            for e in sorted(entries - self.ipc_before[kind]):
                harm.append(f"SysV {kind} left behind: key/id {e}")
                remove_sysv(kind, e)
        for name in sorted(set(posix_mqs()) - self.mq_before):
            harm.append(f"POSIX message queue left behind: {name}")
            unlink_mq(name)
        for path in sorted(set(glob.glob("/tmp/codexlab-scratch-*") + glob.glob("/var/tmp/codexlab-scratch-*"))):
            if path not in self.scratch_before:
                harm.append(f"a scratch folder left on the host: {path}")
        if os.path.isdir("/dev/shm"):
            for name in sorted(set(os.listdir("/dev/shm")) - self.shm_before):
                harm.append(f"/dev/shm/{name} left behind")
                if name.startswith("codexlab"):
                    with contextlib.suppress(OSError):
                        os.unlink(f"/dev/shm/{name}")
        return harm

    def __exit__(self, *exc: object) -> None:
        if not getattr(self, "checked", False):
            self.check()  # restores what an attack changed even when the run itself broke
        self.stack.close()


# ---- the lanes ---------------------------------------------------------------------------------------


def humaneval_problem() -> dict[str, Any]:
    """HumanEval/0 as in the installed dataset (the answer key the key_* attacks look for)."""
    env = os.environ.get("CODEXLAB_HOSTILE_HUMANEVAL")
    if env:
        return json.loads(Path(env).read_text())  # type: ignore[no-any-return]
    from codexlab.problems import load_problems

    p = load_problems("humaneval")["HumanEval/0"]
    return {k: getattr(p, k) for k in ("task_id", "prompt", "entry_point", "canonical_solution", "test")}


def control_job(after: str, want: dict[str, Any]) -> ExecutionJob:
    src = CONTROL_TEMPLATE.format(fingerprint=FINGERPRINT_SRC, want=want, after=after)
    return ExecutionJob(f"control after {after}", PROBLEMS["eq"], src, LIMITS)


def _probe(ex: SandboxExecutor, out: Path) -> dict[str, Any]:
    """The fingerprint of an honest sample, written by the (trusted) test in the judge."""
    problem = Problem("Hostile/fingerprint", "", "fingerprint", "", FINGERPRINT_PROBLEM_TEST.format(path=str(out)))
    (_, v), *_ = list(ex.map([ExecutionJob(f"probe {out.name}", problem, FINGERPRINT_SRC, LIMITS)]))
    if not v.passed:
        raise AssertionError(f"the fingerprint probe failed: {v.status.value} {v.detail}\n{v.traceback}")
    return json.loads(out.read_text())  # type: ignore[no-any-return]


@dataclass
class Result:
    verdicts: dict[str, Verdict] = field(default_factory=dict)  # attack name -> verdict
    controls: dict[str, Verdict] = field(default_factory=dict)  # attack name -> its control's verdict
    lane_of: dict[str, int] = field(default_factory=dict)
    fingerprints: list[dict[str, Any]] = field(default_factory=list)
    after: list[Verdict] = field(default_factory=list)  # one honest sample per lane once all is done
    harm: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _run_lane(lane: int, heads: list[Case], humaneval: Problem, work: Path, result: Result) -> None:
    problems = {**PROBLEMS, "humaneval": humaneval}
    with SandboxExecutor(workers=1, grace_s=1.0) as ex:
        want = _probe(ex, work / f"fingerprint-{lane}.json")
        result.fingerprints.append(want)
        for head in heads:
            group = flatten(head)
            jobs = []
            for c in group:
                problem = problems.get(c.problem)
                if c.name == "test_loops_forever":
                    problem = LOOPING_TEST
                elif c.name == "test_calls_forever":
                    problem = CALLING_TEST
                assert problem is not None, f"{c.name}: unknown problem {c.problem}"
                jobs.append(ExecutionJob(c.name, problem, c.source, LIMITS))
            names = " + ".join(c.name for c in group)
            jobs.append(control_job(names, want))
            verdicts = dict(ex.map(jobs))  # one worker: judged in this order
            for c in group:
                result.verdicts[c.name] = verdicts[c.name]
                result.lane_of[c.name] = lane
                result.controls[c.name] = verdicts[f"control after {names}"]
        # the worker goes on: one more honest sample, in a fresh map call
        (_, last), *_ = list(ex.map([control_job(f"everything in lane {lane}", want)]))
        result.after.append(last)


def run_corpus(work: Path, root_secret: str | None = None, lanes: int = LANES) -> Result:
    """Judge the whole corpus in `lanes` single-worker executors side by side, watching the host."""
    cases = corpus()
    cases.append(Case("test_loops_forever", "eq", "def add(a, b):\n    return a + b\n", ["timeout"]))
    cases.append(Case("test_calls_forever", "eq", "def add(a, b):\n    return a + b\n\n\n# calls", ["timeout"]))
    heads = chains(cases)
    he = humaneval_problem()
    humaneval = Problem(he["task_id"], he["prompt"], he["entry_point"], he["canonical_solution"], he["test"])
    result = Result()
    start = time.monotonic()
    with Traps(root_secret=root_secret) as traps:
        run_dir = traps.dir / "run"  # outside /tmp, where real runs live (the sandbox has its own /tmp)
        traps.run_dir(run_dir, he)
        here = os.getcwd()
        os.chdir(run_dir)  # the judges and zygotes start here, like in a real run
        try:
            by_lane: list[list[Case]] = [[] for _ in range(lanes)]
            for i, head in enumerate(heads):
                by_lane[i % lanes].append(head)
            with ThreadPoolExecutor(lanes) as pool:
                futures = [pool.submit(_run_lane, i, by_lane[i], humaneval, work, result) for i in range(lanes)]
            errors = [f.exception() for f in futures if f.exception() is not None]
        finally:
            os.chdir(here)
            result.harm = traps.check()
        if errors:
            raise AssertionError(f"a lane broke: {errors[0]!r}\nhost harm: {result.harm}") from errors[0]
        result.harm += [
            f"a verdict carries the root-only secret: {k}" for k, v in result.verdicts.items() if _leaks(v, traps.token)
        ]
        result.harm += [
            f"a verdict carries the API key from the environment: {k}"
            for k, v in result.verdicts.items()
            if _leaks(v, traps.api_key)
        ]
    result.harm += [f"a daemon outlived its sample: pid {p}" for p in marked_processes()]
    result.harm += [f"left running after close(): pid {p}" for p in descendants(os.getpid())]
    result.seconds = time.monotonic() - start
    return result


def _leaks(v: Verdict, token: str) -> bool:
    return token in v.detail or token in v.traceback


def problems_with(result: Result) -> list[str]:
    """Everything wrong in a run: attacks that passed, harmed the host, poisoned a later sample, ..."""
    bad = list(result.harm)
    expect = {c.name: c for c in corpus()}
    for name, v in sorted(result.verdicts.items()):
        case = expect.get(name)
        victim = case is not None and case.victim
        if v.passed and not victim:
            bad.append(f"{name}: passed: its attack worked")
        if not victim and not v.passed and not v.detail:
            bad.append(f"{name}: the verdict does not say why ({v.status.value})")
        if case and case.expect and v.status.value not in case.expect:
            bad.append(f"{name}: {v.status.value} ({v.detail[:200]}), expected {' '.join(case.expect)}")
        if case and case.max_s is not None and v.duration_s > case.max_s:
            bad.append(f"{name}: took {v.duration_s:.1f} s, more than {case.max_s} s ({v.detail[:100]})")
        if "sandbox fail" in v.detail or "the sandbox failed" in v.detail:
            bad.append(f"{name}: made its worker restart (a sandbox failure): {v.detail[:200]}")
        if len(v.detail) > MAX_DETAIL:
            bad.append(f"{name}: a verdict detail of {len(v.detail)} characters")
        c = result.controls[name]
        if not c.passed:
            bad.append(f"{name}: the honest sample after it {c.status.value}: {c.detail[:400]}")
    for v in result.after:
        if not v.passed:
            bad.append(f"the worker did not go on: {v.status.value} {v.detail[:200]}")
    return bad


def report(result: Result) -> str:
    lines = [f"{len(result.verdicts)} samples in {result.seconds:.1f} s"]
    for name, v in sorted(result.verdicts.items()):
        c = result.controls[name]
        ctl = "" if c.passed else f"  CONTROL {c.status.value}: {c.detail[:120]}"
        lines.append(f"{name:32} {v.status.value:13} {v.duration_s:5.1f}s {v.detail[:70]}{ctl}")
    return "\n".join(lines)


def marked_processes() -> list[int]:
    pids = []
    for d in glob.glob("/proc/[0-9]*"):
        try:
            with open(f"{d}/cmdline", "rb") as f:
                if MARKER.encode() in f.read():
                    pids.append(int(d.rsplit("/", 1)[1]))
        except OSError:
            pass
    return pids


def descendants(pid: int) -> list[int]:
    out = []
    for task in glob.glob(f"/proc/{pid}/task/*/children"):
        try:
            kids = [int(x) for x in Path(task).read_text().split()]
        except OSError:
            continue
        for k in kids:
            out += [k, *descendants(k)]
    return out


def iter_report(result: Result) -> Iterator[dict[str, Any]]:
    for name, v in result.verdicts.items():
        yield {"name": name, "verdict": v.to_dict(), "control": result.controls[name].to_dict()}


def main() -> None:
    """The unprivileged pass: run the corpus, write the findings as JSON to argv[1]."""
    out = Path(sys.argv[1])
    work = Path(sys.argv[2])
    result = run_corpus(work, root_secret=os.environ.get("CODEXLAB_HOSTILE_ROOT_SECRET"))
    payload = {
        "uid": os.getuid(),
        "problems": problems_with(result),
        "report": report(result),
        "layers": result.fingerprints,
        "seconds": result.seconds,
        "verdicts": list(iter_report(result)),
    }
    out.write_text(json.dumps(payload))


if __name__ == "__main__":
    main()
