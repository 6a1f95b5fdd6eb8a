# ruff: noqa
# attack: return a value nested 100000 deep
def add(a, b):
    x = []
    for _ in range(100000):
        x = [x]
    return x
