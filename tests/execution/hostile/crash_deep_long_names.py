# ruff: noqa
# zygote crash: 2,000 levels of 255-character names (paths of ~500 KB: anything that joins paths fails with
# ENAMETOOLONG), a file at the bottom, and a second deep branch, to break path-based and recursive cleanup
import os

NAME = "n" * 255


def add(a, b):
    top = os.open(".", os.O_RDONLY)
    for branch in ("a", "b"):
        os.fchdir(top)
        try:
            os.mkdir(branch)
            os.chdir(branch)
            for _ in range(2000 if branch == "a" else 1100):
                os.mkdir(NAME)
                os.chdir(NAME)
            with open("bottom", "w") as f:
                f.write("x")
        except OSError:
            pass
    return 0
