# ruff: noqa
# role: victim
# the honest sample whose code leak_gc_copy (judged right after it, in the same worker) must not reach
SECRET = "CODEXLAB-PLANTED-B-7319"


def add(a, b):
    return a + b
