# ruff: noqa
# forgery: os._exit(0) from inside the call
import os


def add(a, b):
    os._exit(0)
