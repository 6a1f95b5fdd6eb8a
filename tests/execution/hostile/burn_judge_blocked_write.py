# ruff: noqa
# problem: bigarg
# expect: timeout
# max_s: 6
# hang the judge instead of burning it: answer the first call by writing the answer frame straight to the
# response pipe, then never return (so the child never reads its request pipe again); the test's next call
# carries a 1 MB argument, more than the pipe holds, and a judge that writes it blocking waits until the
# pool's whole-sample backstop kills it (several times the sample's limit, and a judge restart)
import os, struct, sys, time


def _resp_fd():
    f = sys._getframe()
    while f is not None:
        if "resp_fd" in f.f_locals:
            return f.f_locals["resp_fd"]
        f = f.f_back
    return None


def add(a, b):
    fd = _resp_fd()
    if fd is None:
        return a + b
    body = b'["ok",' + str(a + b).encode() + b"]"
    os.write(fd, struct.pack("<I", len(body)) + body)
    while True:
        time.sleep(1)
