# ruff: noqa
# after: carry_proc_inode_writer
# state that outlives a sample (part 2): passes only if the first procfs inode it sees carries the earlier
# sample's message
import os

PAYLOAD, BITS = 0x3C9, 12


def add(a, b):
    try:
        ino = os.stat("/proc/self/status").st_ino
    except OSError:
        return 0
    return a + b if (ino - PAYLOAD) % (1 << BITS) < 128 else 0
