"""Progress bars with counts, rates and ETA for long stages (generation, execution)."""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

stderr_console = Console(stderr=True)


class RateColumn(TextColumn):
    """Items per second, with the unit of the stage (samples/s, tokens/s)."""

    def __init__(self) -> None:
        super().__init__("")

    def render(self, task):  # type: ignore[no-untyped-def, override]
        speed = task.finished_speed or task.speed
        unit = task.fields.get("unit", "it")
        return Text(f"{speed:,.1f} {unit}/s" if speed else f"- {unit}/s", style="progress.data.speed")


def make_progress(disable: bool = False) -> Progress:
    """A rich Progress on stderr (stdout stays clean for --json); hidden when not a terminal unless forced."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        RateColumn(),
        TextColumn("{task.fields[extra]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=stderr_console,
        disable=disable or not sys.stderr.isatty(),
        transient=False,
    )


class RunBars:
    """Progress bars for a run (codexlab.api.Progress): one for generation, one for execution."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self._gen: Any = None
        self._exe: Any = None
        self._generator: Any = None
        self._tokens = 0

    def started(self, run_dir: Any) -> None:
        stderr_console.print(f"codexlab: run directory {run_dir}", highlight=False)

    def generation(self, total: int, done: int, generator: Any) -> None:
        self._generator, self._tokens = generator, generator.tokens_generated
        self._gen = self.progress.add_task("generating", total=total, completed=done, unit="samples", extra="")

    def sample(self, task_id: str, index: int) -> None:
        made = self._generator.tokens_generated - self._tokens
        self.progress.update(self._gen, advance=1, extra=f"{made:,} tok")

    def execution(self, executor: Any) -> None:
        self._exe = self.progress.add_task("executing", total=None, unit="samples", extra=executor.name)

    def verdicts(self, done: int, total: int) -> None:
        self.progress.update(self._exe, completed=done, total=total)
