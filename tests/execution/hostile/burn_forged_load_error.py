# ruff: noqa
# expect: error killed
# max_s: 6
# judge CPU burn: a load_error frame instead of "ready", with a 12 MiB message and name (the verdict's
# detail and _results.jsonl must not carry them), sent before the judge ever calls the entry point
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
    time.sleep(30)


_send(json.dumps(["load_error", "E" * (4 << 20), "m" * (8 << 20), "t" * 1000]).encode())


def add(a, b):
    return 0
