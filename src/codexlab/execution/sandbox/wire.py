"""Length-prefixed frames on raw fds, shared by the judge, the zygote and the child (no codexlab imports)."""

from __future__ import annotations

import os
import struct

HEADER = struct.Struct("<I")


def send_frame(fd: int, payload: bytes) -> None:
    data = HEADER.pack(len(payload)) + payload
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def recv_exact(fd: int, n: int) -> bytes:
    """Read exactly n bytes; raises EOFError when the peer closes first."""
    parts = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def recv_frame(fd: int, max_bytes: int = 1 << 30) -> bytes:
    (n,) = HEADER.unpack(recv_exact(fd, HEADER.size))
    if n > max_bytes:
        raise ValueError(f"frame of {n} bytes exceeds {max_bytes}")
    return recv_exact(fd, n)
