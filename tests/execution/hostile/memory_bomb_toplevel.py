# ruff: noqa
# expect: oom timeout
# attack: exhaust memory while the module loads
x = [bytearray(1 << 26) for _ in range(1000)]


def add(a, b):
    return a + b
