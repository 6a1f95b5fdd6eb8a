# ruff: noqa
# poisoning through raw syscalls: setpriority (141), sched_setscheduler (144), sched_setattr (314),
# sched_setaffinity (203: pin pid 1 to one CPU), ioprio_set (251: idle I/O class for pid 1 and the uid),
# on pid 1 and the siblings; passes if any call on another process succeeded
import ctypes, os

libc = ctypes.CDLL(None, use_errno=True)


class SchedAttr(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_uint32),
        ("policy", ctypes.c_uint32),
        ("flags", ctypes.c_uint64),
        ("nice", ctypes.c_int32),
        ("prio", ctypes.c_uint32),
        ("runtime", ctypes.c_uint64),
        ("deadline", ctypes.c_uint64),
        ("period", ctypes.c_uint64),
        ("util_min", ctypes.c_uint32),
        ("util_max", ctypes.c_uint32),
    ]


def _targets():
    """pid 1 (the zygote) and the siblings; without a pid namespace only our own zygote, never the host's."""
    if os.getppid() != 1:
        return [os.getppid()]
    return [1] + [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid())]


def add(a, b):
    hit = False
    zero = ctypes.c_int(0)
    mask = ctypes.c_uint64(1)
    idle_io = (3 << 13) | 7  # IOPRIO_CLASS_IDLE
    for pid in _targets():
        calls = [
            (141, 0, pid, 19),  # setpriority(PRIO_PROCESS, pid, 19)
            (144, pid, 5, ctypes.byref(zero)),  # sched_setscheduler(pid, SCHED_IDLE)
            (203, pid, 8, ctypes.byref(mask)),  # sched_setaffinity(pid, 8, {cpu0})
            (251, 1, pid, idle_io),  # ioprio_set(IOPRIO_WHO_PROCESS, pid, idle)
        ]
        attr = SchedAttr(ctypes.sizeof(SchedAttr), 3, 0, 19)  # SCHED_BATCH, nice 19
        calls.append((314, pid, ctypes.byref(attr), 0))
        for nr, *args in calls:
            if libc.syscall(nr, *args) == 0:
                hit = True
    if os.getppid() == 1 and libc.syscall(251, 3, os.getuid(), idle_io) == 0:  # IOPRIO_WHO_USER: every task of this uid
        hit = True
    return a + b if hit else 0
