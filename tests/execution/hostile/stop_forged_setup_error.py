# ruff: noqa
# expect: error
# max_s: 5
# stop the run: answer as the zygote's setup would when it fails ("setup_error" before anything else). A judge
# that believed it would restart the worker and judge the sample again, and after a second failure report the
# sandbox broken: one sample would end the whole run
import fcntl, os, stat, struct, sys


def _resp_fd():
    f = sys._getframe()
    while f is not None:
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


payload = b'["setup_error", "OSError: forged"]'
os.write(_resp_fd(), struct.pack("<I", len(payload)) + payload)
os._exit(0)


def add(a, b):
    return a + b
