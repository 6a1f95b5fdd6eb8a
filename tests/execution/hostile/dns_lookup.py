# ruff: noqa
# attack: resolve a name (network through the resolver)
import socket


def add(a, b):
    try:
        socket.getaddrinfo("pypi.org", 443)
        return a + b
    except OSError:
        return 0
