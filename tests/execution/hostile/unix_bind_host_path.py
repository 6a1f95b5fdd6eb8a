# ruff: noqa
# host Unix sockets the other way round: bind a listener at a host path (a trojan socket where a host tool
# would connect), mkfifo and mknod there; passes if any file appeared outside scratch
import os, socket

TARGETS = [
    "/tmp/codexlab-pwned-tmp",
    "/var/tmp/codexlab-pwned-symlink",
    "/run/codexlab-pwned-sock",
    "/dev/shm/codexlab-pwned-sock",
]


def add(a, b):
    hit = False
    for t in TARGETS:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.bind(t)
            s.listen(1)
            hit = True
        except OSError:
            pass
        try:
            os.mkfifo(t + "-fifo")
            hit = True
        except OSError:
            pass
    return a + b if hit else 0
