"""The per-worker fork server. A fresh `python -I` that never receives tests, nor any sample's code: it enters
its namespaces, builds its private filesystem view and its Landlock ruleset once, then forks one locked-down
child per sample and hands the judge the child's pipes and a pidfd over SCM_RIGHTS.

Protocol on the Unix socket (JSON frames): zygote -> judge {"layers": {...}} once. Per sample, either judge ->
zygote {"fork": 1} and zygote -> judge a child's fds [out_r, resp_r, req_w, pidfd] by SCM_RIGHTS, or, when the
judge already holds the next child's fds, {"run": 1}. The judge writes the job ({"src", "entry_point", "mode",
"limits"}) on req_w itself, so the zygote never holds a sample's source, request or result. After the child
is gone, zygote -> judge {"status": waitstatus, "maxrss_kb": n, "next": bool}, followed, if "next", by the fds
of the child pre-forked for the next sample (which then starts the moment the judge writes its job).

Processes: the one the judge starts stays in the host's namespaces, writes the uid/gid maps of its child
(as root: sandbox root is an unprivileged host id, `SANDBOX_ID_BASE` + a per-worker offset) and waits; that
child enters the user, network, IPC, UTS and cgroup namespaces, then a pid + mount namespace, whose pid 1 is
the zygote proper.
"""

from __future__ import annotations

import fcntl
import gc
import importlib
import json
import linecache
import os
import resource
import secrets
import signal
import socket
import stat
import sys
import tempfile
from dataclasses import dataclass
from typing import Any, NoReturn

from codexlab.execution.sandbox import child, codec, fsview, landlock, lowlevel, seccomp, wire
from codexlab.execution.sandbox.layers import Layers, active, put

# Modules samples commonly import, loaded once here so each fork gets them for free.
WARM_IMPORTS = (
    "math", "re", "itertools", "collections", "functools", "heapq", "string", "typing", "hashlib", "bisect",
    "statistics", "fractions", "decimal", "random", "operator", "copy", "datetime", "json", "ast", "traceback",
    "cmath", "array", "dataclasses", "enum", "numbers", "struct", "textwrap", "unicodedata", "sys", "time",
)  # fmt: skip

SCRATCH_TMPFS_BYTES = fsview.SCRATCH_BYTES
# host uid/gid of the sandbox's root when started as root: high, owned by nothing, one per worker
SANDBOX_ID_BASE = 1_879_048_192
SANDBOX_ID_SPAN = 1 << 16
# per-sample caps on per-user kernel quotas (the sandbox's worker tasks count toward SAMPLE_TASKS too)
SAMPLE_TASKS = 256
SAMPLE_SIGPENDING = 64
SAMPLE_MEMLOCK_BYTES = 64 << 10
_PID_SPAN = 1 << 20
_EXTRA_NAMESPACES = (
    ("ipcns", lowlevel.CLONE_NEWIPC),
    ("utsns", lowlevel.CLONE_NEWUTS),
    ("cgroupns", lowlevel.CLONE_NEWCGROUP),
)


def _send_json(sock: socket.socket, obj: Any) -> None:
    wire.send_frame(sock.fileno(), json.dumps(obj).encode())


def _recv_json(sock: socket.socket) -> Any:
    return json.loads(wire.recv_frame(sock.fileno()))


def sandbox_host_id(pid: int) -> int:
    return SANDBOX_ID_BASE + pid % SANDBOX_ID_SPAN


