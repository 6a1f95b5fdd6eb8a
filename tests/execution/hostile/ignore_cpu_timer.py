# ruff: noqa
# expect: timeout
# attack: ignore SIGPROF and disarm the CPU-time timer, then loop (the wall-clock limit must still end it)
import signal

signal.signal(signal.SIGPROF, signal.SIG_IGN)
signal.setitimer(signal.ITIMER_PROF, 0)


def add(a, b):
    while True:
        pass
