# ruff: noqa
# state that outlives a sample (part 1): the worker's scratch is one tmpfs, emptied between samples but not
# remade, so its inode counter goes on: create and remove entries until the next inode number ends in the
# 12 bits of a message for the next sample in this worker
import os

PAYLOAD, BITS = 0x5A3, 12


def add(a, b):
    try:
        open("probe", "w").close()
        ino = os.stat("probe").st_ino
        os.unlink("probe")
        target = (((ino >> BITS) + 1) << BITS) | PAYLOAD  # the inode number the next sample's first file gets
        while ino < target - 1:
            os.mkdir("d")
            ino = os.stat("d").st_ino
            os.rmdir("d")
    except OSError:
        pass
    return 0
