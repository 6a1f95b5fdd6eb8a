"""Text from samples and models on its way to bytes: the one place that decides what happens to text UTF-8 cannot hold.

JSON (and so a samples file, or a model API's answer) can hold lone surrogates ("\\ud800"): valid JSON, a valid
Python str, but no UTF-8 encoding. codexlab never lets such text stop a run:

- What runs: a program is identified by the bytes it denotes, `program_bytes` (UTF-8 with surrogatepass: the
  same bytes as plain UTF-8 for every encodable program, so no hash changes). Python cannot compile a program
  holding a surrogate (source is UTF-8), so every executor judges it as a syntax_error.
- What a sample says about itself (a verdict's detail and traceback, its output) is diagnostic text: `clean`
  replaces each surrogate by its escape (backslashreplace, as Python's own stderr does), so it is valid UTF-8
  and every store and results file holds exactly what the verdict holds.
- Input data (task ids, prompts, completions, sample records) is kept exactly. JSONL files are written by
  `json_line`: UTF-8, with surrogates (only) as \\u escapes, so reading the line back gives the same string.
  SQLite text cannot hold a surrogate either; `to_sql` stores such a string as a BLOB of its surrogatepass
  bytes and `from_sql` turns it back into the same str (a column holds no other BLOBs).
- Reports for people (the HTML report, analyses' CSV files) are written with errors=DISPLAY_ERRORS: a
  surrogate shows as its escape.
"""

from __future__ import annotations

import json
import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")
DISPLAY_ERRORS = "backslashreplace"


def program_bytes(text: str) -> bytes:
    """The bytes a program's text denotes (what it is hashed as)."""
    return text.encode("utf-8", "surrogatepass")


def clean(text: str) -> str:
    """Diagnostic text made encodable: each surrogate becomes its backslash escape; other text is unchanged."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-8", DISPLAY_ERRORS).decode("utf-8")


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def json_line(obj: Any) -> str:
    """One JSON value on one line, non-ASCII kept as UTF-8 and surrogates as \\u escapes (always encodable).

    Inside JSON a surrogate can only be part of a string, where its escape means the same character.
    """
    s = json.dumps(obj, ensure_ascii=False)
    return _SURROGATE.sub(_escape, s) if _SURROGATE.search(s) else s


def to_sql(value: Any) -> Any:
    """A value ready to bind in SQLite: a str UTF-8 cannot hold becomes a BLOB of its surrogatepass bytes."""
    if isinstance(value, str) and _SURROGATE.search(value) is not None:
        return value.encode("utf-8", "surrogatepass")
    return value


def from_sql(value: Any) -> Any:
    """The inverse of `to_sql` for a value read back."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogatepass")
    return value
