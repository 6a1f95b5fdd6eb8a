# ruff: noqa
# attack: write outside scratch (/tmp); passes only if the write worked
def add(a, b):
    try:
        with open("/tmp/codexlab-pwned-tmp", "w") as f:
            f.write("pwned")
        return a + b
    except OSError:
        return 0
