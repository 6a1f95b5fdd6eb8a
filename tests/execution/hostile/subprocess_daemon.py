# ruff: noqa
# attack: a daemon that outlives the sample through subprocess
import subprocess

subprocess.Popen(["sleep", "1000", "codexlab-daemon-marker"], start_new_session=True)


def add(a, b):
    return a + b
