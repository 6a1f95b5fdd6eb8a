# ruff: noqa
# expect: error killed
# max_s: 6
# judge CPU burn: a forged response whose dict keys all share one hash (ints, and a frozenset of tuples of
# colliding ints whose hashes collide in turn), plus a set of NaN-free floats m * 2**61 sharing hashes
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


P = (1 << 61) - 1


def add(a, b):
    keys = [[["i", hex(k * P)], k] for k in range(1, 120000)]
    tuples = ["F"] + [["t", ["i", hex(k * P)]] for k in range(1, 60000)]
    body = json.dumps(["ok", ["l", ["d"] + keys, tuples]], separators=(",", ":"))
    _send(body.encode())
    return 0
