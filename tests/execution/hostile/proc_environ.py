# ruff: noqa
# attack: read other processes memory maps and environments via /proc; passes if any test text is found
import os


def add(a, b):
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        for name in ("environ", "cmdline", "mem"):
            try:
                with open(f"/proc/{pid}/{name}", "rb") as f:
                    if b"candidate" in f.read(1 << 20):
                        return a + b
            except (OSError, ValueError):
                pass
    return 0
