"""How a sample's process that ended without a verdict is judged: one rule for every executor (the process
executor's child and the sandbox's), so the same program gets the same status whichever runs it."""

from __future__ import annotations

import signal

from codexlab.execution.types import Status

CPU_SIGNALS = (signal.SIGXCPU, signal.SIGPROF)  # RLIMIT_CPU's soft limit; the sandbox's CPU-time timer


def signal_name(number: int) -> str:
    return signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)


def ended_without_verdict(signal_number: int | None, exit_code: int | None, output: bytes) -> tuple[Status, str]:
    """The status and detail of a process that died (`signal_number`) or exited (`exit_code`) before its
    verdict: a CPU-limit signal is a timeout; a MemoryError it printed on the way out (the address-space limit)
    an OOM; any other signal a kill; any other exit an error that quotes the last line it printed."""
    if signal_number is not None:
        if signal_number in CPU_SIGNALS:
            return Status.TIMEOUT, "CPU time limit reached"
        name = signal_name(signal_number)
        if b"MemoryError" in output:
            return Status.OOM, f"MemoryError, then killed by {name}"
        return Status.KILLED, f"killed by {name}"
    if b"MemoryError" in output:
        return Status.OOM, "MemoryError"
    tail = output.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    return Status.ERROR, f"the sample exited with status {exit_code} before its verdict {tail[0][:200]}".strip()
