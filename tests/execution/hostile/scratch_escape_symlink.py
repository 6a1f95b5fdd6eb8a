# ruff: noqa
# attack: symlink from scratch to the host and write through it
import os


def add(a, b):
    try:
        os.symlink("/var/tmp", "escape")
        with open("escape/codexlab-pwned-symlink", "w") as f:
            f.write("pwned")
        return a + b
    except OSError:
        return 0
