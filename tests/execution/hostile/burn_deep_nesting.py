# ruff: noqa
# expect: error killed
# max_s: 6
# judge CPU burn through nesting: 16 MiB of '[' (the JSON parser recurses), then a tagged value nested to
# the decoder's depth and as wide as the message allows at every level
import fcntl, json, os, stat, struct, sys, time


def _resp_fd():
    f = sys._getframe()
    while f is not None:  # child.serve(src, entry_point, mode, req_fd, resp_fd) is on the stack
        if "resp_fd" in f.f_locals:
            return f.f_locals["resp_fd"]
        f = f.f_back
    for fd in range(3, 64):
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode) and fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY:
                return fd
        except OSError:
            pass
    return 1


def _send(payload: bytes):
    fd = _resp_fd()
    data = struct.pack("<I", len(payload)) + payload
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    time.sleep(30)  # let the judge chew on it


def add(a, b):
    fd = _resp_fd()
    deep = b"[" * ((16 << 20) - 16)
    os.write(fd, struct.pack("<I", len(deep) + 2) + b'["')  # a frame that claims 16 MiB, then mostly brackets
    view = memoryview(deep)
    while view:
        view = view[os.write(fd, view) :]
    time.sleep(30)
    return 0
