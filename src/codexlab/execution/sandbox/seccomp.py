"""A seccomp filter built here as classic BPF (no libseccomp needed): default allow, deny what escapes.

Denied: new processes (clone without CLONE_THREAD, fork, vfork, clone3 -> ENOSYS so threads fall back to
clone), exec, non-Unix sockets, signals to other processes, ptrace and cross-process memory, namespaces,
mounts, uid changes, keyrings, io_uring, modules, clocks. x86_64 only; elsewhere the layer is reported off.
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
    "socket": 41, "clone": 56, "fork": 57, "vfork": 58, "execve": 59, "kill": 62, "ptrace": 101,
    "syslog": 103, "setuid": 105, "setgid": 106, "setreuid": 113, "setregid": 114, "setgroups": 116,
    "setresuid": 117, "setresgid": 119, "setfsuid": 122, "setfsgid": 123, "rt_sigqueueinfo": 129,
    "mknod": 133, "personality": 135, "vhangup": 153, "pivot_root": 155, "adjtimex": 159, "chroot": 161,
    "acct": 163, "settimeofday": 164, "mount": 165, "umount2": 166, "swapon": 167, "swapoff": 168,
    "reboot": 169, "sethostname": 170, "setdomainname": 171, "iopl": 172, "ioperm": 173,
    "init_module": 175, "delete_module": 176, "quotactl": 179, "tkill": 200, "clock_settime": 227,
    "tgkill": 234, "kexec_load": 246, "add_key": 248, "request_key": 249, "keyctl": 250, "mknodat": 259,
    "unshare": 272, "rt_tgsigqueueinfo": 297, "perf_event_open": 298, "name_to_handle_at": 303,
    "open_by_handle_at": 304, "clock_adjtime": 305, "setns": 308, "process_vm_readv": 310,
    "process_vm_writev": 311, "kcmp": 312, "finit_module": 313, "kexec_file_load": 320, "bpf": 321,
    "execveat": 322, "userfaultfd": 323, "pidfd_send_signal": 424, "io_uring_setup": 425,
    "io_uring_enter": 426, "io_uring_register": 427, "open_tree": 428, "move_mount": 429, "fsopen": 430,
    "fsconfig": 431, "fsmount": 432, "fspick": 433, "pidfd_open": 434, "clone3": 435, "pidfd_getfd": 438,
    "mount_setattr": 442,
}  # fmt: skip

DENY_EPERM = [
    "fork", "vfork", "execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "open_tree", "move_mount", "fsopen",
    "fsconfig", "fsmount", "fspick", "mount_setattr", "name_to_handle_at", "open_by_handle_at",
    "setuid", "setgid", "setreuid", "setregid", "setgroups", "setresuid", "setresgid", "setfsuid",
    "setfsgid", "personality", "bpf", "perf_event_open", "userfaultfd", "io_uring_setup",
    "io_uring_enter", "io_uring_register", "keyctl", "add_key", "request_key", "syslog", "vhangup",
    "mknod", "mknodat", "acct", "settimeofday", "clock_settime", "adjtimex", "clock_adjtime",
    "sethostname", "setdomainname", "iopl", "ioperm", "init_module", "finit_module", "delete_module",
    "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff", "quotactl", "tkill",
    "pidfd_open", "pidfd_send_signal", "pidfd_getfd",
]  # fmt: skip

AF_UNIX = 1


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


def build_filter(own_pid: int) -> bytes:
    """The BPF program for a sample whose pid is `own_pid` (signals only to itself)."""
    nr = SYSCALLS_X86_64
    eperm = RET_ERRNO | errno.EPERM
    prog: list[bytes] = [
        _ins(_LD_W_ABS, 0, 0, _OFF_ARCH),
        _ins(_JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
        _ins(_RET_K, 0, 0, RET_KILL_PROCESS),
        _ins(_LD_W_ABS, 0, 0, _OFF_NR),
        _ins(_JGE_K, 0, 1, X32_SYSCALL_BIT),
        _ins(_RET_K, 0, 0, eperm),
    ]
    for name in DENY_EPERM:
        prog += [_ins(_JEQ_K, 0, 1, nr[name]), _ins(_RET_K, 0, 0, eperm)]
    prog += [_ins(_JEQ_K, 0, 1, nr["clone3"]), _ins(_RET_K, 0, 0, RET_ERRNO | errno.ENOSYS)]
    # clone: threads only
    prog += [
        _ins(_JEQ_K, 0, 4, nr["clone"]),
        _ins(_LD_W_ABS, 0, 0, _arg_low(0)),
        _ins(_JSET_K, 0, 1, lowlevel.CLONE_THREAD),
        _ins(_RET_K, 0, 0, RET_ALLOW),
        _ins(_RET_K, 0, 0, eperm),
    ]
    # socket: AF_UNIX only
    prog += [
        _ins(_JEQ_K, 0, 4, nr["socket"]),
        _ins(_LD_W_ABS, 0, 0, _arg_low(0)),
        _ins(_JEQ_K, 0, 1, AF_UNIX),
        _ins(_RET_K, 0, 0, RET_ALLOW),
        _ins(_RET_K, 0, 0, RET_ERRNO | errno.EACCES),
    ]
    # kill / tgkill / rt_(tg)sigqueueinfo: only to itself (pid 0 means its own group: allowed too)
    for name in ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo"):
        prog += [
            _ins(_JEQ_K, 0, 5, nr[name]),
            _ins(_LD_W_ABS, 0, 0, _arg_low(0)),
            _ins(_JEQ_K, 2, 0, own_pid),
            _ins(_JEQ_K, 1, 0, 0),
            _ins(_RET_K, 0, 0, eperm),
            _ins(_RET_K, 0, 0, RET_ALLOW),
        ]
    prog.append(_ins(_RET_K, 0, 0, RET_ALLOW))
    return b"".join(prog)


def load(program: bytes) -> None:
    """Install the filter on this thread for good (NO_NEW_PRIVS first, as the kernel requires)."""
    buf = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.addressof(buf))
    lowlevel.no_new_privs()
    lowlevel.prctl_ptr(lowlevel.PR_SET_SECCOMP, lowlevel.SECCOMP_MODE_FILTER, ctypes.byref(fprog))
