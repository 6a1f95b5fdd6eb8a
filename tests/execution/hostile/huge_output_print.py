# ruff: noqa
# expect: killed
# attack: flood stdout
def add(a, b):
    while True:
        print("x" * 10000)
