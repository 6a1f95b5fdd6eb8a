# ruff: noqa
# attack: UDP to the host (Landlock does not cover UDP; seccomp and the netns must)
import socket


def add(a, b):
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for port in range(40000, 40010):
            s.sendto(b"codexlab-hostile", ("127.0.0.1", port))
        return a + b
    except OSError:
        return 0
