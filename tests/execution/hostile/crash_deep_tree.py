# ruff: noqa
# zygote crash: a 1,500-level directory tree in scratch (mkdir + chdir, so no path is ever long); a
# recursive cleanup raises RecursionError and the worker dies ("sandbox failure: EOFError")
import os


def add(a, b):
    try:
        for _ in range(1500):
            os.mkdir("d")
            os.chdir("d")
    except OSError:
        pass
    return 0
