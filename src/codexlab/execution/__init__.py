"""Execution: run untrusted completions against their tests and return verdicts the sample cannot forge."""

from __future__ import annotations

import warnings

from codexlab.execution.process_executor import ProcessExecutor
from codexlab.execution.types import ExecutionJob, Executor, Limits, Status, Verdict, program_text
from codexlab.lazy import lazy_exports

EXECUTOR_NAMES = ("auto", "sandbox", "sandbox-inproc", "process", "ray")


def make_executor(
    name: str = "sandbox", workers: int | None = None, *, unsafe: bool = False, layers: dict[str, bool] | None = None
) -> Executor:
    """The executor called `name`: "sandbox" (judge mode, the default), "sandbox-inproc" (tests in the child:
    faster, forgeable), "process" (portable, not a sandbox), "auto" (the sandbox where this host allows it;
    elsewhere the process executor, but only with `unsafe=True`: untrusted code never runs unconfined by
    default), "ray" (sandbox pools on Ray actors: the running Ray, or a local one). `layers` switches sandbox
    layers off, e.g. {"seccomp": False}."""
    from codexlab.errors import CodexlabError

    if name in ("sandbox", "sandbox-inproc", "auto"):
        from codexlab.execution.sandbox.executor import SandboxExecutor, SandboxUnavailable

        mode = "inproc" if name == "sandbox-inproc" else "judge"
        ex = SandboxExecutor(workers=workers, mode=mode, unsafe=unsafe and name != "auto", layers=layers)
        if name != "auto":
            return ex
        try:
            ex.start()
            return ex
        except (SandboxUnavailable, RuntimeError, OSError) as exc:
            ex.close()
            if not unsafe:
                raise CodexlabError(
                    f"no sandbox on this host ({exc}); pass --unsafe to run untrusted samples in the process "
                    "executor (rlimits and process groups only), or run where `codexlab sandbox check` passes"
                ) from None
            warnings.warn(f"sandbox unavailable ({exc}); --unsafe: using the process executor", RuntimeWarning, 2)
            return ProcessExecutor(workers=workers)
    if name == "process":
        return ProcessExecutor(workers=workers)
    if name == "ray":
        from codexlab.execution.ray_executor import RayExecutor

        return RayExecutor(workers=workers)
    raise CodexlabError(f"unknown executor {name!r} (choose from {', '.join(EXECUTOR_NAMES)})")


# `SandboxExecutor` is exported lazily, so importing codexlab.execution stays light.
__getattr__ = lazy_exports({"SandboxExecutor": "codexlab.execution.sandbox"})


__all__ = [
    "EXECUTOR_NAMES",
    "ExecutionJob",
    "Executor",
    "Limits",
    "ProcessExecutor",
    "SandboxExecutor",
    "Status",
    "Verdict",
    "make_executor",
    "program_text",
]
