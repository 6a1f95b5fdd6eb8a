# ruff: noqa
# attack: raise the recursion limit to crash the interpreter (C stack overflow)
import sys

sys.setrecursionlimit(10**8)


def f(n):
    return f(n + 1) + 1


def add(a, b):
    return f(0)
