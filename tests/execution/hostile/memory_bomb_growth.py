# ruff: noqa
# expect: oom timeout
# attack: grow a list until memory runs out
def add(a, b):
    x = []
    while True:
        x.append(" " * 10_000_000)
