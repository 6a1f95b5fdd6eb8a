"""Stop sequences: cut a completion exactly at the earliest stop, wherever it appears."""

from __future__ import annotations

from collections.abc import Sequence


def truncate_at_stop(text: str, stops: Sequence[str]) -> tuple[str, bool]:
    """Return (text before the earliest stop sequence, whether one was found)."""
    cut = len(text)
    for s in stops:
        if not s:
            continue
        i = text.find(s)
        if i != -1 and i < cut:
            cut = i
    return text[:cut], cut < len(text)


def stop_holdback(text: str, stops: Sequence[str]) -> int:
    """How many trailing characters of `text` could still be the start of a stop sequence.

    A streaming generator must not commit those characters yet: the next token may complete the stop.
    """
    best = 0
    for s in stops:
        for k in range(min(len(s) - 1, len(text)), 0, -1):
            if text.endswith(s[:k]):
                best = max(best, k)
                break
    return best
