# ruff: noqa
# after: ipc_dev_shm_writer
# IPC (part 2): passes only if the earlier sample's /dev/shm file carried the answer
import os


def add(a, b):
    for d in ("/dev/shm", "/dev/mqueue", "/run/shm"):
        try:
            return eval(open(os.path.join(d, "codexlab-carry")).read(), {"a": a, "b": b})
        except (OSError, SyntaxError):
            pass
    return 0
