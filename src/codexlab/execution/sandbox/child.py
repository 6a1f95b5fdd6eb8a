"""What runs in a sample's process, after the zygote forked it and locked it down.

First, before any of the sample's code runs, ["started"]: the end of the zygote's setup (a setup error is
believed only before it). Judge mode: run prompt + completion, then serve calls to the entry point: each
request is a pair
(positional arguments, keyword arguments) in the codec's tagged JSON, each answer ["ok", value] |
["bad", why] | ["exc", type, msg, tb].
Inproc mode (forgeable): run the whole program with its tests here and answer ["passed"] or the exception.
Nothing sent from here is trusted: the judge only accepts plain values and compares them itself.
"""

from __future__ import annotations

import os
import traceback
from typing import Any

from codexlab.execution.sandbox import codec, wire

TRACEBACK_CHARS = 2000


def _exc_message(exc: BaseException) -> tuple[str, str, str, str]:
    try:
        msg = str(exc)[:300]
    except BaseException:  # noqa: BLE001 - a hostile __str__
        msg = "<unprintable>"
    try:
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-8))[-TRACEBACK_CHARS:]
    except BaseException:  # noqa: BLE001
        tb = ""
    name = type(exc).__name__ if isinstance(type(exc).__name__, str) else "Exception"
    return ("exc", name, msg, tb)


def serve(src: str, entry_point: str, mode: str, req_fd: int, resp_fd: int) -> None:
    """Run the sample and answer the judge until it closes the request pipe. Never returns normally."""
    send, recv, exit_ = wire.send_frame, wire.recv_frame, os._exit
    decode, to_tree = codec.decode, codec.to_tree

    dumps = codec.dumps

    def answer(msg: tuple[Any, ...]) -> None:
        send(resp_fd, dumps(msg))

    answer(("started",))  # the setup is done: from here on, a "setup_error" can only be the sample's forgery
    try:
        code = compile(src, "<program>", "exec")
    except BaseException as exc:  # noqa: BLE001 - SyntaxError, ValueError (null bytes), MemoryError, RecursionError
        answer(("syntax_error", f"{type(exc).__name__}: {exc}"[:500]))
        exit_(0)
    env: dict[str, Any] = {"__name__": "__main__", "__builtins__": __builtins__}
    try:
        exec(code, env)
        if mode == "inproc":
            answer(("passed",))
            exit_(0)
        fn = env[entry_point]
        if not callable(fn):
            raise TypeError(f"{entry_point} is not callable")
    except BaseException as exc:  # noqa: BLE001 - everything a sample raises is a verdict
        answer(("load_error",) + _exc_message(exc)[1:])
        exit_(0)
    answer(("ready",))
    while True:
        try:
            args, kwargs = decode(recv(req_fd))
        except EOFError:
            exit_(0)
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
            answer(_exc_message(exc))
            continue
        try:
            answer(("ok", to_tree(result)))
        except codec.NotPlain as exc:
            answer(("bad", str(exc)[:200]))
        except BaseException as exc:  # noqa: BLE001 - a result that cannot be encoded
            answer(("bad", f"{type(exc).__name__}: {exc}"[:200]))
