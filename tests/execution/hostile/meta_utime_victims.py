# ruff: noqa
# host metadata: set the times of host files (same values, then an old mtime on a victim), through
# utime(path), utime(fd) on a read-only descriptor, and utime(/proc/self/exe); passes if any worked
import glob, os, sys

VICTIMS = glob.glob("/var/tmp/codexlab-victims-*/*") + glob.glob("/tmp/codexlab-sentinel-*/*")
VICTIMS += ["/proc/self/exe", os.path.realpath(sys.executable), os.__file__]


def add(a, b):
    hit = False
    for v in VICTIMS:
        try:
            st = os.stat(v)
        except OSError:
            continue
        try:
            os.utime(v, ns=(st.st_atime_ns, st.st_mtime_ns))
            hit = True
        except OSError:
            pass
        try:
            fd = os.open(v, os.O_RDONLY)
            try:
                os.utime(fd, ns=(st.st_atime_ns, st.st_mtime_ns))
                hit = True
            finally:
                os.close(fd)
        except OSError:
            pass
        if v.endswith("plain.txt"):
            try:
                os.utime(v, (0, 0))
                hit = True
            except OSError:
                pass
    return a + b if hit else 0
