"""`codexlab sandbox check`: which isolation layers the sandbox executor reaches on this host."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sandbox = sub.add_parser(
        "sandbox",
        help="inspect the sandbox that executes untrusted completions",
        description="The sandbox executor's isolation layers on this host.",
    )
    ssub = sandbox.add_subparsers(dest="sandbox_command", metavar="ACTION")
    check = ssub.add_parser(
        "check",
        help="print which isolation layers are active here",
        description="Start one sandbox worker, list each layer as active or why not, and show what a "
        "probe child inside the sandbox was stopped from doing.",
    )
    check.set_defaults(func=cmd_check)
    sandbox.set_defaults(func=lambda a: (sandbox.print_help(), 2)[1])


def cmd_check(args: argparse.Namespace) -> int:
    from codexlab.execution.sandbox.probe import LAYER_INFO, probe_layers

    report = probe_layers()
    console = Console()
    if report.error:
        console.print(f"[red]{report.error}[/red]")
        return 1
    t = Table(title=f"sandbox layers on this host ({report.isolation})")
    for col in ("layer", "what it stops", "status"):
        t.add_column(col)
    for name, (active, detail) in report.layers.items():
        t.add_row(name, LAYER_INFO[name], f"[green]{detail}[/green]" if active else f"[yellow]{detail}[/yellow]")
    console.print(t)
    if report.attempts:
        a = Table(title="tried from inside the sandbox")
        a.add_column("action")
        a.add_column("result")
        for action, result in report.attempts.items():
            expected_allowed = action == "write in scratch"
            ok = result.startswith("blocked") != expected_allowed
            a.add_row(action, f"[green]{result}[/green]" if ok else f"[red]{result}[/red]")
        console.print(a)
    if not report.confining:
        console.print("[red]no confining layer works here: the sandbox executor refuses without --unsafe[/red]")
        return 1
    missing = [n for n, (active, _) in report.layers.items() if not active]
    if missing:
        console.print(f"[yellow]degraded: {', '.join(missing)} unavailable; the other layers still apply[/yellow]")
    return 0
