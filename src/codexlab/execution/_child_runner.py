"""Runs inside the per-sample child process of the process executor. Never imported by the harness.

Reads {"program", "nonce", "report_fd"} as JSON on stdin, runs the program, and writes one JSON record
with the nonce to the report pipe. The record classifies the outcome; the parent adds timing and limits.
"""

import json
import os
import resource
import sys
import traceback


def _report(fd: int, record: dict) -> None:
    data = (json.dumps(record) + "\n").encode()
    os.write(fd, data[: 1 << 16])


def _assert_detail(exc: BaseException, program: str) -> str:
    lines = program.splitlines()
    tb = exc.__traceback__
    lineno = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<program>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    text = str(exc)
    src = lines[lineno - 1].strip() if lineno and lineno <= len(lines) else ""
    if src:
        return f"AssertionError: {src}" + (f" ({text})" if text else "")
    return f"AssertionError: {text}" if text else "AssertionError"


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
                "status": "failed",
                "detail": _assert_detail(exc, program),
                "traceback": traceback.format_exc(limit=-8)[-4000:],
            },
        )
        return
    except MemoryError:
        _report(fd, {"nonce": nonce, "status": "oom", "detail": "MemoryError"})
        return
    except RecursionError as exc:
        _report(fd, {"nonce": nonce, "status": "error", "detail": f"RecursionError: {exc}"})
        return
    except BaseException as exc:  # noqa: BLE001 - everything a sample raises is a verdict
        msg = str(exc).splitlines()[0][:300] if str(exc) else ""
        _report(
            fd,
            {
                "nonce": nonce,
                "status": "error",
                "detail": f"{type(exc).__name__}: {msg}".rstrip(": "),
                "traceback": traceback.format_exc(limit=-8)[-4000:],
            },
        )
        return
    _report(fd, {"nonce": nonce, "status": "passed"})


if __name__ == "__main__":
    main()
