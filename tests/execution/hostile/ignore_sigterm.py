# ruff: noqa
# expect: timeout
# attack: ignore every catchable signal, then loop
import signal

for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU, signal.SIGALRM):
    signal.signal(s, signal.SIG_IGN)


def add(a, b):
    while True:
        pass
