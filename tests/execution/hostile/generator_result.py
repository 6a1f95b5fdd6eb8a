# ruff: noqa
# attack: return a lazy object instead of a value
def add(a, b):
    return (x for x in [a + b])
