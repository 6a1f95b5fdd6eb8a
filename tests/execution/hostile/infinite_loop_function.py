# ruff: noqa
# expect: timeout
# attack: never return
def add(a, b):
    while True:
        pass
