"""The per-worker fork server. A fresh `python -I` that never receives tests: it enters its namespaces and
builds its Landlock ruleset once, then forks one locked-down child per sample and hands the judge the
child's pipes and a pidfd over SCM_RIGHTS.

Protocol on the Unix socket (JSON frames): zygote -> judge {"layers": {...}} once; judge -> zygote
{"src", "entry_point", "mode", "limits"}; zygote -> judge the fds [out_r, resp_r, req_w, pidfd] then,
after the child is gone, {"status": waitstatus, "maxrss_kb": n}.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import shutil
import signal
import socket
import sys
import tempfile
from dataclasses import dataclass
from typing import Any

from codexlab.execution.sandbox import child, codec, landlock, lowlevel, seccomp, wire

# Modules samples commonly import, loaded once here so each fork gets them for free.
WARM_IMPORTS = (
    "math", "re", "itertools", "collections", "functools", "heapq", "string", "typing", "hashlib", "bisect",
    "statistics", "fractions", "decimal", "random", "operator", "copy", "datetime", "json", "ast", "traceback",
    "cmath", "array", "dataclasses", "enum", "numbers", "struct", "textwrap", "unicodedata", "sys", "time",
)  # fmt: skip

SCRATCH_TMPFS_BYTES = 64 << 20


class Layers(dict[str, Any]):
    """Which isolation layers this worker reached; value True, a version, or a string saying why not."""


def _send_json(sock: socket.socket, obj: Any) -> None:
    wire.send_frame(sock.fileno(), json.dumps(obj).encode())


def _recv_json(sock: socket.socket) -> Any:
    return json.loads(wire.recv_frame(sock.fileno()))


def _enter_namespaces(layers: Layers, sock: socket.socket) -> str | None:
    """User+net namespace, then one pid+mount namespace with its own /proc and a private tmpfs /tmp.

    Returns the tmpfs root for scratch dirs, or None when the mount namespace could not be set up.
    The process that unshares stays outside the pid namespace and only waits for its one child.
    """
    try:
        lowlevel.enter_user_and_net_namespace()
        layers["userns"] = layers["netns"] = True
    except OSError as exc:
        layers["userns"] = layers["netns"] = f"unavailable: {exc.strerror}"
        return None
    try:
        lowlevel.unshare(lowlevel.CLONE_NEWPID | lowlevel.CLONE_NEWNS)
    except OSError as exc:
        layers["pidns"] = layers["mountns"] = f"unavailable: {exc.strerror}"
        return None
    pid = os.fork()
    if pid:
        sock.close()
        os.closerange(3, 1 << 16)
        _, status = os.waitpid(pid, 0)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    lowlevel.set_pdeathsig(signal.SIGKILL)
    try:
        lowlevel.mount(None, "/", None, lowlevel.MS_REC | lowlevel.MS_PRIVATE)
        flags = lowlevel.MS_NOSUID | lowlevel.MS_NODEV | lowlevel.MS_NOEXEC
        lowlevel.mount("proc", "/proc", "proc", flags)
        lowlevel.mount("tmpfs", "/tmp", "tmpfs", flags, f"size={SCRATCH_TMPFS_BYTES},mode=0700")
    except OSError as exc:
        layers["pidns"] = True
        layers["mountns"] = f"unavailable: {exc.strerror}"
        return None
    layers["pidns"] = layers["mountns"] = True
    return "/tmp"


def _empty(scratch: str) -> None:
    with os.scandir(scratch) as it:
        entries = list(it)
    for e in entries:
        try:
            if e.is_dir(follow_symlinks=False):
                shutil.rmtree(e.path, ignore_errors=True)
            else:
                os.unlink(e.path)
        except OSError:
            pass


class Zygote:
    """The fork server's state: layers reached, scratch dir, prebuilt Landlock ruleset."""

    def __init__(self, sock: socket.socket, want: dict[str, bool]) -> None:
        self.sock = sock
        self.layers = Layers()
        root = _enter_namespaces(self.layers, sock) if want.get("namespaces", True) else None
        self.in_pidns = self.layers.get("pidns") is True
        if "userns" not in self.layers:
            self.layers.update(userns="disabled", netns="disabled", pidns="disabled", mountns="disabled")
        self.scratch = tempfile.mkdtemp(prefix="codexlab-scratch-", dir=root)
        os.chmod(self.scratch, 0o700)
        # the environment samples see, set once here (the zygote was started with an empty one)
        os.environ.clear()
        os.environ.update(PATH="/usr/bin:/bin", HOME=self.scratch, TMPDIR=self.scratch, LANG="C.UTF-8")
        self.ruleset_fd: int | None = None
        abi = landlock.abi_version()
        if not want.get("landlock", True):
            self.layers["landlock"] = "disabled"
        elif abi < 1:
            self.layers["landlock"] = "unavailable: kernel without Landlock"
        else:
            try:
                self.ruleset_fd = landlock.build_ruleset((self.scratch, "/dev/null"), abi)
                self.layers["landlock"] = abi
            except OSError as exc:
                self.layers["landlock"] = f"unavailable: {exc.strerror}"
        if not want.get("seccomp", True):
            self.layers["seccomp"] = "disabled"
        elif not seccomp.supported():
            self.layers["seccomp"] = "unavailable: filter written for x86_64 only"
        else:
            self.layers["seccomp"] = True
            self.filter = seccomp.Filter()
        self.layers["rlimits"] = True
        self.layers["pidfd"] = hasattr(os, "pidfd_open")
        self._probe_child()
        # fork the next child while the current sample runs; only where Landlock and seccomp keep the
        # running sample from reaching the waiting one (signals, ptrace, /proc/<pid>/mem)
        self.prefork = (
            bool(want.get("prefork", True)) and self.ruleset_fd is not None and self.layers["seccomp"] is True
        )
        self.warm: _Child | None = None
        self.layers["prefork"] = self.prefork
        for name in WARM_IMPORTS:
            __import__(name)
        # objects that exist now are never collected in a child: its GC then leaves their pages shared
        gc.freeze()
        # pid 1 of a namespace ignores signals without handlers; drop Python's SIGINT handler
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    def _lock_down(self, limits: dict[str, Any], keep: tuple[int, ...]) -> None:
        """In the forked child: everything below, then this job's limits."""
        self._lock_down_base(keep)
        _apply_limits(limits)

    def _lock_down_base(self, keep: tuple[int, ...]) -> None:
        """Session, death signal, not dumpable, fds, cwd, NO_NEW_PRIVS, Landlock, seccomp (no job needed)."""
        os.setsid()
        lowlevel.set_pdeathsig(signal.SIGKILL)
        lowlevel.prctl(lowlevel.PR_SET_DUMPABLE, 0)  # /proc/<pid>/mem and friends closed to siblings
        keep_all = sorted(set(keep) | ({self.ruleset_fd} if self.ruleset_fd is not None else set()))
        lo = 3
        for fd in keep_all + [1 << 16]:
            if lo < fd:
                os.closerange(lo, fd)
            lo = fd + 1
        os.chdir(self.scratch)
        lowlevel.no_new_privs()
        if self.ruleset_fd is not None:
            landlock.restrict_self(self.ruleset_fd)
            os.close(self.ruleset_fd)
        if self.layers["seccomp"] is True:
            self.filter.load_for_pid(os.getpid())

    def _probe_child(self) -> None:
        """Fork one locked-down child that tries what samples must not do; record what was stopped."""
        r, w = os.pipe()
        limits = {"cpu_s": 5, "memory_bytes": 1 << 30, "file_size_bytes": 1 << 20, "open_files": 64}
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.close(r)
                self._lock_down(limits, (w,))
                os.write(w, json.dumps(_attempts(self.scratch)).encode())
                code = 0
            except BaseException as exc:  # noqa: BLE001
                os.write(w, json.dumps({"setup_error": f"{type(exc).__name__}: {exc}"}).encode())
            finally:
                os._exit(code)
        os.close(w)
        data = b""
        while chunk := os.read(r, 65536):
            data += chunk
        os.close(r)
        os.waitpid(pid, 0)
        _empty(self.scratch)
        try:
            self.layers["probe"] = json.loads(data or b"{}")
        except json.JSONDecodeError:
            self.layers["probe"] = {"setup_error": "no report"}

    def serve(self) -> None:
        _send_json(self.sock, {"layers": self.layers})
        while True:
            try:
                req = _recv_json(self.sock)
            except (EOFError, OSError):
                os._exit(0)
            self._one(req)

    def _fork_child(self) -> _Child:
        """Fork a locked-down child that waits for its job on its request pipe (the first frame)."""
        out_r, out_w = os.pipe()
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                for fd in (out_r, req_w, resp_r):
                    os.close(fd)
                null = os.open("/dev/null", os.O_RDONLY)
                os.dup2(null, 0)
                os.dup2(out_w, 1)
                os.dup2(out_w, 2)
                self.sock.detach()
                self._lock_down_base((req_r, resp_w))
                job = json.loads(wire.recv_frame(req_r))
                _apply_limits(job["limits"])
                child.serve(job["src"], job["entry_point"], job["mode"], req_r, resp_w)
            except EOFError:
                pass  # the zygote went away before handing a job
            except BaseException as exc:  # noqa: BLE001
                try:
                    wire.send_frame(resp_w, codec.dumps(["setup_error", f"{type(exc).__name__}: {exc}"]))
                except BaseException:  # noqa: BLE001
                    pass
            finally:
                os._exit(3)
        for fd in (out_w, req_r, resp_w):
            os.close(fd)
        try:
            pidfd = os.pidfd_open(pid)
        except OSError:
            pidfd = os.open("/dev/null", os.O_RDONLY)  # the judge then kills through this zygote only
        return _Child(pid, out_r, resp_r, req_w, pidfd)

    def _one(self, req: dict[str, Any]) -> None:
        """Hand one job to a waiting child, pass its pipes to the judge, fork the next child while this one
        runs, then wait for it, clean up, and report how it ended."""
        current = self.warm if self.warm is not None else self._fork_child()
        self.warm = None
        try:
            wire.send_frame(current.req_w, json.dumps(req).encode())
        except OSError:  # the waiting child died: start a fresh one
            current.close()
            _reap_all()
            current = self._fork_child()
            wire.send_frame(current.req_w, json.dumps(req).encode())
        try:
            socket.send_fds(self.sock, [b"F"], current.fds())
        finally:
            current.close()
        if self.prefork:
            self.warm = self._fork_child()
        _, status, usage = os.wait4(current.pid, 0)
        self._kill_leftovers(current.pid)
        _empty(self.scratch)
        _send_json(self.sock, {"status": status, "maxrss_kb": usage.ru_maxrss})

    def _kill_leftovers(self, pid: int) -> None:
        """Anything the sample left (nothing, where seccomp holds), sparing the next waiting child."""
        spare = {1, os.getpid()} | ({self.warm.pid} if self.warm is not None else set())
        if self.in_pidns and self.warm is None:
            try:
                os.kill(-1, signal.SIGKILL)  # as pid 1: everything else in this namespace
            except ProcessLookupError:
                pass
        elif self.in_pidns:
            for name in os.listdir("/proc"):
                if name.isdigit() and int(name) not in spare:
                    try:
                        os.kill(int(name), signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        else:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for reaped in _reap_all():
            if self.warm is not None and reaped == self.warm.pid:
                self.warm.close()
                self.warm = None


@dataclass
class _Child:
    """The zygote's handles on one forked child: its pid, pipes and pidfd."""

    pid: int
    out_r: int
    resp_r: int
    req_w: int
    pidfd: int

    def fds(self) -> list[int]:
        return [self.out_r, self.resp_r, self.req_w, self.pidfd]

    def close(self) -> None:
        for fd in self.fds():
            try:
                os.close(fd)
            except OSError:
                pass


def _apply_limits(limits: dict[str, Any]) -> None:
    """This job's rlimits and CPU-time timer (lowering limits needs no privilege, even after seccomp)."""
    cpu = int(limits.get("cpu_s", 5))
    for res, value in (
        (resource.RLIMIT_CPU, (cpu, cpu + 1)),
        (resource.RLIMIT_AS, int(limits["memory_bytes"])),
        (resource.RLIMIT_FSIZE, int(limits["file_size_bytes"])),
        (resource.RLIMIT_NOFILE, int(limits["open_files"])),
        (resource.RLIMIT_CORE, 0),
    ):
        resource.setrlimit(res, value if isinstance(value, tuple) else (value, value))
    cpu_timer = limits.get("cpu_timer_s")
    if cpu_timer:
        # SIGPROF (default action: terminate) once the process has used this much CPU time
        signal.setitimer(signal.ITIMER_PROF, float(cpu_timer))


def _reap_all() -> list[int]:
    """Reap every exited child; return their pids."""
    reaped: list[int] = []
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return reaped
        if pid == 0:
            return reaped
        reaped.append(pid)


def _attempts(scratch: str) -> dict[str, str]:
    """Each forbidden action, tried from inside the sandbox: 'blocked: <errno>' or 'ALLOWED'."""
    results: dict[str, str] = {}

    def attempt(name: str, fn: Any) -> None:
        try:
            fn()
            results[name] = "ALLOWED"
        except OSError as exc:
            results[name] = f"blocked: {exc.strerror}"

    def write_outside() -> None:
        fd = os.open("/etc/codexlab-probe", os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
        os.unlink("/etc/codexlab-probe")

    def fork() -> None:
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)

    def tcp() -> None:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.close()

    def write_scratch() -> None:
        with open(os.path.join(scratch, "probe"), "w") as f:
            f.write("x")

    def signal_parent() -> None:
        os.kill(os.getppid(), 0)

    attempt("write outside scratch", write_outside)
    attempt("fork", fork)
    attempt("exec", lambda: os.execv("/bin/true", ["/bin/true"]))
    attempt("inet socket", tcp)
    attempt("signal the parent", signal_parent)
    attempt("write in scratch", write_scratch)
    return results


def main() -> None:
    """Entry point: `python -I -c ... main()` with the socket fd in argv[1] and wanted layers in argv[2]."""
    lowlevel.set_pdeathsig(signal.SIGKILL)
    sock = socket.socket(fileno=int(sys.argv[1]))
    want = json.loads(sys.argv[2])
    Zygote(sock, want).serve()
