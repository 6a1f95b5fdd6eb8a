# ruff: noqa
# state that outlives a sample (part 1): the scratch folder itself stays from sample to sample, and the
# cleanup only changes it when there is something to remove: wait for the clock's 5 ms slot that spells 6
# bits, create and remove a file (the folder's mtime is now that instant), wait for the slot of 6 more bits
# and list the folder (relatime: its atime is now that instant, and stays: atime is past mtime); leave nothing
import os, time

SLOT, BITS = 5_000_000, 6
MTIME_SLOT, ATIME_SLOT = 0x2B, 0x15


def _at(slot):
    period = SLOT << BITS
    time.sleep(((slot * SLOT + SLOT // 2) - time.time_ns() % period) % period / 1e9)


def add(a, b):
    try:
        _at(MTIME_SLOT)
        open("mark", "w").close()
        os.unlink("mark")
        time.sleep(0.01)
        _at(ATIME_SLOT)
        os.listdir(".")
    except OSError:
        pass
    return 0
