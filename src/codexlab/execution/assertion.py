"""What an exception the tests or the sample raised is judged, the same way by every executor: its status
(`exception_status`), and for a failed assertion the one-line detail: the failing line of the tests and the
assertion's message, e.g. "AssertionError: assert candidate(1, 2) == 3".

Standard library only: the process executor's child (`_child_runner.py`, a script in a fresh interpreter)
imports it from beside itself, the sandbox's judge as part of the package."""

from __future__ import annotations


def exception_status(name: str) -> str:
    """The status (a `Status` value) of an exception by its class name: a failed assertion fails the sample,
    a MemoryError is an OOM, anything else an error."""
    return {"AssertionError": "failed", "MemoryError": "oom"}.get(name, "error")


def assertion_detail(exc: BaseException, source: str, filename: str) -> str:
    """`exc` raised while running `source` compiled as `filename`: its innermost line there, and its message."""
    lines = source.splitlines()
    lineno = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            lineno = tb.tb_lineno
        tb = tb.tb_next
    src = lines[lineno - 1].strip()[:300] if lineno and lineno <= len(lines) else ""
    text = str(exc)[:200]
    if src:
        return f"AssertionError: {src}" + (f" ({text})" if text else "")
    return f"AssertionError: {text}" if text else "AssertionError"
