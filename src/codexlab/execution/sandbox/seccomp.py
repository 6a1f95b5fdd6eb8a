"""A seccomp filter built here as classic BPF (no libseccomp needed): default allow, deny what escapes or
reaches beyond the sample's own process.

Denied: new processes (clone without CLONE_THREAD or with a namespace flag, fork, vfork, clone3 -> ENOSYS so
threads fall back to clone), exec, every socket(), socketpair and new pipe (so no host Unix socket can be
connected to, and no pipe or socket inode number carries a message), connect and bind, signals to other
processes, ptrace and cross-process memory, namespaces, mounts (old and new mount API, open_tree_attr included), uid
changes, keyrings, io_uring, modules, clocks; file metadata changes (chmod, chown, utime, extended attributes,
inode flags and the ioctls that set them: only harmless ioctls pass); file locks and leases (flock, fcntl
locks, F_SETLEASE, F_SETOWN); SysV IPC and POSIX message queues; memfds; inotify (its instances count against
the host user's quota); Linux AIO, RWF_NOWAIT reads, mincore and move_pages (page-cache probes) and the
advice that evicts cached pages (fadvise DONTNEED/NOREUSE, madvise COLD/PAGEOUT); prlimit,
setpriority and the scheduler calls on any process but itself; and every syscall number newer than the newest
reviewed here (ENOSYS, as an older kernel would answer). x86_64 only; elsewhere the layer is reported off.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct

from codexlab.execution.sandbox import lowlevel

AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000

# BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_JGT_K = 0x25
_JA = 0x05
_JSET_K = 0x45
_RET_K = 0x06

RET_ALLOW = 0x7FFF0000
RET_KILL_PROCESS = 0x80000000
RET_ERRNO = 0x00050000

# offsets into struct seccomp_data
_OFF_NR, _OFF_ARCH = 0, 4


def _arg_low(i: int) -> int:
    return 16 + 8 * i  # low 32 bits of args[i] (little-endian)


SYSCALLS_X86_64 = {
    "ioctl": 16, "pipe": 22, "mincore": 27, "shmget": 29, "shmat": 30, "shmctl": 31, "socket": 41,
    "connect": 42, "bind": 49, "socketpair": 53, "clone": 56, "fork": 57, "vfork": 58, "execve": 59,
    "kill": 62, "semget": 64,
    "semop": 65, "semctl": 66, "shmdt": 67, "msgget": 68, "msgsnd": 69, "msgrcv": 70, "msgctl": 71,
    "fcntl": 72, "flock": 73, "chmod": 90, "fchmod": 91, "chown": 92, "fchown": 93, "lchown": 94,
    "ptrace": 101, "syslog": 103, "setuid": 105, "setgid": 106, "setreuid": 113, "setregid": 114,
    "setgroups": 116, "setresuid": 117, "setresgid": 119, "setfsuid": 122, "setfsgid": 123,
    "rt_sigqueueinfo": 129, "utime": 132, "mknod": 133, "uselib": 134, "personality": 135, "ustat": 136,
    "sysfs": 139, "setpriority": 141, "sched_setparam": 142, "sched_setscheduler": 144, "vhangup": 153,
    "modify_ldt": 154, "pivot_root": 155, "_sysctl": 156, "adjtimex": 159, "chroot": 161, "sync": 162,
    "acct": 163, "settimeofday": 164, "mount": 165, "umount2": 166, "swapon": 167, "swapoff": 168,
    "reboot": 169, "sethostname": 170, "setdomainname": 171, "iopl": 172, "ioperm": 173,
    "init_module": 175, "delete_module": 176, "quotactl": 179, "nfsservctl": 180, "setxattr": 188,
    "lsetxattr": 189, "fsetxattr": 190, "removexattr": 197, "lremovexattr": 198, "fremovexattr": 199,
    "tkill": 200, "futex": 202, "fadvise64": 221, "madvise": 28,
    "sched_setaffinity": 203, "lookup_dcookie": 212, "semtimedop": 220,
    "clock_settime": 227, "tgkill": 234, "utimes": 235, "mq_open": 240, "mq_unlink": 241,
    "mq_timedsend": 242, "mq_timedreceive": 243, "mq_notify": 244, "mq_getsetattr": 245, "kexec_load": 246,
    "io_setup": 206, "io_destroy": 207, "io_getevents": 208, "io_submit": 209, "io_cancel": 210,
    "inotify_init": 253, "inotify_add_watch": 254, "pipe2": 293, "inotify_init1": 294, "preadv2": 327,
    "pwritev2": 328,
    "io_pgetevents": 333,
    "add_key": 248, "request_key": 249, "keyctl": 250, "ioprio_set": 251, "migrate_pages": 256,
    "mknodat": 259, "fchownat": 260, "futimesat": 261, "fchmodat": 268, "unshare": 272, "move_pages": 279,
    "utimensat": 280, "rt_tgsigqueueinfo": 297, "perf_event_open": 298, "fanotify_init": 300,
    "fanotify_mark": 301, "prlimit64": 302, "name_to_handle_at": 303, "open_by_handle_at": 304,
    "clock_adjtime": 305, "syncfs": 306, "setns": 308, "process_vm_readv": 310, "process_vm_writev": 311,
    "kcmp": 312, "finit_module": 313, "sched_setattr": 314, "memfd_create": 319, "kexec_file_load": 320,
    "bpf": 321, "execveat": 322, "userfaultfd": 323, "pidfd_send_signal": 424, "io_uring_setup": 425,
    "io_uring_enter": 426, "io_uring_register": 427, "open_tree": 428, "move_mount": 429, "fsopen": 430,
    "fsconfig": 431, "fsmount": 432, "fspick": 433, "pidfd_open": 434, "clone3": 435, "pidfd_getfd": 438,
    "process_madvise": 440, "mount_setattr": 442, "quotactl_fd": 443, "memfd_secret": 447,
    "process_mrelease": 448, "cachestat": 451, "fchmodat2": 452, "statmount": 457, "listmount": 458,
    "lsm_set_self_attr": 460, "setxattrat": 463, "removexattrat": 466, "open_tree_attr": 467,
    "file_setattr": 469,
}  # fmt: skip

# Every number from here on is newer than this filter (6.17's file_setattr is 469): ENOSYS, so a sample cannot
# reach a syscall nobody reviewed for it
FIRST_UNREVIEWED = 470

DENY_EPERM = [
    "fork", "vfork", "execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "open_tree", "open_tree_attr",
    "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "statmount", "listmount",
    "name_to_handle_at", "open_by_handle_at",
    "setuid", "setgid", "setreuid", "setregid", "setgroups", "setresuid", "setresgid", "setfsuid",
    "setfsgid", "personality", "bpf", "perf_event_open", "userfaultfd", "io_uring_setup",
    "io_uring_enter", "io_uring_register", "keyctl", "add_key", "request_key", "syslog", "vhangup",
    "mknod", "mknodat", "acct", "settimeofday", "clock_settime", "adjtimex", "clock_adjtime",
    "sethostname", "setdomainname", "iopl", "ioperm", "init_module", "finit_module", "delete_module",
    "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff", "quotactl", "quotactl_fd", "tkill",
    "pidfd_open", "pidfd_send_signal", "pidfd_getfd", "process_madvise", "process_mrelease",
    "modify_ldt", "uselib", "ustat", "sysfs", "_sysctl", "nfsservctl", "lookup_dcookie",
    "fanotify_init", "fanotify_mark", "lsm_set_self_attr", "sync", "syncfs", "cachestat",
    # metadata of files (on the host's, the kernel already refuses: read-only view, unprivileged uid)
    "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat", "utime",
    "utimes", "futimesat", "utimensat", "setxattr", "lsetxattr", "fsetxattr", "setxattrat", "removexattr",
    "lremovexattr", "fremovexattr", "removexattrat", "file_setattr",
    # locks a host process could wait on
    "flock",
    # memory outside the address-space limit, state that outlives a sample
    "memfd_create", "memfd_secret", "shmget", "shmat", "shmctl", "shmdt", "semget", "semop", "semctl",
    "semtimedop", "msgget", "msgsnd", "msgrcv", "msgctl", "mq_open", "mq_unlink", "mq_timedsend",
    "mq_timedreceive", "mq_notify", "mq_getsetattr",
    # other processes' priority and I/O class; pages' residency and placement (mincore, move_pages: after the
    # kernel's fault-around they tell which pages of a shared host file are cached, a channel between samples)
    "ioprio_set", "migrate_pages", "mincore", "move_pages",
    # per-user kernel quotas charged to the host user through the user namespace (inotify instances and
    # watches); Linux AIO (whose RWF_NOWAIT reads tell which pages of a host file are cached)
    "inotify_init", "inotify_init1", "inotify_add_watch", "io_setup", "io_destroy", "io_getevents",
    "io_submit", "io_cancel", "io_pgetevents",
    # no socket of any family, no socketpair, no new pipe (a sample has its own pipes to the judge): each new
    # pipe or socket takes an inode number from a global counter a later sample could read a message from
    "connect", "bind", "socketpair", "pipe", "pipe2",
]  # fmt: skip

# calls that act on a process given by arg 0: allowed only on itself (0 or its own pid)
SELF_ONLY = [
    "kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "prlimit64", "sched_setparam",
    "sched_setscheduler", "sched_setaffinity", "sched_setattr",
]  # fmt: skip

# fcntl commands denied: record locks (POSIX and open-file-description), leases, signal-driven I/O owners,
# pipe resizing (pipe buffers count against a per-user quota of the host user's)
F_SETLK, F_SETLKW, F_SETOWN, F_SETSIG, F_SETOWN_EX = 6, 7, 8, 10, 15
F_OFD_SETLK, F_OFD_SETLKW, F_SETLEASE, F_SETPIPE_SZ = 37, 38, 1024, 1031
FCNTL_DENIED = [F_SETLK, F_SETLKW, F_SETOWN, F_SETSIG, F_SETOWN_EX, F_OFD_SETLK, F_OFD_SETLKW, F_SETLEASE]
FCNTL_DENIED.append(F_SETPIPE_SZ)
# the only ioctls allowed (everything else is ENOTTY: not a terminal, not supported): what Python and libc
# use on pipes and terminals. FS_IOC_SETFLAGS (chattr), FS_IOC_FSSETXATTR, TIOCSTI and device ioctls fail.
IOCTL_ALLOWED = [
    0x5401,  # TCGETS (isatty)
    0x540F,  # TIOCGPGRP
    0x5413,  # TIOCGWINSZ
    0x541B,  # FIONREAD
    0x5421,  # FIONBIO
    0x5450,  # FIONCLEX
    0x5451,  # FIOCLEX
]
PRIO_PROCESS = 0
RWF_NOWAIT = 0x8
# advice that drops a shared file's pages from the page cache (or ages them out): a sample that evicts pages of
# a host file a later sample then times or faults in (ru_majflt) writes to it through the page cache
POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE = 4, 5
MADV_COLD, MADV_PAGEOUT = 20, 21


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def supported() -> bool:
    return platform.machine() in ("x86_64", "AMD64")


def _ins(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("<HBBI", code, jt, jf, k & 0xFFFFFFFF)


class Filter:
    """The program built once per worker, in a ready ctypes buffer; `load_for_pid` patches in the sample's
    own pid and installs it, so a child pays one prctl and a few bytes of copy-on-write."""

    _PLACEHOLDER = 0x7FFFFFFE

    def __init__(self) -> None:
        program = build_filter(self._PLACEHOLDER)
        marker = struct.pack("<I", self._PLACEHOLDER)
        self.pid_slots = [i + 4 for i in range(0, len(program), 8) if program[i + 4 : i + 8] == marker]
        self.buf = ctypes.create_string_buffer(program, len(program))
        self.fprog = _SockFprog(len(program) // 8, ctypes.addressof(self.buf))
        self.fprog_ref = ctypes.byref(self.fprog)
        self.view = memoryview(self.buf).cast("B")

    def load_for_pid(self, pid: int) -> None:
        for off in self.pid_slots:
            struct.pack_into("<I", self.view, off, pid)
        lowlevel.no_new_privs()
        lowlevel.prctl_ptr(lowlevel.PR_SET_SECCOMP, lowlevel.SECCOMP_MODE_FILTER, self.fprog_ref)


def _one_of(nr: int, arg: int, values: list[int], if_in: int, otherwise: int) -> list[bytes]:
    """If the syscall is `nr`: return `if_in` when the low 32 bits of args[arg] are one of `values`, else
    `otherwise`; any other syscall falls through (the accumulator still holds its number)."""
    n = len(values)
    prog = [_ins(_JEQ_K, 0, n + 3, nr), _ins(_LD_W_ABS, 0, 0, _arg_low(arg))]
    prog += [_ins(_JEQ_K, n - i, 0, v) for i, v in enumerate(values)]
    return prog + [_ins(_RET_K, 0, 0, otherwise), _ins(_RET_K, 0, 0, if_in)]


def _deny_block(numbers: list[int], ret: int) -> list[bytes]:
    """Return `ret` for any syscall in `numbers` (sorted), else fall through: runs of three or more consecutive
    numbers as one range test, every test jumping to one shared return per chunk. The kernel prepares (and
    JIT-compiles) the program once per sample, at a cost that grows with its length: kept short."""
    tests: list[tuple[int, int]] = []  # (lo, hi) ranges, lo == hi for single numbers
    for n in numbers:
        if tests and n == tests[-1][1] + 1:
            tests[-1] = (tests[-1][0], n)
        else:
            tests.append((n, n))
    items: list[tuple[int, int]] = []
    for lo, hi in tests:
        items += [(lo, hi)] if hi - lo >= 2 else [(x, x) for x in range(lo, hi + 1)]
    prog: list[bytes] = []
    while items:
        chunk: list[tuple[int, int]] = []
        size = 0
        while items and size + (1 if items[0][0] == items[0][1] else 2) <= 200:
            lo, hi = items.pop(0)
            chunk.append((lo, hi))
            size += 1 if lo == hi else 2
        ret_at = size + 1  # after the tests and one jump over the return
        pos = 0
        for lo, hi in chunk:
            if lo == hi:
                prog.append(_ins(_JEQ_K, ret_at - pos - 1, 0, lo))
                pos += 1
            else:
                prog.append(_ins(_JGE_K, 0, 1, lo))
                prog.append(_ins(_JGT_K, 0, ret_at - pos - 2, hi))
                pos += 2
        prog += [_ins(_JA, 0, 0, 1), _ins(_RET_K, 0, 0, ret)]
    return prog


def build_filter(own_pid: int) -> bytes:
    """The BPF program for a sample whose pid is `own_pid` (signals, limits, priority only to itself)."""
    nr = SYSCALLS_X86_64
    eperm = RET_ERRNO | errno.EPERM
    prog: list[bytes] = [
        _ins(_LD_W_ABS, 0, 0, _OFF_ARCH),
        _ins(_JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
        _ins(_RET_K, 0, 0, RET_KILL_PROCESS),
        _ins(_LD_W_ABS, 0, 0, _OFF_NR),
        _ins(_JGE_K, 0, 1, X32_SYSCALL_BIT),
        _ins(_RET_K, 0, 0, eperm),
        _ins(_JGE_K, 0, 1, FIRST_UNREVIEWED),
        _ins(_RET_K, 0, 0, RET_ERRNO | errno.ENOSYS),
        # fast path: read, write, open, close, stat, poll, lseek, mmap, mprotect, munmap, brk, signals (0-15)
        # and futex, the calls a computing sample makes most
        _ins(_JGE_K, 1, 0, 16),
        _ins(_RET_K, 0, 0, RET_ALLOW),
        _ins(_JEQ_K, 0, 1, nr["futex"]),
        _ins(_RET_K, 0, 0, RET_ALLOW),
    ]
    prog += _deny_block(sorted({nr[name] for name in DENY_EPERM}), eperm)
    prog += [_ins(_JEQ_K, 0, 1, nr["clone3"]), _ins(_RET_K, 0, 0, RET_ERRNO | errno.ENOSYS)]
    prog += [_ins(_JEQ_K, 0, 1, nr["socket"]), _ins(_RET_K, 0, 0, RET_ERRNO | errno.EACCES)]
    # clone: threads only, and no new namespace with them
    prog += [
        _ins(_JEQ_K, 0, 5, nr["clone"]),
        _ins(_LD_W_ABS, 0, 0, _arg_low(0)),
        _ins(_JSET_K, 2, 0, lowlevel.CLONE_NEW_ANY),
        _ins(_JSET_K, 0, 1, lowlevel.CLONE_THREAD),
        _ins(_RET_K, 0, 0, RET_ALLOW),
        _ins(_RET_K, 0, 0, eperm),
    ]
    # signals, rlimits, scheduling: only to itself (pid 0 means itself, or its own group: only itself too)
    for name in SELF_ONLY:
        prog += _one_of(nr[name], 0, [own_pid, 0], RET_ALLOW, eperm)
    # setpriority: PRIO_PROCESS of itself only (not its group, not its user, which the zygote shares)
    prog += [
        _ins(_JEQ_K, 0, 7, nr["setpriority"]),
        _ins(_LD_W_ABS, 0, 0, _arg_low(0)),
        _ins(_JEQ_K, 0, 3, PRIO_PROCESS),
        _ins(_LD_W_ABS, 0, 0, _arg_low(1)),
        _ins(_JEQ_K, 2, 0, own_pid),
        _ins(_JEQ_K, 1, 0, 0),
        _ins(_RET_K, 0, 0, eperm),
        _ins(_RET_K, 0, 0, RET_ALLOW),
    ]
    # preadv2/pwritev2 with RWF_NOWAIT: which pages of a shared file are cached, a channel between samples
    for name in ("preadv2", "pwritev2"):
        prog += [
            _ins(_JEQ_K, 0, 4, nr[name]),
            _ins(_LD_W_ABS, 0, 0, _arg_low(5)),
            _ins(_JSET_K, 0, 1, RWF_NOWAIT),
            _ins(_RET_K, 0, 0, RET_ERRNO | errno.EOPNOTSUPP),
            _ins(_RET_K, 0, 0, RET_ALLOW),
        ]
    prog += _one_of(nr["fcntl"], 1, FCNTL_DENIED, eperm, RET_ALLOW)
    prog += _one_of(nr["fadvise64"], 3, [POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE], eperm, RET_ALLOW)
    prog += _one_of(nr["madvise"], 2, [MADV_COLD, MADV_PAGEOUT], eperm, RET_ALLOW)
    prog += _one_of(nr["ioctl"], 1, IOCTL_ALLOWED, RET_ALLOW, RET_ERRNO | errno.ENOTTY)
    prog.append(_ins(_RET_K, 0, 0, RET_ALLOW))
    return b"".join(prog)


def load(program: bytes) -> None:
    """Install the filter on this thread for good (NO_NEW_PRIVS first, as the kernel requires)."""
    buf = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.addressof(buf))
    lowlevel.no_new_privs()
    lowlevel.prctl_ptr(lowlevel.PR_SET_SECCOMP, lowlevel.SECCOMP_MODE_FILTER, ctypes.byref(fprog))
