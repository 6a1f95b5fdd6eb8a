"""Linux syscalls Python 3.11 lacks (unshare, prctl, mount, pivot_root, capset), through ctypes. Import only on
Linux."""

from __future__ import annotations

import ctypes
import os
import signal

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
CLONE_THREAD = 0x00010000
# every namespace flag clone() takes (CLONE_NEWTIME shares its bit with the exit signal there: clone3 only)
CLONE_NEW_ANY = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID
CLONE_NEW_ANY |= CLONE_NEWNET

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND = 1, 2, 4, 8, 32, 4096
MS_MOVE, MS_REC, MS_PRIVATE = 8192, 1 << 14, 1 << 18
MNT_DETACH = 2
SYS_PIVOT_ROOT, SYS_CAPGET, SYS_CAPSET = 155, 125, 126
_CAP_VERSION_3 = 0x20080522


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


def umount(target: str, flags: int = MNT_DETACH) -> None:
    check(_libc.umount2(target.encode(), ctypes.c_int(flags)), f"umount {target}")


def pivot_root(new_root: str, put_old: str) -> None:
    check(syscall(SYS_PIVOT_ROOT, new_root.encode(), put_old.encode()), "pivot_root")


def write_id_maps(pid: int, inside_uid_host: int, inside_gid_host: int, deny_setgroups: bool) -> None:
    """From the parent user namespace: map uid/gid 0 of `pid`'s new user namespace to these host ids (any ids
    for root; only its own for anyone else, and then setgroups must be denied first)."""
    if deny_setgroups:
        with open(f"/proc/{pid}/setgroups", "w") as f:
            f.write("deny")
    with open(f"/proc/{pid}/uid_map", "w") as f:
        f.write(f"0 {inside_uid_host} 1")
    with open(f"/proc/{pid}/gid_map", "w") as f:
        f.write(f"0 {inside_gid_host} 1")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_bounding_set() -> int:
    """Drop every capability from the bounding set (needs CAP_SETPCAP); returns how many were dropped."""
    try:
        with open("/proc/sys/kernel/cap_last_cap") as f:
            last = int(f.read())
    except (OSError, ValueError):
        last = 40
    for cap in range(last + 1):
        prctl(PR_CAPBSET_DROP, cap)
    return last + 1


# built once (a forked child then only makes the call)
_NO_CAPS_HEADER = _CapHeader(_CAP_VERSION_3, 0)
_NO_CAPS = (_CapData * 2)()
_NO_CAPS_ARGS = (ctypes.byref(_NO_CAPS_HEADER), ctypes.byref(_NO_CAPS))


def drop_capabilities() -> None:
    """Empty effective, permitted and inheritable sets (the ambient set empties with them) for good: without
    exec nothing regains them, and with NO_NEW_PRIVS not even exec could."""
    check(syscall(SYS_CAPSET, *_NO_CAPS_ARGS), "capset")


def effective_capabilities() -> int:
    """This process's effective capability set as a bit mask."""
    header = _CapHeader(_CAP_VERSION_3, 0)
    data = (_CapData * 2)()
    check(syscall(SYS_CAPGET, ctypes.byref(header), ctypes.byref(data)), "capget")
    return int(data[0].effective) | int(data[1].effective) << 32
