# ruff: noqa
# IPC through raw syscalls and their x32 numbers: shmget (29), semget (64), msgget (68), mq_open (240),
# each creating an object with a fixed key or name that a later sample (or the host) would find, and the
# keys the writer/reader pairs use; passes if any object was created or found
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
IPC_CREAT = 0o1000


def add(a, b):
    hit = False
    for base in (0, 0x40000000):
        if libc.syscall(base | 29, 0x0C0DE201, 4096, IPC_CREAT | 0o666) >= 0:
            hit = True
        if libc.syscall(base | 64, 0x0C0DE202, 1, IPC_CREAT | 0o666) >= 0:
            hit = True
        if libc.syscall(base | 68, 0x0C0DE203, IPC_CREAT | 0o666) >= 0:
            hit = True
        if libc.syscall(base | 240, b"codexlab-mq-raw", 0o100 | 0o2, 0o666, None) >= 0:
            hit = True
        for key in (0x0C0DE101, 0x0C0DE102, 0x0C0DE103):  # left by an earlier sample?
            for nr in (29, 64, 68):
                if libc.syscall(base | nr, key, 0, 0) >= 0:
                    hit = True
    return a + b if hit else 0
