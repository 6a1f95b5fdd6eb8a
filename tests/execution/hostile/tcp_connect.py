# ruff: noqa
# attack: connect to the TCP listener the test opened on the host; passes only if connected
import socket, os


def add(a, b):
    port = int(open("/tmp/codexlab-sentinel-port").read()) if os.path.exists("/tmp/codexlab-sentinel-port") else 0
    for p in ([port] if port else []) + list(range(1, 1)):
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
