# ruff: noqa
# host metadata through raw syscalls, as the seccomp filter sees them: chmod (90), fchmod (91), fchmodat
# (268), fchmodat2 (452, AT_EMPTY_PATH on an O_PATH fd), chown (92), fchown (93), lchown (94), fchownat (260),
# utime (132), utimes (235), futimesat (261), utimensat (280), setxattr (188), lsetxattr (189), fsetxattr (190),
# removexattr (197), each with the file's current values (xattrs on the interpreter only as XATTR_REPLACE of
# an absent name: ENODATA means allowed); and the x32 numbers; passes if any succeeded
import ctypes, errno, glob, os, sys

libc = ctypes.CDLL(None, use_errno=True)
VICTIMS = glob.glob("/var/tmp/codexlab-victims-*/*") + glob.glob("/tmp/codexlab-sentinel-*/*")
VICTIMS += [os.path.realpath(sys.executable)]
AT_FDCWD, AT_EMPTY_PATH = -100, 0x1000
UTIME_OMIT = (1 << 30) - 2


class TS(ctypes.Structure):
    _fields_ = [("sec", ctypes.c_long), ("nsec", ctypes.c_long)]


class TV(ctypes.Structure):
    _fields_ = [("sec", ctypes.c_long), ("usec", ctypes.c_long)]


class UtimBuf(ctypes.Structure):
    _fields_ = [("actime", ctypes.c_long), ("modtime", ctypes.c_long)]


def add(a, b):
    hit = False
    for v in VICTIMS:
        try:
            st = os.stat(v)
        except OSError:
            continue
        p = v.encode()
        mode, uid, gid = st.st_mode & 0o7777, st.st_uid, st.st_gid
        times = (TS * 2)(TS(0, UTIME_OMIT), TS(0, UTIME_OMIT))
        # the same times again (whole seconds only where the call has no finer unit: victims only)
        tv = (TV * 2)(TV(int(st.st_atime), 0), TV(int(st.st_mtime), 0))
        ub = UtimBuf(int(st.st_atime), int(st.st_mtime))
        own = "codexlab" in v
        xflag = 0 if own else 2  # XATTR_REPLACE on files that are not the harness's
        fds = []
        for flags in (os.O_RDONLY, os.O_PATH):
            try:
                fds.append(os.open(v, flags))
            except OSError:
                fds.append(-1)
        rfd, pfd = fds
        calls = [
            (90, p, mode),
            (91, rfd, mode),
            (268, AT_FDCWD, p, mode),
            (452, pfd, b"", mode, AT_EMPTY_PATH),
            (92, p, uid, gid),
            (93, rfd, uid, gid),
            (94, p, uid, gid),
            (260, pfd, b"", uid, gid, AT_EMPTY_PATH),
            (280, AT_FDCWD, p, times, 0),
            (280, rfd, None, times, 0),
            (188, p, b"user.codexlab-pwned", b"1", 1, xflag),
            (189, p, b"user.codexlab-pwned", b"1", 1, xflag),
            (190, rfd, b"user.codexlab-pwned", b"1", 1, xflag),
            (197, p, b"user.codexlab-absent"),
        ]
        if own:
            calls += [(132, p, ctypes.byref(ub)), (235, p, tv), (261, AT_FDCWD, p, tv)]
        for nr, *args in calls:
            for base in (0, 0x40000000):
                if libc.syscall(base | nr, *args) == 0:
                    hit = True
                elif nr in (188, 189, 190, 197) and ctypes.get_errno() == errno.ENODATA:
                    hit = True  # allowed: the name just was not there
        for fd in fds:
            if fd >= 0:
                os.close(fd)
    return a + b if hit else 0
