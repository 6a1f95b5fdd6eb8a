# ruff: noqa
# root-only files through every channel a verdict carries: the traceback's file name, a SyntaxError's
# text, the name of a non-plain result's type ("<name> is not a plain built-in value"), stderr; passes if
# the secret was read
import glob

SECRET = None
for p in glob.glob("/var/tmp/codexlab-victims-*/secret*") + glob.glob("/var/tmp/codexlab-rootsecret-*/secret*"):
    try:
        SECRET = open(p).read().strip()
    except OSError:
        pass


def add(a, b):
    if SECRET is None:
        return 0
    if (a, b) == (1, 2):
        import sys

        print(SECRET, file=sys.stderr)
        return type(SECRET[:60].replace("-", "_"), (), {})()  # a non-plain result named after the secret
    if (a, b) == (5, 7):
        exec(compile("1/0", SECRET, "exec"))
    return a + b
