# ruff: noqa
# attack: a background thread spinning forever, result correct
import threading


def spin():
    while True:
        pass


threading.Thread(target=spin, daemon=False).start()


def add(a, b):
    return a + b + 1
