# ruff: noqa
# host Unix sockets by other names: through /proc/<pid>/root and /proc/<pid>/cwd (pid 1's cwd is the
# judge's, the run directory), through an O_PATH descriptor's /proc/self/fd/N magic link, and through a
# relative path after fchdir to a directory descriptor; passes if any connect() succeeded
import glob, os, socket


def _try(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(0.2)
    try:
        s.connect(path)
        if "codexlab" in path:
            s.sendall(b"codexlab-hostile")
        return True
    except OSError:
        return False
    finally:
        s.close()


def add(a, b):
    hit = False
    pids = ["1", "self"] + [p for p in os.listdir("/proc") if p.isdigit()]
    names = []
    for pid in pids:
        for link in ("root", "cwd"):
            base = f"/proc/{pid}/{link}"
            names += glob.glob(base + "/*.sock") + glob.glob(base + "/*/*.sock")
            names += glob.glob(base + "/tmp/codexlab-trap-*.sock") + glob.glob(base + "/run/codexlab-trap-*.sock")
    names += glob.glob("/var/tmp/codexlab-victims-*/*.sock") + glob.glob("/tmp/codexlab-trap-*.sock")
    for n in names[:200]:
        if _try(n):
            hit = True
        try:
            fd = os.open(n, os.O_PATH)
            if _try(f"/proc/self/fd/{fd}"):
                hit = True
            os.close(fd)
        except OSError:
            pass
        try:
            dfd = os.open(os.path.dirname(n) or ".", os.O_RDONLY | os.O_DIRECTORY)
            here = os.getcwd()
            os.fchdir(dfd)
            if _try(os.path.basename(n)):
                hit = True
            os.chdir(here)
            os.close(dfd)
        except OSError:
            pass
    return a + b if hit else 0
