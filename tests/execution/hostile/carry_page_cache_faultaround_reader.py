# ruff: noqa
# after: carry_page_cache_writer
# state that outlives a sample (part 2, without RWF_NOWAIT or mincore): map the earlier sample's file and
# touch the page next to each bit's page; the kernel's fault-around then maps the neighbours that are
# already in the page cache (no I/O for them), and move_pages() on itself with no target nodes (allowed:
# its own pid) says which pages are mapped. Passes only if that spells the earlier sample's message
import ctypes, glob, mmap, os

PAYLOAD, SPACING, PAGE = 0xC0DE, 1 << 20, 4096
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]


def target():
    best = None
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu"):
        for p in glob.glob(d + "/*.a"):
            try:
                size = os.stat(p).st_size
            except OSError:
                continue
            if size >= 17 * SPACING and (best is None or (size, p) > best):
                best = (size, p)
    return best[1] if best else None


def receive():
    path = target()
    if path is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    length = 16 * SPACING
    base = libc.mmap(None, length, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0)
    if base in (None, ctypes.c_void_p(-1).value):
        return None
    libc.madvise(base, length, 1)  # MADV_RANDOM: no readahead on faults
    for bit in range(16):
        ctypes.string_at(base + bit * SPACING + PAGE, 1)  # fault next door; fault-around maps cached pages
    pages = (ctypes.c_void_p * 16)(*[base + bit * SPACING for bit in range(16)])
    status = (ctypes.c_int * 16)()
    if libc.syscall(279, 0, 16, pages, None, status, 0) != 0:  # move_pages(self, ..., nodes=NULL): query
        return None
    return sum((status[bit] >= 0) << bit for bit in range(16))


GOT = receive()


def add(a, b):
    return a + b if GOT == PAYLOAD else 0
