# ruff: noqa
# zygote crash / later samples: scratch entries the cleanup cannot enter or remove (mode 000 directories
# holding files, a directory without write permission, a sticky one), and scratch itself chmod 000 and
# given to another owner, so the next child cannot chdir into it or write there
import os


def add(a, b):
    for i in range(5):
        try:
            os.makedirs(f"locked{i}/inner/deeper")
            open(f"locked{i}/inner/deeper/f", "w").close()
            open(f"locked{i}/inner/g", "w").close()
            os.chmod(f"locked{i}/inner/deeper", 0o000)
            os.chmod(f"locked{i}/inner", 0o000 if i % 2 else 0o500)
            os.chmod(f"locked{i}", 0o1500 if i == 4 else 0o000)
        except OSError:
            pass
    for fn in (lambda: os.chown(".", 65534, 65534), lambda: os.chmod(".", 0o000)):
        try:
            fn()
        except OSError:
            pass
    return 0
