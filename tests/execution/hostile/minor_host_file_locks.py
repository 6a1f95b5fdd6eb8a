# ruff: noqa
# locks on host files: flock (143), POSIX lockf, an OFD lock, and a read lease (F_SETLEASE: the host's
# next open() for writing then blocks for up to lease-break-time) on victims and the interpreter, held for
# a while; passes if any lock or lease was taken
import fcntl, glob, os, sys, time

TARGETS = glob.glob("/var/tmp/codexlab-victims-*/*.txt") + glob.glob("/tmp/codexlab-sentinel-*/*.txt")
TARGETS += [os.path.realpath(sys.executable), os.__file__]
F_SETLEASE, F_OFD_SETLK = 1024, 37


def add(a, b):
    hit = False
    fds = []
    for t in TARGETS:
        try:
            fd = os.open(t, os.O_RDONLY)
        except OSError:
            continue
        fds.append(fd)
        for fn in (
            lambda: fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB),
            lambda: fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB),
            lambda: fcntl.fcntl(fd, F_SETLEASE, fcntl.F_RDLCK),
        ):
            try:
                fn()
                hit = True
            except OSError:
                pass
        try:
            fd2 = os.open(t, os.O_RDONLY)
            fds.append(fd2)
            import struct

            fcntl.fcntl(fd2, F_OFD_SETLK, struct.pack("hhqqi", fcntl.F_RDLCK, 0, 0, 0, 0))
            hit = True
        except OSError:
            pass
    if hit:
        time.sleep(0.6)  # hold them while the host works
    return a + b if hit else 0
