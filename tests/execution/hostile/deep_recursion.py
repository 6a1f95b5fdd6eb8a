# ruff: noqa
# attack: unbounded recursion
def add(a, b):
    return add(a + 1, b)
