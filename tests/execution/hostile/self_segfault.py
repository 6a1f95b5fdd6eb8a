# ruff: noqa
# attack: crash the interpreter
import ctypes


def add(a, b):
    ctypes.string_at(0)
