# ruff: noqa
# attack: connect to the TCP listener the test opened on the host; passes only if connected
import glob, socket, os


def add(a, b):
    ports = []
    for f in ["/tmp/codexlab-sentinel-port"] + glob.glob("/tmp/codexlab-sentinel-*/port"):
        try:
            ports.append(int(open(f).read()))
        except (OSError, ValueError):
            pass
    for p in ports:
        try:
            s = socket.create_connection(("127.0.0.1", p), timeout=0.5)
            s.sendall(b"codexlab-hostile")
            return a + b
        except OSError:
            pass
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=0.5)
        return a + b
    except OSError:
        return 0
