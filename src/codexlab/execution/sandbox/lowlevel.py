"""Linux syscalls Python 3.11 lacks (unshare, prctl, mount), through ctypes. Import only on Linux."""

from __future__ import annotations

import ctypes
import os
import signal

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
CLONE_THREAD = 0x00010000

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2

MS_NOSUID, MS_NODEV, MS_NOEXEC = 2, 4, 8
MS_REC, MS_PRIVATE = 1 << 14, 1 << 18


def check(ret: int, what: str) -> int:
    """Turn a -1 return into OSError with errno, the way os functions behave."""
    if ret < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")
    return ret


def syscall(number: int, *args: object) -> int:
    return int(_libc.syscall(number, *args))


def unshare(flags: int) -> None:
    check(_libc.unshare(ctypes.c_int(flags)), "unshare")


def prctl(option: int, arg2: int = 0, arg3: int = 0) -> int:
    return check(
        _libc.prctl(option, ctypes.c_ulong(arg2), ctypes.c_ulong(arg3), ctypes.c_ulong(0), ctypes.c_ulong(0)), "prctl"
    )


def prctl_ptr(option: int, arg2: int, ptr: object) -> int:
    return check(_libc.prctl(option, ctypes.c_ulong(arg2), ptr, ctypes.c_ulong(0), ctypes.c_ulong(0)), "prctl")


def set_pdeathsig(sig: int = signal.SIGKILL) -> None:
    """Die when the parent thread dies (reaches only this process, not its descendants)."""
    prctl(PR_SET_PDEATHSIG, sig)


def no_new_privs() -> None:
    """No setuid gains from here on; required for unprivileged seccomp and Landlock."""
    prctl(PR_SET_NO_NEW_PRIVS, 1)


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    check(
        _libc.mount(
            source.encode() if source else None,
            target.encode(),
            fstype.encode() if fstype else None,
            ctypes.c_ulong(flags),
            data.encode() if data else None,
        ),
        f"mount {target}",
    )


def enter_user_and_net_namespace() -> None:
    """A new user namespace (this uid mapped to root inside) and an empty network namespace."""
    uid, gid = os.getuid(), os.getgid()
    unshare(CLONE_NEWUSER | CLONE_NEWNET)
    with open("/proc/self/setgroups", "w") as f:
        f.write("deny")
    with open("/proc/self/uid_map", "w") as f:
        f.write(f"0 {uid} 1")
    with open("/proc/self/gid_map", "w") as f:
        f.write(f"0 {gid} 1")
