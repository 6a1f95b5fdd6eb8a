# ruff: noqa
# attack (part 2): look for another sample s secret anywhere; passes only if found
import glob, os, time


def find():
    pats = [
        "/tmp/*/codexlab-secret.txt",
        "/tmp/*/*/codexlab-secret.txt",
        "/var/tmp/*/codexlab-secret.txt",
        "/proc/*/cwd/codexlab-secret.txt",
        "/tmp/codexlab-scratch-*/codexlab-secret.txt",
    ]
    for p in pats:
        for h in glob.glob(p):
            try:
                if "4217" in open(h).read():
                    return True
            except OSError:
                pass
    return False


def add(a, b):
    for _ in range(4):
        if find():
            return a + b
        time.sleep(0.05)
    return 0
