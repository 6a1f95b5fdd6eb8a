"""Runs inside the per-sample child process of the process executor. Never imported by the harness.

Reads {"program", "nonce", "report_fd"} as JSON on stdin, runs the program, and writes one JSON record
with the nonce to the report pipe. The record classifies the outcome; the parent adds timing and limits.
"""

import json
import os
import resource
import sys
import traceback
from typing import Any


def _load_beside(name: str) -> Any:
    """A module beside this script, loaded by path: its folder stays off sys.path (it holds codexlab's
    `types`, which would shadow the standard library's for the sample)."""
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".py")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_assertion = _load_beside("assertion")
assertion_detail, exception_status = _assertion.assertion_detail, _assertion.exception_status


def _report(fd: int, record: dict) -> None:
    data = (json.dumps(record) + "\n").encode()
    os.write(fd, data[: 1 << 16])


def main() -> None:
    spec = json.loads(sys.stdin.readline())
    for name, value in spec.get("rlimits", {}).items():
        resource.setrlimit(getattr(resource, name), tuple(value) if isinstance(value, list) else (value, value))
    fd = int(spec["report_fd"])
    os.set_inheritable(fd, False)
    nonce = spec["nonce"]
    program = spec["program"]
    sys.stdin.close()
    try:
        code = compile(program, "<program>", "exec")
    except (SyntaxError, ValueError) as exc:
        _report(fd, {"nonce": nonce, "status": "syntax_error", "detail": f"{type(exc).__name__}: {exc}"})
        return
    try:
        exec(code, {"__name__": "__main__", "__builtins__": __builtins__})
    except AssertionError as exc:
        _report(
            fd,
            {
                "nonce": nonce,
                "status": exception_status("AssertionError"),
                "detail": assertion_detail(exc, program, "<program>"),
                "traceback": traceback.format_exc(limit=-8)[-4000:],
            },
        )
        return
    except MemoryError:
        _report(fd, {"nonce": nonce, "status": exception_status("MemoryError"), "detail": "MemoryError"})
        return
    except RecursionError as exc:
        _report(fd, {"nonce": nonce, "status": exception_status("RecursionError"), "detail": f"RecursionError: {exc}"})
        return
    except BaseException as exc:  # noqa: BLE001 - everything a sample raises is a verdict
        msg = str(exc).splitlines()[0][:300] if str(exc) else ""
        _report(
            fd,
            {
                "nonce": nonce,
                "status": exception_status(type(exc).__name__),
                "detail": f"{type(exc).__name__}: {msg}".rstrip(": "),
                "traceback": traceback.format_exc(limit=-8)[-4000:],
            },
        )
        return
    _report(fd, {"nonce": nonce, "status": "passed"})


if __name__ == "__main__":
    main()
