"""`codexlab runs` (list run directories), `codexlab compare` (paired test) and `codexlab store` (JSONL I/O)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from codexlab.cli.common import emit_json
from codexlab.errors import CodexlabError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    runs = sub.add_parser(
        "runs",
        help="list run directories with their model, temperature, progress and pass@1",
        description="List every run directory under ROOT (default runs/). Read-only: safe on runs in progress.",
    )
    runs.add_argument("root", nargs="?", type=Path, default=Path("runs"), help="where to look (default runs/)")
    runs.add_argument("--json", action="store_true", help="machine-readable list on stdout")
    runs.set_defaults(func=cmd_runs)

    cmp = sub.add_parser(
        "compare",
        help="pass@k of two runs with a paired test and the problems that flipped",
        description="Compare two runs on the problems both judged: pass@k of each, the difference with a "
        "bootstrap CI over problems, a paired bootstrap p-value, McNemar's exact test when n = 1, and the "
        "problems solved by one run only.",
    )
    cmp.add_argument("run_a", type=Path)
    cmp.add_argument("run_b", type=Path)
    cmp.add_argument("--k", default="1", help="comma-separated k values (default 1)")
    cmp.add_argument("--json", action="store_true", help="machine-readable result on stdout")
    cmp.set_defaults(func=cmd_compare)

    st = sub.add_parser("store", help="import a run's JSONL files into run.sqlite, or export them back")
    ssub = st.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    imp = ssub.add_parser("import", help="build RUN_DIR/run.sqlite from RUN_DIR's samples and results JSONL")
    imp.add_argument("run_dir", type=Path)
    imp.set_defaults(func=cmd_store_import)
    exp = ssub.add_parser("export", help="write openai/human-eval samples (and results) JSONL from run.sqlite")
    exp.add_argument("run_dir", type=Path)
    exp.add_argument("--samples", type=Path, required=True, help="samples JSONL to write")
    exp.add_argument("--results", type=Path, help="results JSONL to write (passed/result per sample)")
    exp.set_defaults(func=cmd_store_export)


def cmd_runs(args: argparse.Namespace) -> int:
    from codexlab.reports.catalog import describe, find_runs

    if not args.root.is_dir():
        raise CodexlabError(f"{args.root}: no such directory")
    infos = [describe(d) for d in find_runs(args.root)]
    if args.json:
        emit_json([i.to_dict() for i in infos])
        return 0
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"runs under {args.root}", header_style="bold")
    for c in ("run", "model", "dataset", "T", "n", "samples", "judged", "pass@1", "store"):
        t.add_column(c)
    for i in infos:
        t.add_row(
            i.run_dir,
            i.model,
            i.dataset,
            "" if i.temperature is None else f"{i.temperature:g}",
            "" if i.n is None else str(i.n),
            str(i.samples),
            str(i.judged),
            "" if i.pass_at_1 is None else f"{100 * i.pass_at_1:.1f}%",
            "sqlite" if i.store else "jsonl",
        )
    Console().print(t)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from codexlab.evaluation.metrics import compare_runs
    from codexlab.store import distinct_names, load_run

    a, b = load_run(args.run_a), load_run(args.run_b)
    oa, ob = a.outcomes(), b.outcomes()
    results = []
    for k in (int(x) for x in args.k.split(",")):
        try:
            results.append(compare_runs(oa, ob, k))
        except ValueError as exc:
            raise CodexlabError(f"compare at k={k}: {exc}") from None
    if args.json:
        emit_json({"run_a": str(args.run_a), "run_b": str(args.run_b), "results": [r.to_dict() for r in results]})
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console()
    name_a, name_b = distinct_names([a.run_dir, b.run_dir])
    t = Table(title=f"A = {name_a}   B = {name_b}", header_style="bold")
    for c in ("k", "A", "B", "B - A [95% CI]", "p (paired bootstrap)", "p (McNemar)", "A only", "B only"):
        t.add_column(c)
    for r in results:
        t.add_row(
            str(r.k),
            f"{100 * r.a:.1f}%",
            f"{100 * r.b:.1f}%",
            r.diff.signed_points(),
            f"{r.p_bootstrap:.3g}",
            "-" if r.p_mcnemar is None else f"{r.p_mcnemar:.3g}",
            str(len(r.a_only)),
            str(len(r.b_only)),
        )
    console.print(t)
    r = results[0]
    console.print(f"on {r.diff.n_problems} common problems; flipped at k={r.k}:")
    console.print(f"  solved by A only: {', '.join(r.a_only) or '-'}")
    console.print(f"  solved by B only: {', '.join(r.b_only) or '-'}")
    return 0


def cmd_store_import(args: argparse.Namespace) -> int:
    from codexlab.store.jsonl_io import import_run_dir

    if not (args.run_dir / "samples.jsonl").exists():
        raise CodexlabError(f"{args.run_dir}: no samples.jsonl to import")
    with import_run_dir(args.run_dir) as store:
        n, v = store.count_samples(), len(store.verdicts())
    print(f"codexlab: {args.run_dir}/run.sqlite holds {n} samples and {v} verdicts", file=sys.stderr)
    return 0


def cmd_store_export(args: argparse.Namespace) -> int:
    from codexlab.store import STORE_NAME, open_store
    from codexlab.store.jsonl_io import export_results, export_samples

    if not (args.run_dir / STORE_NAME).exists():
        raise CodexlabError(f"{args.run_dir}: no {STORE_NAME}")
    with open_store(args.run_dir) as store:
        n = export_samples(store, args.samples)
        msg = f"codexlab: {n} samples to {args.samples}"
        if args.results:
            msg += f", {export_results(store, args.results)} results to {args.results}"
    print(msg, file=sys.stderr)
    return 0
