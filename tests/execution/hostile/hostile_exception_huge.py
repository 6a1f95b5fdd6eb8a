# ruff: noqa
# attack: an exception with a 100 MB message
def add(a, b):
    raise ValueError("x" * (100 << 20))
