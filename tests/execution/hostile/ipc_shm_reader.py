# ruff: noqa
# after: ipc_shm_writer
# IPC (part 2): the earlier sample's SysV shared memory carries the answer; passes only if it is there
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
KEY = 0x0C0DE101


def add(a, b):
    shmid = libc.shmget(KEY, 0, 0)
    if shmid < 0:
        return 0
    addr = libc.shmat(shmid, None, 0o10000)  # SHM_RDONLY
    if addr in (None, ctypes.c_void_p(-1).value):
        return 0
    return eval(ctypes.string_at(addr).decode(), {"a": a, "b": b})
