# ruff: noqa
# attack: return a 200 MB string
def add(a, b):
    return "x" * (200 << 20)
