# ruff: noqa
# IPC: SysV shared memory outlives the sample and is not charged to its address-space limit: create
# segments larger in total than the limit, fill each while attached, detach, never remove them; passes if
# more than the limit was held in shared memory
import ctypes, resource

libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.shmdt.argtypes = [ctypes.c_void_p]
IPC_CREAT, IPC_PRIVATE = 0o1000, 0
CHUNK = 104 << 20


def add(a, b):
    limit = resource.getrlimit(resource.RLIMIT_AS)[0]
    held = 0
    for i in range(5):
        shmid = libc.shmget(IPC_PRIVATE if i % 2 else 0x0C0DE000 + i, CHUNK, IPC_CREAT | 0o600)
        if shmid < 0:
            break
        addr = libc.shmat(shmid, None, 0)
        if addr in (None, ctypes.c_void_p(-1).value):
            break
        if libc.madvise(ctypes.c_void_p(addr), ctypes.c_size_t(CHUNK), 23) != 0:  # MADV_POPULATE_WRITE
            ctypes.memset(addr, 0x41, CHUNK)
        libc.shmdt(ctypes.c_void_p(addr))
        held += CHUNK
    return a + b if limit > 0 and held > limit else 0