def _map_ids_then_wait(pid: int, from_child: int, to_child: int) -> NoReturn:
    """In the host's namespaces: write the child's uid/gid maps once it has unshared, then wait for it."""
    if os.read(from_child, 1) == b"u":
        uid, gid = os.getuid(), os.getgid()
        if uid == 0:
            hid = sandbox_host_id(pid)
            try:
                lowlevel.write_id_maps(pid, hid, hid, deny_setgroups=False)
                msg = f"mapped {hid}"
            except OSError as exc:
                lowlevel.write_id_maps(pid, uid, gid, deny_setgroups=True)
                msg = f"own could not map to an unprivileged id ({exc.strerror}): the sandbox's root is host root"
        else:
            lowlevel.write_id_maps(pid, uid, gid, deny_setgroups=True)
            msg = f"own {uid}"
        os.write(to_child, msg.encode())
    os.closerange(3, 1 << 16)
    _, status = os.waitpid(pid, 0)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _wait_and_exit(pid: int) -> NoReturn:
    os.closerange(3, 1 << 16)
    _, status = os.waitpid(pid, 0)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _enter_namespaces(
    layers: Layers, sock: socket.socket, want: dict[str, Any]
) -> tuple[str | None, fsview.Plan | None, bool]:
    """User+net (+IPC, UTS, cgroup) namespaces, then one pid+mount namespace with the private filesystem view
    (or, where it cannot be built, the host's tree with its own /proc and a private tmpfs /tmp).

    Returns (tmpfs root for scratch or None, the view's plan if made, whether the view was built). The
    processes that unshare stay
    outside the pid namespace and only wait for their one child.
    """
    detail: dict[str, str] = layers.setdefault("detail", {})
    from_child_r, from_child_w = os.pipe()
    to_child_r, to_child_w = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        sock.detach()
        _map_ids_then_wait(pid, from_child_r, to_child_w)
    os.close(from_child_r)
    os.close(to_child_w)
    lowlevel.set_pdeathsig(signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
    try:
        lowlevel.unshare(lowlevel.CLONE_NEWUSER | lowlevel.CLONE_NEWNET)
    except OSError as exc:
        os.write(from_child_w, b"-")
        for fd in (from_child_w, to_child_r):
            os.close(fd)
        layers["userns"] = layers["netns"] = f"unavailable: {exc.strerror}"
        return None, None, False
    os.write(from_child_w, b"u")
    reply = os.read(to_child_r, 4096).decode()
    for fd in (from_child_w, to_child_r):
        os.close(fd)
    layers["userns"] = layers["netns"] = True
    mapped = reply.startswith("mapped ")
    if mapped:
        layers["uidmap"] = True
        detail["uidmap"] = f"sandbox root is host uid {reply.split()[1]} (unprivileged, owns no host file)"
    elif reply.startswith("own "):
        who = reply.split(None, 1)[1]
        if who.isdigit():
            layers["uidmap"] = True
            detail["uidmap"] = f"sandbox root is host uid {who} (this user, unprivileged)"
        else:
            layers["uidmap"] = f"unavailable: {who}"
    else:
        raise OSError(1, "the uid map was not written")
    for name, flag in _EXTRA_NAMESPACES:
        if want.get(name, True) is False:
            put(layers, name, "disabled")
            continue
        try:
            lowlevel.unshare(flag)
            put(layers, name, True)
        except OSError as exc:
            put(layers, name, f"unavailable: {exc.strerror}")
    if layers.get("utsns") is True:
        try:
            socket.sethostname("sandbox")
        except OSError:
            pass
    try:
        lowlevel.unshare(lowlevel.CLONE_NEWPID | lowlevel.CLONE_NEWNS)
    except OSError as exc:
        layers["pidns"] = layers["mountns"] = f"unavailable: {exc.strerror}"
        plan = fsview.plan()
        _become_sandbox_root(mapped)
        return None, plan, False
    pid = os.fork()
    if pid:
        sock.detach()
        _become_sandbox_root(mapped)
        _wait_and_exit(pid)
    lowlevel.set_pdeathsig(signal.SIGKILL)
    layers["pidns"] = True
    return _mount_view(layers, want, mapped)


def _mount_view(layers: Layers, want: dict[str, Any], mapped: bool) -> tuple[str | None, fsview.Plan, bool]:
    """As pid 1 of the new pid+mount namespace: the private view, else own /proc and a private /tmp. The
    sources are opened with the host's permissions (the interpreter may sit under a 0700 /root), then this
    process takes the sandbox root's unprivileged ids and builds the rest."""
    detail: dict[str, str] = layers["detail"]
    fds: dict[str, int] = {}
    plan = fsview.plan()  # made here in any case: Landlock needs it too, and sysconfig may import lazily
    if want.get("fsview", True) is not False:
        try:
            fds = fsview.open_sources(plan)
        except OSError as exc:
            layers["fsview"] = f"unavailable: {exc.strerror or exc}"
    _become_sandbox_root(mapped)
    if want.get("fsview", True) is False:
        layers["fsview"] = "disabled"
    elif fds:
        try:
            mounts = fsview.build(plan, fds)
        except OSError as exc:
            layers["fsview"] = f"unavailable: {exc.strerror or exc}"
        else:
            layers["mountns"] = layers["fsview"] = True
            detail["fsview"] = f"{len(plan.binds)} host paths read-only, {mounts} mounts, scratch and /dev/shm on tmpfs"
            _forget_host_paths()
            return "/tmp", plan, True
    try:
        lowlevel.mount(None, "/", None, lowlevel.MS_REC | lowlevel.MS_PRIVATE)
        flags = lowlevel.MS_NOSUID | lowlevel.MS_NODEV | lowlevel.MS_NOEXEC
        lowlevel.mount("proc", "/proc", "proc", flags)
        fsview.mount_scratch("/tmp")
    except OSError as exc:
        layers["mountns"] = f"unavailable: {exc.strerror}"
        return None, plan, False
    layers["mountns"] = True
    return "/tmp", plan, False


def _forget_host_paths() -> None:
    """Import caches and cached source lines still describe the host's tree: drop them."""
    sys.path_importer_cache.clear()
    importlib.invalidate_caches()
    linecache.clearcache()


def _open_ns_last_pid() -> int | None:
    """This pid namespace's last-pid counter, writable by its pid 1 (CAP_SYS_ADMIN in its user namespace)."""
    try:
        return os.open("/proc/sys/kernel/ns_last_pid", os.O_WRONLY | os.O_CLOEXEC)
    except OSError:
        return None


def _pid_max() -> int:
    try:
        with open("/proc/sys/kernel/pid_max") as f:
            return int(f.read())
    except (OSError, ValueError):
        return 32768


def _closed_to_others(plan: fsview.Plan) -> str | None:
    """The first path the view would show that an unprivileged uid could not reach or read, if any."""
    for path in plan.binds:
        cur = path
        while True:
            try:
                st = os.stat(cur)
            except OSError:
                break
            need = stat.S_IXOTH if stat.S_ISDIR(st.st_mode) else stat.S_IROTH
            if cur == path and stat.S_ISDIR(st.st_mode):
                need |= stat.S_IROTH
            if not st.st_mode & need:
                return cur
            if cur == "/":
                break
            cur = os.path.dirname(cur)
    return None


def _host_root() -> bool:
    """Root of the initial user namespace (which can take any uid), not root of someone's user namespace."""
    try:
        with open("/proc/self/uid_map") as f:
            return os.geteuid() == 0 and f.read().split() == ["0", "0", "4294967295"]
    except OSError:
        return False


def _become_sandbox_root(mapped: bool) -> None:
    """Take the sandbox root's ids (the mapped host ids); as root, leave the host's supplementary groups."""
    if mapped:
        os.setgroups([])
    os.setresgid(0, 0, 0)
    os.setresuid(0, 0, 0)


_BIN_SAMPLES = 16


def _usage(path: str) -> tuple[int, int]:
    """Free blocks and inodes of a filesystem (a scratch tmpfs: different from a fresh one's once used)."""
    st = os.statvfs(path)
    return st.f_bfree, st.f_ffree


def _clear_dir(path: str, keep: set[str] | None = None) -> None:
    """Remove everything beneath `path` (not `path` itself, nor its entries `keep`), never following a symlink,
    never descending into another filesystem (a mount point: left alone), one directory fd open at a time,
    however deep or wide the tree (no recursion: a sample's 100,000-level tree cannot overflow anything)."""
    top = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    dev = os.fstat(top).st_dev
    fd = top
    names: list[str] = []  # the path from `path` down to fd
    pending: list[list[str]] = [_unlink_files(fd, dev, keep)]  # subfolders still to clear, per level
    try:
        while pending:
            if pending[-1]:
                sub = pending[-1].pop()
                try:
                    child_fd = _open_dir(sub, fd)
                except OSError:
                    continue
                if fd != top:
                    os.close(fd)
                fd = child_fd
                names.append(sub)
                pending.append(_unlink_files(fd, dev))
                continue
            pending.pop()
            if not names:
                break
            parent = os.open("..", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC, dir_fd=fd)
            os.close(fd)
            fd = parent
            try:
                os.rmdir(names.pop(), dir_fd=fd)
            except OSError:
                pass  # holds a mount point
    finally:
        if fd != top:
            os.close(fd)
        os.close(top)


def _open_dir(name: str, dir_fd: int) -> int:
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        return os.open(name, flags, dir_fd=dir_fd)
    except PermissionError:  # a folder made with mode 0 (as an ordinary user, without DAC override)
        os.chmod(name, 0o700, dir_fd=dir_fd, follow_symlinks=False)
        return os.open(name, flags, dir_fd=dir_fd)


def _unlink_files(fd: int, dev: int, keep: set[str] | None = None) -> list[str]:
    """Unlink every non-folder in the folder `fd`; return its subfolders on the same filesystem."""
    subdirs: list[str] = []
    with os.scandir(fd) as it:
        entries = [(e.name, e.stat(follow_symlinks=False)) for e in it if not keep or e.name not in keep]
    for name, st in entries:
        if stat.S_ISDIR(st.st_mode):
            if st.st_dev == dev:
                subdirs.append(name)
            continue
        try:
            os.unlink(name, dir_fd=fd)
        except FileNotFoundError:
            pass
    return subdirs


def _empty(scratch: str) -> None:
    """Scratch as it was (kept for the probe and for callers of the old name)."""
    _clear_dir(scratch)


class Zygote:
    """The fork server's state: layers reached, scratch dir, prebuilt Landlock ruleset and seccomp filter."""

    def __init__(self, sock: socket.socket, want: dict[str, Any]) -> None:
        self.sock = sock
        self.layers = Layers(detail={})
        # warm imports first: the view is planned from what this process has loaded
        for name in WARM_IMPORTS:
            __import__(name)
        ns = want.get("namespaces", True)
        root, plan, self.view = _enter_namespaces(self.layers, sock, want) if ns else (None, None, False)
        self.in_pidns = self.layers.get("pidns") is True
        if "userns" not in self.layers:
            for name in ("userns", "netns", "pidns", "mountns"):
                put(self.layers, name, "disabled")
        for name in ("uidmap", "fsview", "ipcns", "utsns", "cgroupns"):
            put(self.layers, name, "unavailable: no user namespace", only_if_unset=True)
        if want.get("bubblewrap"):
            for name in ("fsview", "ipcns", "utsns", "cgroupns"):
                if not active(self.layers, name):
                    put(self.layers, name, True)  # bubblewrap made it
                    self.layers["detail"][name] = "made by bubblewrap"
        # where the zygote is root on the host itself (no user namespace), samples run as an unprivileged id
        # (only if an unprivileged uid can reach the interpreter: else root without capabilities)
        self.plan = plan if plan is not None else fsview.plan()
        self.drop_to: int | None = None
        if self.layers["userns"] is not True and _host_root():
            closed = _closed_to_others(self.plan)
            if closed is None:
                self.drop_to = sandbox_host_id(os.getpid())
                self.layers["uidmap"] = True
                self.layers["detail"]["uidmap"] = f"no user namespace: samples run as host uid {self.drop_to}"
            else:
                self.layers["uidmap"] = f"unavailable: no user namespace, and {closed} is closed to other users"
        # With a private /tmp, after each sample its tmpfs is moved into a hidden folder (mode 0: samples hold
        # no capability to enter it) and one made ready there while the previous sample ran is moved in. The
        # used ones sit in a bin tmpfs there, unmounted all at once while a sample runs (an unmount waits for
        # an RCU grace period, however many mounts it takes): after 16 samples, or after one that left
        # anything in its scratch (so memory is not held).
        self.tmp_root = root
        self.scratch = fsview.SCRATCH if root is not None else ""
        self.hidden = os.path.join(root, ".hidden") if root is not None else ""
        self.bin = os.path.join(self.hidden, "old")
        self.next_ready = self.bin_ready = self.flush_bin = False
        self.binned = 0
        if root is not None:
            os.mkdir(self.scratch, 0o700)
            fsview.mount_scratch(self.scratch)
            self.fresh_usage = _usage(self.scratch)
            for name in ("next", "old"):
                os.makedirs(os.path.join(self.hidden, name))
            os.chmod(self.hidden, 0)
            os.chmod(root, 0o555)
            self.tmp_entries = len(os.listdir(root))  # scratch, hidden, the view's folders under /tmp
            self._prepare_scratch()
        else:
            self.scratch = tempfile.mkdtemp(prefix="codexlab-scratch-", dir=root)
            tempfile.tempdir = None  # samples' tempfile reads TMPDIR (the scratch) again
            os.chmod(self.scratch, 0o700)
            if self.drop_to is not None:
                os.chown(self.scratch, self.drop_to, self.drop_to)
        # the sample's uid is the sandbox's own (not shared with the host user's other processes): rlimits that
        # count per user (tasks) can bound the sample
        self.own_uid = self.layers.get("userns") is True or self.drop_to is not None
        # pid numbers: each sample's start from a random point, so none carries what an earlier one counted
        self.last_pid_fd = _open_ns_last_pid() if self.in_pidns else None
        self.pid_span = max(1, min(_PID_SPAN, _pid_max() - 2 * SAMPLE_TASKS - 300))
        # (only over the private view: elsewhere the host's /proc lies beneath this namespace's)
        self.host_file = os.path.realpath(os.__file__)  # a host file the view shows (for the probe)
        self.proc_fd = None
        if want.get("noproc", True) is False:
            self.layers["noproc"] = "disabled"
        elif self.in_pidns and self.view:
            self.proc_fd = self._hide_proc()
        self.layers.setdefault("noproc", "unavailable: needs the private view")
        self._bounding_set()
        # the environment samples see, set once here (the zygote was started with an empty one)
        os.environ.clear()
        os.environ.update(PATH="/usr/bin:/bin", HOME=self.scratch, TMPDIR=self.scratch, LANG="C.UTF-8")
        self.want = want
        self.ruleset_fd: int | None = None
        self._build_ruleset()
        if not want.get("seccomp", True):
            self.layers["seccomp"] = "disabled"
        elif not seccomp.supported():
            self.layers["seccomp"] = "unavailable: filter written for x86_64 only"
        else:
            self.layers["seccomp"] = True
            self.filter = seccomp.Filter()
        # where seccomp cannot deny SysV and POSIX IPC, a fresh IPC namespace per sample (where the worker has
        # its own user namespace): its objects die with the sample instead of reaching the next one
        own_ipcns = self.layers.get("userns") is True and self.layers.get("ipcns") is True
        self.ipc_per_sample = own_ipcns and self.layers["seccomp"] is not True
        if self.layers.get("ipcns") is True:
            self.layers["detail"]["ipcns"] = "per worker" + (
                ", and per sample" if self.ipc_per_sample else "; SysV IPC and message queues denied by seccomp"
            )
        self.layers["rlimits"] = True
        self.layers["pidfd"] = hasattr(os, "pidfd_open")
        # this process's own limits and priority: a sample must never change them (checked before each fork)
        self.baseline = _own_limits()
        if self.in_pidns:
            lowlevel.prctl(lowlevel.PR_SET_DUMPABLE, 0)  # its /proc entries closed to the samples too
        self._probe_child()
        # fork the next child while the current sample runs; only where Landlock and seccomp keep the
        # running sample from reaching the waiting one (signals, ptrace, /proc/<pid>/mem, prlimit)
        self.prefork = (
            bool(want.get("prefork", True)) and self.ruleset_fd is not None and self.layers["seccomp"] is True
        )
        self.warm: _Child | None = None
        self.handed: int | None = None  # the pre-forked child whose fds the judge holds
        self.layers["prefork"] = self.prefork
        # objects that exist now are never collected in a child: its GC then leaves their pages shared
        gc.collect()
        gc.freeze()
        # pid 1 of a namespace ignores signals without handlers; drop Python's SIGINT handler
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    def _hide_proc(self) -> int | None:
        """Keep this namespace's /proc as a folder fd (pids to kill) and unmount it: samples see no procfs.
        Its inode numbers come from a counter global to the kernel (a sample that stats its task entries
        moves it, the next one reads it back from any entry's st_ino), and its files say much about the
        host. Where the unmount fails (bubblewrap's /proc, without the capability) the layer says so."""
        try:
            fd = os.open("/proc", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError as exc:
            self.layers["noproc"] = f"unavailable: {exc.strerror}"
            return None
        try:
            lowlevel.umount("/proc", lowlevel.MNT_DETACH)
        except OSError as exc:
            self.layers["noproc"] = f"unavailable: {exc.strerror}"
        else:
            self.layers["noproc"] = True
        return fd

    def _bounding_set(self) -> None:
        """Drop every capability from the bounding set (children then drop the rest), where this process may."""
        try:
            n = lowlevel.drop_bounding_set()
        except OSError as exc:
            if os.geteuid() != 0 and self.layers.get("userns") is not True:
                self.layers["caps"] = True  # an ordinary user outside a user namespace holds none
                self.layers["detail"]["caps"] = "an ordinary user holds none"
            else:
                self.layers["caps"] = f"unavailable: {exc.strerror}"
            return
        self.layers["caps"] = True
        self.layers["detail"]["caps"] = f"all {n} dropped in every sample (bounding, effective, permitted, ambient)"

    def _build_ruleset(self) -> None:
        if self.ruleset_fd is not None:
            os.close(self.ruleset_fd)
            self.ruleset_fd = None
        abi = landlock.abi_version()
        if not self.want.get("landlock", True):
            self.layers["landlock"] = "disabled"
        elif abi < 1:
            self.layers["landlock"] = "unavailable: kernel without Landlock"
        else:
            # reads: what the view shows; without the view, the same paths split around the package folders
            reads = fsview.landlock_reads(self.plan, split=not self.view)
            # writes: beneath the private /tmp (Landlock sees no rule on a mount point, and each sample's scratch
            # is a new mount; the rest of /tmp is read-only or closed by its mode), else the scratch folder
            writable = self.tmp_root if self.tmp_root is not None else self.scratch
            try:
                self.ruleset_fd = landlock.build_ruleset((writable, "/dev/null"), abi, tuple(reads), ("/",))
                self.layers["landlock"] = abi
                self.layers["detail"]["landlock"] = f"reads beneath {len(reads)} paths, writes only in scratch"
            except OSError as exc:
                self.layers["landlock"] = f"unavailable: {exc.strerror}"

    def _lock_down(self, limits: dict[str, Any], keep: tuple[int, ...]) -> None:
        """In the forked child: everything below, then this job's scratch and limits."""
        self._lock_down_base(keep)
        os.chdir(self.scratch)
        _apply_limits(limits, self.own_uid)

    def _lock_down_base(self, keep: tuple[int, ...]) -> None:
        """Session, death signal, not dumpable, fds, own IPC namespace, cwd, unprivileged ids, no
        capabilities, NO_NEW_PRIVS, Landlock, seccomp (no job needed)."""
        os.setsid()
        lowlevel.set_pdeathsig(signal.SIGKILL)
        lowlevel.prctl(lowlevel.PR_SET_DUMPABLE, 0)  # /proc/<pid>/mem and friends closed to siblings
        keep_all = sorted(set(keep) | ({self.ruleset_fd} if self.ruleset_fd is not None else set()))
        lo = 3
        for fd in keep_all + [1 << 16]:
            if lo < fd:
                os.closerange(lo, fd)
            lo = fd + 1
        if self.ipc_per_sample:
            lowlevel.unshare(lowlevel.CLONE_NEWIPC)
        if self.drop_to is not None:
            os.setgroups([])
            os.setresgid(self.drop_to, self.drop_to, self.drop_to)
            os.setresuid(self.drop_to, self.drop_to, self.drop_to)
        lowlevel.drop_capabilities()
        lowlevel.no_new_privs()
        if self.ruleset_fd is not None:
            landlock.restrict_self(self.ruleset_fd)
            os.close(self.ruleset_fd)
        if self.layers["seccomp"] is True:
            self.filter.load_for_pid(os.getpid())

    def _probe_child(self) -> None:
        """Fork one locked-down child that tries what samples must not do; record what was stopped."""
        r, w = os.pipe()
        limits = {"cpu_rlimit": (5, 6), "memory_bytes": 1 << 30, "file_size_bytes": 1 << 20, "open_files": 64}
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.close(r)
                self._lock_down(limits, (w,))
                os.write(w, json.dumps(_attempts(self.scratch, self.host_file)).encode())
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
        self._end_scratch()
        self._prepare_scratch()
        try:
            self.layers["probe"] = json.loads(data or b"{}")
        except json.JSONDecodeError:
            self.layers["probe"] = {"setup_error": "no report"}

    def serve(self) -> None:
        _send_json(self.sock, {"layers": self.layers})
        while True:
            try:
                msg = _recv_json(self.sock)  # {"fork": 1} or {"run": 1}: nothing about the sample
            except (EOFError, OSError, ValueError):
                os._exit(0)
            try:
                self._one(handed=isinstance(msg, dict) and msg.get("run") == 1)
            except (BrokenPipeError, ConnectionError):
                os._exit(0)  # the judge is gone

    def _fork_child(self) -> _Child:
        """Fork a locked-down child that waits for its job on its request pipe (the first frame, written by
        the judge), then works in the scratch."""
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
                os.chdir(self.scratch)  # only now: the scratch made for this sample is in place
                _apply_limits(job["limits"], self.own_uid)
                child.serve(job["src"], job["entry_point"], job["mode"], req_r, resp_w)
            except EOFError:
                pass  # the judge went away before handing a job
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

    def _end_scratch(self) -> None:
        """After a sample: its scratch goes, however deep or full. With a private /tmp the tmpfs is moved out
        of sight and the one made ready is moved in (two cheap moves; should a move ever fail, a new tmpfs
        over whatever is there); else the folder is emptied (should that fail, a new folder instead)."""
        if self.tmp_root is not None:
            try:  # nothing beside the scratch, unless modes were changed
                if len(os.listdir(self.tmp_root)) != self.tmp_entries:
                    _clear_dir(self.tmp_root, keep={os.path.basename(self.scratch), os.path.basename(self.hidden)})
            except OSError:
                pass
            try:
                if _usage(self.scratch) != self.fresh_usage:
                    self.flush_bin = True  # it holds something: free it soon
                if not self.bin_ready:
                    raise OSError(2, "no bin")
                place = os.path.join(self.bin, str(self.binned))
                os.mkdir(place)
                lowlevel.mount(self.scratch, place, None, lowlevel.MS_MOVE)
                self.binned += 1
                if self.next_ready:
                    lowlevel.mount(os.path.join(self.hidden, "next"), self.scratch, None, lowlevel.MS_MOVE)
                else:
                    fsview.mount_scratch(self.scratch)
            except OSError:
                fsview.mount_scratch(self.scratch)
            self.next_ready = False
            return
        try:
            _clear_dir(self.scratch)
            if not os.listdir(self.scratch):
                return
        except OSError:
            pass
        self._fresh_scratch()

    def _prepare_scratch(self) -> None:
        """While a sample runs: unmount the earlier samples' tmpfs, make the next one ready (both hidden)."""
        if self.tmp_root is None:
            return
        if self.bin_ready and (self.flush_bin or self.binned >= _BIN_SAMPLES):
            try:
                lowlevel.umount(self.bin, lowlevel.MNT_DETACH)  # with every scratch moved into it
                self.bin_ready = False
            except OSError:
                pass
        if not self.bin_ready:
            try:
                lowlevel.mount("tmpfs", self.bin, "tmpfs", lowlevel.MS_NOSUID | lowlevel.MS_NODEV, fsview.BIN_OPTS)
                self.bin_ready, self.binned, self.flush_bin = True, 0, False
            except OSError:
                pass  # used scratches then stay where they are, covered by new ones
        if not self.next_ready:
            try:
                fsview.mount_scratch(os.path.join(self.hidden, "next"))
                self.next_ready = True
            except OSError:
                pass  # the next sample then gets one made at its start

    def _take_warm(self) -> _Child | None:
        """The waiting child, if it is still alive."""
        warm, self.warm = self.warm, None
        if warm is None:
            return None
        try:
            done, _ = os.waitpid(warm.pid, os.WNOHANG)
        except ChildProcessError:
            done = warm.pid
        if done == 0:
            return warm
        warm.close()
        return None

    def _one(self, handed: bool) -> None:
        """Run one sample: the child handed to the judge with the previous end (`handed`: the judge has sent
        it its job), or a waiting or fresh child whose pipes go to the judge now. Fork the next child while
        this one runs, then wait for it, clean up, report how it ended and hand over the next child."""
        pid, self.handed = self.handed, None
        if not handed or pid is None:
            if pid is not None:  # the judge did not use it
                self._kill(pid)
                _reap_all()
            if not self.prefork:
                self._check_own_limits()
            current = self._take_warm() or self._fork_child()
            self._scramble_pids()
            try:
                socket.send_fds(self.sock, [b"F"], current.fds())
            finally:
                current.close()
            pid = current.pid
        if self.prefork:
            self._check_own_limits()
            self.warm = self._fork_child()
        self._prepare_scratch()  # while the sample runs: off the critical path
        _, status, usage = os.wait4(pid, 0)
        self._kill_leftovers(pid)
        self._end_scratch()
        nxt = self._take_warm()
        _send_json(self.sock, {"status": status, "maxrss_kb": usage.ru_maxrss, "next": nxt is not None})
        if nxt is not None:
            self._scramble_pids()
            try:
                socket.send_fds(self.sock, [b"F"], nxt.fds())
            finally:
                nxt.close()
            self.handed = nxt.pid

    def _check_own_limits(self) -> None:
        """A sample that lowered this process's limits or priority (seccomp forbids it) would fail every later
        sample: restore them, and where that is impossible end this worker (the pool starts a fresh one)."""
        if _own_limits() == self.baseline:
            return
        _restore_limits(self.baseline)
        if _own_limits() != self.baseline:
            os._exit(70)

    def _scramble_pids(self) -> None:
        """The next pid number in this namespace from a random point (see `last_pid_fd`)."""
        if self.last_pid_fd is not None:
            try:
                os.pwrite(self.last_pid_fd, str(300 + secrets.randbelow(self.pid_span)).encode(), 0)
            except OSError:
                pass

    def _fresh_scratch(self) -> None:
        """A new scratch folder (without namespaces, where emptying the old one failed) and its ruleset."""
        if self.warm is not None:  # it was set up for the old scratch
            self._kill(self.warm.pid)
            self.warm.close()
            self.warm = None
            _reap_all()
        self.scratch = tempfile.mkdtemp(prefix="codexlab-scratch-", dir=os.path.dirname(self.scratch))
        os.chmod(self.scratch, 0o700)
        if self.drop_to is not None:
            os.chown(self.scratch, self.drop_to, self.drop_to)
        os.environ.update(HOME=self.scratch, TMPDIR=self.scratch)
        self._build_ruleset()

    @staticmethod
    def _kill(pid: int) -> None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def _kill_leftovers(self, pid: int) -> None:
        """Anything the sample left (nothing, where seccomp holds), sparing the next waiting child."""
        spare = {1, os.getpid()} | ({self.warm.pid} if self.warm is not None else set())
        if self.in_pidns and self.warm is None:
            try:
                os.kill(-1, signal.SIGKILL)  # as pid 1: everything else in this namespace
            except ProcessLookupError:
                pass
        elif self.in_pidns:
            for name in os.listdir(self.proc_fd if self.proc_fd is not None else "/proc"):
                if name.isdigit() and int(name) not in spare:
                    self._kill(int(name))
        else:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        reaped = _reap_all()
        if self.warm is not None and self.warm.pid in reaped:
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


_RLIMITS = sorted(v for k, v in vars(resource).items() if k.startswith("RLIMIT_") and isinstance(v, int))


def _own_limits() -> tuple[Any, ...]:
    """This process's rlimits, nice value and scheduling policy."""
    return (
        tuple(resource.getrlimit(r) for r in _RLIMITS),
        os.getpriority(os.PRIO_PROCESS, 0),
        os.sched_getscheduler(0),
    )


def _restore_limits(baseline: tuple[Any, ...]) -> None:
    limits, nice, policy = baseline
    for res, value in zip(_RLIMITS, limits, strict=True):
        try:
            resource.setrlimit(res, value)
        except (OSError, ValueError):
            pass
    try:
        os.sched_setscheduler(0, policy, os.sched_param(0))
    except OSError:
        pass
    try:
        os.setpriority(os.PRIO_PROCESS, 0, nice)
    except OSError:
        pass


def _apply_limits(limits: dict[str, Any], own_uid: bool = False) -> None:
    """This job's rlimits and CPU-time timer (lowering limits needs no privilege, even after seccomp), and the
    per-user kernel quotas a sample could otherwise drain for the host user: queued signals, locked memory,
    message queues and, where its uid is the sandbox's own, tasks (threads take pids from the host's space)."""
    soft, hard = limits["cpu_rlimit"]
    fixed: list[tuple[int, int | tuple[int, int]]] = [
        (resource.RLIMIT_CPU, (int(soft), int(hard))),
        (resource.RLIMIT_AS, int(limits["memory_bytes"])),
        (resource.RLIMIT_FSIZE, int(limits["file_size_bytes"])),
        (resource.RLIMIT_NOFILE, int(limits["open_files"])),
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_SIGPENDING, SAMPLE_SIGPENDING),
        (resource.RLIMIT_MEMLOCK, SAMPLE_MEMLOCK_BYTES),
        (resource.RLIMIT_MSGQUEUE, 0),
    ]
    if own_uid:
        fixed.append((resource.RLIMIT_NPROC, SAMPLE_TASKS))
    for res, value in fixed:
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


def _attempts(scratch: str, host_file: str) -> dict[str, str]:
    """Each forbidden action, tried from inside the sandbox: 'blocked: <errno>' or 'ALLOWED'. Each is harmless
    even where it is allowed (same mode, same limits, same priority, objects removed at once)."""
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

    def read_outside() -> None:
        # a host file the view does not show: codexlab's own package (which imports problem sets)
        with open(os.path.join(os.path.dirname(fsview.sandbox_dir()), "__init__.py"), "rb") as f:
            f.read(1)

    def fork() -> None:
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)

    def tcp() -> None:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.close()

    def unix() -> None:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.close()

    def write_scratch() -> None:
        with open(os.path.join(scratch, "probe"), "w") as f:
            f.write("x")

    def signal_parent() -> None:
        os.kill(os.getppid(), 0)

    def chmod_host() -> None:
        mode = stat.S_IMODE(os.stat(host_file).st_mode)
        os.chmod(host_file, mode)

    def prlimit_parent() -> None:
        ppid = os.getppid()
        resource.prlimit(ppid, resource.RLIMIT_NOFILE, resource.prlimit(ppid, resource.RLIMIT_NOFILE))

    def renice_parent() -> None:
        ppid = os.getppid()
        os.setpriority(os.PRIO_PROCESS, ppid, os.getpriority(os.PRIO_PROCESS, ppid))

    def sysv_shm() -> None:
        shmid = lowlevel.check(lowlevel.syscall(29, 0, 4096, 0o1600), "shmget")  # IPC_PRIVATE, IPC_CREAT|0600
        lowlevel.syscall(31, shmid, 0, None)  # IPC_RMID

    def memfd() -> None:
        os.close(os.memfd_create("codexlab-probe"))

    def flock() -> None:
        fd = os.open(os.__file__, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def procfs() -> None:
        os.stat("/proc/self/status")

    def evict_pages() -> None:
        fd = os.open(host_file, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)

    def new_mount_api() -> None:
        os.close(lowlevel.check(lowlevel.syscall(467, -100, b"/", 0, None, 0), "open_tree_attr"))

    def capabilities() -> None:
        if not lowlevel.effective_capabilities():
            raise PermissionError(1, "none held")

    attempt("write outside scratch", write_outside)
    attempt("read a host file outside the view", read_outside)
    attempt("fork", fork)
    attempt("exec", lambda: os.execv("/bin/true", ["/bin/true"]))
    attempt("inet socket", tcp)
    attempt("unix socket", unix)
    attempt("signal the parent", signal_parent)
    attempt("chmod a host file", chmod_host)
    attempt("prlimit the zygote", prlimit_parent)
    attempt("renice the zygote", renice_parent)
    attempt("SysV shared memory", sysv_shm)
    attempt("memfd", memfd)
    attempt("flock a host file", flock)
    attempt("open_tree_attr", new_mount_api)
    attempt("see procfs", procfs)
    attempt("evict a host file's cached pages", evict_pages)
    attempt("hold capabilities", capabilities)
    attempt("write in scratch", write_scratch)
    return results


def main() -> None:
    """Entry point: `python -I -c ... main()` with the socket fd in argv[1] and wanted layers in argv[2]."""
    lowlevel.set_pdeathsig(signal.SIGKILL)
    sock = socket.socket(fileno=int(sys.argv[1]))
    want = json.loads(sys.argv[2])
    Zygote(sock, want).serve()


def boot_code(code_root: str) -> str:
    """`python -I -c` code that starts a zygote importing only the sandbox package: codexlab and
    codexlab.execution become bare namespace modules, so their __init__ (which import problem sets) never
    runs here and nothing of them sits in the zygote's memory or needs to be visible in the view."""
    return (
        "import sys, types\n"
        f"root = {code_root!r}\n"
        "sys.path.insert(0, root)\n"
        "for name in ('codexlab', 'codexlab.execution'):\n"
        "    m = types.ModuleType(name)\n"
        "    m.__path__ = [root + '/' + name.replace('.', '/')]\n"
        "    sys.modules[name] = m\n"
        "from codexlab.execution.sandbox.zygote import main\n"
        "main()\n"
    )
