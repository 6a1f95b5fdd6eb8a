# ruff: noqa
# tasks without fork: clone(CLONE_THREAD) is allowed, and a thread made straight with clone needs no stack to
# speak of (256 bytes of machine code's stack each, no pthread, no malloc arena), so RLIMIT_AS does not
# bound them; each takes a pid from the host's pid space (pid_max is 32768 on many hosts, shared by every
# process on it) and kernel memory. 2,000 here (sixteen workers doing it would leave the host unable to
# start a process); passes if it got them all at once
import ctypes, mmap

libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.clone.restype = ctypes.c_int
libc.clone.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
CLONE_VM, CLONE_FS, CLONE_FILES, CLONE_SIGHAND, CLONE_THREAD = 0x100, 0x200, 0x400, 0x800, 0x10000
PAUSE_FOREVER = b"\xb8\x22\x00\x00\x00\x0f\x05\xeb\xf7"  # loop: mov eax, 34 (pause); syscall; jmp loop
N, SLICE = 2000, 256


def hold():
    anon = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
    code = libc.mmap(None, 4096, 7, anon, -1, 0)
    stacks = libc.mmap(None, N * SLICE, 3, anon, -1, 0)
    if code in (None, ctypes.c_void_p(-1).value) or stacks in (None, ctypes.c_void_p(-1).value):
        return 0
    ctypes.memmove(code, PAUSE_FOREVER, len(PAUSE_FOREVER))
    flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD
    started = 0
    for i in range(N):
        if libc.clone(code, stacks + (i + 1) * SLICE - 16, flags, None) <= 0:
            break
        started += 1
    return started >= N


HELD = hold()  # once, at import: the judge calls add() twice


def add(a, b):
    return a + b if HELD else 0
