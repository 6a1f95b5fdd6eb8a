# ruff: noqa
# expect: timeout
# attack: never finish loading
while True:
    pass


def add(a, b):
    return a + b
