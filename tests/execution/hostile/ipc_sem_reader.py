# ruff: noqa
# after: ipc_sem_writer
# IPC (part 2): passes only if the earlier sample's semaphore is still there with its value
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
KEY = 0x0C0DE103


def add(a, b):
    s = libc.semget(KEY, 0, 0)
    if s >= 0 and libc.semctl(s, 0, 12) == 42:  # GETVAL
        return a + b
    return 0
