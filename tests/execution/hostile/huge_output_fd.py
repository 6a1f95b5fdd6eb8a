# ruff: noqa
# expect: killed
# attack: flood fd 1 and 2 directly, bypassing Python buffering
import os


def add(a, b):
    while True:
        os.write(1, b"y" * 65536)
        os.write(2, b"z" * 65536)
