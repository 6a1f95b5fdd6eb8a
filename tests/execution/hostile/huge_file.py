# ruff: noqa
# attack: write a huge file in scratch (file size limit)
def add(a, b):
    with open("big", "wb") as f:
        for _ in range(1000):
            f.write(b"\0" * (1 << 20))
    return a + b
