# ruff: noqa
# IPC (part 1): a SysV semaphore set outlives the sample; its value carries a bit to the next sample
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
KEY = 0x0C0DE103


def add(a, b):
    s = libc.semget(KEY, 1, 0o1000 | 0o666)
    if s >= 0:
        libc.semctl(s, 0, 16, ctypes.c_int(42))  # SETVAL
    return 0
