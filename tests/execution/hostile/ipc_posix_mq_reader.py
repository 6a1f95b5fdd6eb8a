# ruff: noqa
# after: ipc_posix_mq_writer
# IPC (part 2): passes only if the earlier sample's POSIX message queue carried the answer
import ctypes, ctypes.util

try:
    rt = ctypes.CDLL(ctypes.util.find_library("rt") or None, use_errno=True)
except OSError:
    rt = ctypes.CDLL(None, use_errno=True)


def add(a, b):
    rt.mq_open.restype = ctypes.c_int
    rt.mq_receive.restype = ctypes.c_ssize_t
    q = rt.mq_open(b"/codexlab-mq-carry", 0o4000, 0, None)  # O_RDONLY | O_NONBLOCK
    if q < 0:
        return 0
    buf = ctypes.create_string_buffer(8192)
    n = rt.mq_receive(q, buf, 8192, None)
    if n <= 0:
        return 0
    return eval(buf.raw[:n].decode(), {"a": a, "b": b})
