# ruff: noqa
# host Unix sockets: the network namespace does not isolate pathname sockets; connect to the listeners the
# harness opened in /tmp, /run, /var/tmp and the run directory, and to the host's services (docker, D-Bus,
# systemd, containerd); passes if any connect() succeeded
import glob, socket

PATHS = (
    glob.glob("/tmp/codexlab-trap-*.sock")
    + glob.glob("/run/codexlab-trap-*.sock")
    + glob.glob("/var/tmp/codexlab-victims-*/*.sock")
    + glob.glob("/var/run/codexlab-trap-*.sock")
    + [
        "/var/run/docker.sock",
        "/run/docker.sock",
        "/run/dbus/system_bus_socket",
        "/run/systemd/private",
        "/run/containerd/containerd.sock",
        "/run/user/0/bus",
        "/run/systemd/userdb/io.systemd.DynamicUser",
    ]
    + glob.glob("/run/*.sock")
    + glob.glob("/run/*/*.sock")
    + glob.glob("/tmp/*.sock")
    + glob.glob("/tmp/.X11-unix/*")
)


def add(a, b):
    hit = False
    for p in PATHS:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(0.2)
        try:
            s.connect(p)
            if "codexlab" in p:
                s.sendall(b"codexlab-hostile")
            hit = True
        except OSError:
            pass
        finally:
            s.close()
    return a + b if hit else 0
