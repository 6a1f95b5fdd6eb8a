# ruff: noqa
# the mount API through raw syscalls the filter may not know: open_tree (428), open_tree_attr (467),
# fsopen (430), fspick (433), fsmount (432), move_mount (429), mount_setattr (442), statmount (457) and
# listmount (458), mount (165), and the x32 numbers; passes if any of them returned a descriptor or success
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD, OPEN_TREE_CLONE, AT_RECURSIVE = -100, 1, 0x8000


class MountAttr(ctypes.Structure):
    _fields_ = [
        ("set", ctypes.c_uint64),
        ("clr", ctypes.c_uint64),
        ("prop", ctypes.c_uint64),
        ("userns", ctypes.c_uint64),
    ]


class MntIdReq(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_uint32),
        ("spare", ctypes.c_uint32),
        ("mnt_id", ctypes.c_uint64),
        ("param", ctypes.c_uint64),
    ]


def add(a, b):
    hit = False
    attr = MountAttr(0, 1, 0, 0)  # clear MOUNT_ATTR_RDONLY
    req = MntIdReq(24, 0, 0xFFFFFFFFFFFFFFFF, 0)  # LSMT_ROOT
    ids = (ctypes.c_uint64 * 64)()
    buf = ctypes.create_string_buffer(4096)
    calls = [
        (428, AT_FDCWD, b"/", OPEN_TREE_CLONE | AT_RECURSIVE),
        (467, AT_FDCWD, b"/", OPEN_TREE_CLONE | AT_RECURSIVE, ctypes.byref(attr), ctypes.sizeof(attr)),
        (467, AT_FDCWD, b"/tmp", OPEN_TREE_CLONE, None, 0),
        (430, b"tmpfs", 0),
        (430, b"proc", 0),
        (433, AT_FDCWD, b"/", 0),
        (442, AT_FDCWD, b"/", AT_RECURSIVE, ctypes.byref(attr), ctypes.sizeof(attr)),
        (458, ctypes.byref(req), ids, 64, 0),
        (457, ctypes.byref(req), buf, 4096, 0),
        (165, b"none", b"/tmp", b"tmpfs", 0, None),
    ]
    for nr, *args in calls:
        for base in (0, 0x40000000):
            r = libc.syscall(base | nr, *args)
            if r >= 0:
                hit = True
                if nr == 430:
                    libc.syscall(431, r, 6, None, None, 0)  # fsconfig(FSCONFIG_CMD_CREATE)
                    if libc.syscall(432, r, 0, 0) >= 0:
                        hit = True
                if nr in (428, 467):
                    libc.syscall(429, r, b"", AT_FDCWD, b"/tmp", 4)  # move_mount(MOVE_MOUNT_F_EMPTY_PATH)
    return a + b if hit else 0
