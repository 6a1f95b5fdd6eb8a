# ruff: noqa
# expect: timeout
# attack: sleep instead of spinning (no CPU used, wall clock only)
import time


def add(a, b):
    time.sleep(1000)
    return a + b
