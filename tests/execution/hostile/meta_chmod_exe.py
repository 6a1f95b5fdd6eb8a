# ruff: noqa
# host metadata: chmod the running interpreter through /proc/self/exe and its real path (same mode: the
# quickest harmless check; a real attack makes it 0644 and breaks the host), plus os.py and libpython
import glob, os, sys


def add(a, b):
    hit = False
    targets = ["/proc/self/exe", os.path.realpath(sys.executable), sys.executable, os.__file__]
    targets += glob.glob(os.path.join(sys.base_prefix, "lib", "libpython3*.so*"))
    targets += glob.glob("/usr/lib/x86_64-linux-gnu/libpython3*.so*")
    for t in targets:
        try:
            mode = os.stat(t).st_mode & 0o7777
            os.chmod(t, mode)
            hit = True
        except OSError:
            pass
    return a + b if hit else 0
