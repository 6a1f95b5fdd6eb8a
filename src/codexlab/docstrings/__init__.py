"""Codex-D: write docstrings from code, and judge them by back-translation (regenerate the code, run the tests)."""
