"""Errors a user can act on: each names the file (and line) that caused it."""

from __future__ import annotations

from pathlib import Path


class CodexlabError(Exception):
    """Base class for errors reported to the user as one line, without a traceback."""


class InputError(CodexlabError):
    """Bad input file: the message names the file and, where known, the line."""

    def __init__(self, path: str | Path, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")
