"""Execution: run untrusted completions against their tests and return verdicts the sample cannot forge."""

from codexlab.execution.process_executor import ProcessExecutor
from codexlab.execution.types import ExecutionJob, Executor, Limits, Status, Verdict, program_text

__all__ = ["ExecutionJob", "Executor", "Limits", "ProcessExecutor", "Status", "Verdict", "program_text"]
