"""The sandbox executor: a trusted judge, a clean zygote per worker, one locked-down child per sample.

Modules, one job each: `lowlevel` (ctypes syscalls), `landlock`, `seccomp` (a BPF filter built here),
`codec` (values across the boundary as literals), `child` (what runs in the sample's process), `zygote`
(the per-worker fork server), `judge` (runs the tests, calls the child), `executor` (the pool), `probe`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["LayerReport", "SandboxExecutor", "probe_layers"]


def __getattr__(name: str) -> Any:
    """Lazy exports: the zygote and the child import submodules without pulling in the executor."""
    if name == "SandboxExecutor":
        from codexlab.execution.sandbox.executor import SandboxExecutor

        return SandboxExecutor
    if name in ("LayerReport", "probe_layers"):
        from codexlab.execution.sandbox import probe

        return getattr(probe, name)
    raise AttributeError(name)
