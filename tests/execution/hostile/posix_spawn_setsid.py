# ruff: noqa
# attack: posix_spawn with setsid to leave the process group
import os

os.posix_spawn("/bin/sleep", ["sleep", "1000", "codexlab-daemon-marker"], {}, setsid=True)


def add(a, b):
    return a + b
