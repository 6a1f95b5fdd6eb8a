# ruff: noqa
# expect: timeout
# attack: correct answer, but only after the time limit
import time


def add(a, b):
    time.sleep(5)
    return a + b
