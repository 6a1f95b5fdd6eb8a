"""Strict JSONL reading and crash-safe appending, shared by every stage that touches files."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from codexlab.errors import InputError
from codexlab.text import json_line


def read_jsonl(path: str | Path, allow_torn_tail: bool = False) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line; errors name the file and line.

    Handles plain and gzip files. Rejects non-UTF-8 bytes, malformed JSON and non-object lines.
    `allow_torn_tail` skips an unterminated last line (a write cut short by a crash) in files codexlab appends to.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a directory, expected a JSONL file")
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as raw:
            for lineno, bline in enumerate(raw, start=1):
                try:
                    line = bline.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise InputError(path, f"invalid UTF-8 byte at column {exc.start + 1}", lineno) from None
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    if allow_torn_tail and not bline.endswith(b"\n"):
                        return
                    raise InputError(path, f"malformed JSON: {exc.msg} (column {exc.colno})", lineno) from None
                if not isinstance(obj, dict):
                    raise InputError(path, f"expected a JSON object, got {type(obj).__name__}", lineno)
                yield lineno, obj
    except (OSError, EOFError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(path, f"cannot read: {exc}") from None


def require_fields(path: str | Path, lineno: int, obj: dict[str, Any], fields: Iterable[str]) -> None:
    """Raise an InputError naming the first missing or non-string field."""
    for name in fields:
        if name not in obj:
            raise InputError(path, f"missing field {name!r}", lineno)
        if not isinstance(obj[name], str):
            raise InputError(path, f"field {name!r} must be a string, got {type(obj[name]).__name__}", lineno)


class JsonlAppender:
    """Append objects to a JSONL file, flushed and fsynced per record so a crash loses at most one line.

    A torn last line (from a kill mid-write) is dropped on open, so resumed runs never read half a record.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _drop_torn_tail(self.path)
        self._fh = open(self.path, "a", encoding="utf-8")

    def write(self, obj: dict[str, Any]) -> None:
        self._fh.write(json_line(obj) + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> JsonlAppender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _drop_torn_tail(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with open(path, "rb+") as fh:
        data = fh.read()
        if data.endswith(b"\n"):
            return
        cut = data.rfind(b"\n") + 1
        fh.truncate(cut)


def write_jsonl(path: str | Path, rows: Iterable[dict[str, Any]]) -> None:
    """Write a whole JSONL file atomically (temp file + rename)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json_line(row) + "\n")
    os.replace(tmp, path)
