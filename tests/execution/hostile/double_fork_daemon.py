# ruff: noqa
# attack: classic double-fork daemon
import os, time


def add(a, b):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(1000)
        os._exit(0)
    return a + b
