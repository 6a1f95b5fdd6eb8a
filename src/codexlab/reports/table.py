"""Terminal tables for run summaries."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def print_summary(summary: dict[str, Any], title: str = "codexlab", console: Console | None = None) -> None:
    """pass@k and the verdict breakdown of one evaluation, as two compact tables."""
    console = console or Console()
    t = Table(title=title, show_header=True, header_style="bold")
    t.add_column("metric")
    t.add_column("value", justify="right")
    base = summary.get("base")
    for name, value in summary["pass_at_k"].items():
        t.add_row(name, f"{100 * value:.2f}%")
        if base is not None and name in base["pass_at_k"]:
            t.add_row(f"{name} (base tests)", f"{100 * base['pass_at_k'][name]:.2f}%")
    t.add_row("problems", f"{summary['problems_evaluated']} of {summary['problems_total']}")
    spp = summary["samples_per_problem"]
    t.add_row(
        "samples",
        f"{summary['samples']} ({spp['min']}"
        + (f"-{spp['max']}" if spp["max"] != spp["min"] else "")
        + " per problem)",
    )
    t.add_row("unique programs", str(summary["unique_programs"]))
    t.add_row("executor", f"{summary['executor']} ({', '.join(summary['isolation']) or '-'})")
    console.print(t)
    s = Table(title="verdicts", show_header=True, header_style="bold")
    s.add_column("status")
    s.add_column("samples", justify="right")
    for status, count in summary["status_counts"].items():
        s.add_row(status, str(count))
    console.print(s)
