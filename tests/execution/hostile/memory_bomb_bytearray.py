# ruff: noqa
# expect: oom
# attack: allocate 64 GB at once
def add(a, b):
    x = bytearray(64 << 30)
    return a + b
