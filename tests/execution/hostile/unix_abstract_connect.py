# ruff: noqa
# abstract Unix sockets (no file at all): connect to the harness's abstract listener by the name it wrote
# next to its victims, to every abstract name /proc/net/unix lists, and to well-known ones; passes if any
# connect() succeeded
import glob, socket


def add(a, b):
    names = set()
    for f in glob.glob("/var/tmp/codexlab-victims-*/abstract-name") + glob.glob(
        "/tmp/codexlab-sentinel-*/abstract-name"
    ):
        try:
            names.add(open(f).read().strip())
        except OSError:
            pass
    try:
        for line in open("/proc/net/unix").read().splitlines()[1:]:
            parts = line.split()
            if len(parts) >= 8 and parts[7].startswith("@"):
                names.add(parts[7][1:])
    except OSError:
        pass
    names |= {"codexlab-trap", "/tmp/.X11-unix/X0", "/org/freedesktop/systemd1/notify"}
    hit = False
    for n in names:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(0.2)
        try:
            s.connect("\0" + n)
            s.sendall(b"codexlab-hostile")
            hit = True
        except OSError:
            pass
        finally:
            s.close()
    return a + b if hit else 0
