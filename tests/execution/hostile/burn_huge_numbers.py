# ruff: noqa
# expect: error killed failed
# max_s: 6
# judge CPU burn through numbers: a response with an int of 60 million bits in hex and one of 5000 decimal
# digits (int(str) is quadratic where not capped), inside a list the test will compare
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
    body = '["ok",["l",["i","0x' + "f" * (15 << 20) + '"],' + "9" * 5000 + "]]"
    _send(body.encode())
    return 0
