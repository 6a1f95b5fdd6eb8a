# ruff: noqa
# attack: new namespaces or mounts through libc
import ctypes

libc = ctypes.CDLL(None, use_errno=True)


def add(a, b):
    if libc.unshare(0x10000000) == 0 or libc.mount(b"none", b"/tmp", b"tmpfs", 0, None) == 0:
        return a + b
    return 0
