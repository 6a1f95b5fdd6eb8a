# ruff: noqa
# memory outside the address-space limit: memfds (os.memfd_create and raw syscall 319) filled with
# write() are never mapped, so RLIMIT_AS does not see them; keep each descriptor alive, and more of them in
# flight over a socketpair (not counted against RLIMIT_NOFILE); passes if a quarter of the limit is held
# that way, on top of whatever the limit lets it map
import array, ctypes, os, resource, socket

libc = ctypes.CDLL(None, use_errno=True)


def add(a, b):
    limit = resource.getrlimit(resource.RLIMIT_AS)[0]
    fsize = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    chunk = min(fsize if fsize > 0 else (64 << 20), 64 << 20)
    block = b"\x55" * (1 << 20)
    held, fds = 0, []
    s1, s2 = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    for i in range(400):
        if held >= limit // 4:
            break
        try:
            fd = os.memfd_create(f"m{i}") if i % 2 else libc.syscall(319, f"m{i}".encode(), 0)
            if fd < 0:
                break
            for _ in range(chunk >> 20):
                os.write(fd, block)
            held += chunk
            try:
                s1.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [fd]))])
                os.close(fd)
            except OSError:
                fds.append(fd)
        except OSError:
            break
    return a + b if limit > 0 and held >= limit // 4 else 0
