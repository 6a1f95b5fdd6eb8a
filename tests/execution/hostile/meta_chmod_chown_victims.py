# ruff: noqa
# host metadata: chmod/chown/lchown the harness's victim files (and /etc/passwd) to the values they
# already have, and chmod a victim 0666; passes if any call on a host file succeeded
import glob, os

VICTIMS = (
    glob.glob("/var/tmp/codexlab-victims-*/*")
    + glob.glob("/tmp/codexlab-sentinel-*/*")
    + ["/etc/passwd", "/etc/hostname"]
)


def add(a, b):
    hit = False
    for v in VICTIMS:
        try:
            st = os.stat(v, follow_symlinks=False)
        except OSError:
            continue
        for fn in (
            lambda: os.chmod(v, st.st_mode & 0o7777),
            lambda: os.chown(v, st.st_uid, st.st_gid),
            lambda: os.chown(v, st.st_uid, st.st_gid, follow_symlinks=False),
            lambda: os.chmod(v, 0o666) if v.endswith("plain.txt") else None,
        ):
            try:
                fn()
                hit = True
            except OSError:
                pass
    return a + b if hit else 0
