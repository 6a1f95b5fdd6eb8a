# ruff: noqa
# attack: write into /etc; passes only if the write worked
def add(a, b):
    try:
        with open("/etc/codexlab-pwned-etc", "w") as f:
            f.write("pwned")
        return a + b
    except OSError:
        return 0
