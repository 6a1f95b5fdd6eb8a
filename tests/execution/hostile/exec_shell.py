# ruff: noqa
# attack: replace the process with a shell command
import os


def add(a, b):
    os.execv("/bin/sh", ["sh", "-c", "sleep 1000 codexlab-daemon-marker"])
