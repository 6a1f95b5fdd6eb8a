"""Landlock: reads only beneath the paths the filesystem view shows, writes only in the scratch dir, no TCP,
signals and abstract Unix sockets scoped to the sandbox.

The ruleset is built once per worker (`build_ruleset`) and each sample's process only calls
`restrict_self(fd)`, which costs one syscall.
"""

from __future__ import annotations

import ctypes
import os

from codexlab.execution.sandbox import lowlevel

SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
RULE_PATH_BENEATH = 1

FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1, 2, 4, 8
FS_ALL_V1 = (1 << 13) - 1
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1, 2
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1, 2
_FILE_ONLY = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def abi_version() -> int:
    """The kernel's Landlock ABI (0 when unavailable or disabled)."""
    ret = lowlevel.syscall(SYS_CREATE_RULESET, None, 0, 1)
    return ret if ret > 0 else 0


def build_ruleset(
    write_paths: tuple[str, ...],
    abi: int,
    read_paths: tuple[str, ...] = ("/",),
    list_paths: tuple[str, ...] = (),
) -> int:
    """A ruleset fd: files readable (and executable) only beneath `read_paths`, folders listable beneath
    those and `list_paths` (names only, no content), everything allowed beneath `write_paths`."""
    if abi < 1:
        raise OSError(38, "Landlock is not available")
    fs = FS_ALL_V1
    fs |= FS_REFER if abi >= 2 else 0
    fs |= FS_TRUNCATE if abi >= 3 else 0
    fs |= FS_IOCTL_DEV if abi >= 5 else 0
    net = NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0
    scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0
    attr = _RulesetAttr(fs, net, scoped)
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    rfd = lowlevel.check(lowlevel.syscall(SYS_CREATE_RULESET, ctypes.byref(attr), size, 0), "landlock_create_ruleset")
    try:
        rules = [(p, FS_READ_DIR) for p in list_paths]
        rules += [(p, FS_EXECUTE | FS_READ_FILE | FS_READ_DIR) for p in read_paths]
        rules += [(p, fs) for p in write_paths]
        for path, access in rules:
            try:
                pfd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except (FileNotFoundError, PermissionError):
                continue  # gone since the plan was made, or out of this process's reach: nothing to allow
            try:
                if not os.path.isdir(path):
                    access &= _FILE_ONLY
                if not access:
                    continue
                rule = _PathBeneath(access, pfd)
                lowlevel.check(
                    lowlevel.syscall(SYS_ADD_RULE, rfd, RULE_PATH_BENEATH, ctypes.byref(rule), 0), "landlock_add_rule"
                )
            finally:
                os.close(pfd)
    except BaseException:
        os.close(rfd)
        raise
    return rfd


def restrict_self(ruleset_fd: int) -> None:
    """Enter the ruleset's domain for good (sets NO_NEW_PRIVS first, as the kernel requires)."""
    lowlevel.no_new_privs()
    lowlevel.check(lowlevel.syscall(SYS_RESTRICT_SELF, ruleset_fd, 0), "landlock_restrict_self")
