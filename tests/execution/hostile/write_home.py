# ruff: noqa
# attack: write into root home; passes only if the write worked
import os


def add(a, b):
    try:
        with open("/root/codexlab-pwned-home", "w") as f:
            f.write("pwned")
        return a + b
    except OSError:
        return 0
