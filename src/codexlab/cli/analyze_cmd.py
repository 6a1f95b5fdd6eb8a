"""`codexlab analyze sweep|ranking|bleu|failures|difficulty|lengths|endings RUN_DIR...`: each writes a PNG and a
table."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from typing import Any

from codexlab.cli.common import emit_json
from codexlab.errors import CodexlabError

ANALYSES = {
    "sweep": "pass@k across temperatures (one run per temperature) and the best temperature for each k",
    "ranking": "pass@1-of-k for random, mean/sum log-prob and oracle choice (paper's Figure 7)",
    "bleu": "BLEU to the canonical solution of correct vs incorrect samples (paper's Figure 8)",
    "failures": "failure taxonomy: verdicts, exception types, most frequent failing asserts",
    "difficulty": "per-problem pass rate, hardest first",
    "lengths": "completion token lengths by verdict, and how many hit the token limit",
    "endings": "how completions end (which stop sequence, end-of-text, token limit) and the junk they keep",
}
SINGLE_RUN = {"ranking", "difficulty"}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "analyze",
        help="the paper's analyses of judged runs (each writes a plot and a table)",
        description="Run one analysis over run directories. Writes <out>/<name>.png, .csv and .json and prints "
        "the table. Confidence intervals bootstrap over problems.",
    )
    asub = p.add_subparsers(dest="analysis", metavar="ANALYSIS", required=True)
    for name, help_text in ANALYSES.items():
        a = asub.add_parser(name, help=help_text, description=help_text)
        a.add_argument("runs", nargs=1 if name in SINGLE_RUN else "+", type=Path, metavar="RUN_DIR")
        a.add_argument("--out", type=Path, help="output folder (default: <first RUN_DIR>/analyses)")
        a.add_argument("--json", action="store_true", help="print the table as JSON on stdout")
        if name == "sweep":
            a.add_argument("--k", default="1,10,100", help="k values (default 1,10,100; those <= n are kept)")
        a.set_defaults(func=cmd_analyze)


def run_analysis(name: str, run_dirs: list[Path], out: Path, **opts: Any) -> tuple[Any, list[Path]]:
    """Compute one analysis, write its plot and table; return the result and the files written."""
    from codexlab.store import load_run

    mod = importlib.import_module(f"codexlab.analyses.{name}")
    runs = [load_run(d) for d in run_dirs]
    try:
        if name in SINGLE_RUN:
            result = mod.compute(runs[0])
        elif name == "sweep":
            result = mod.compute(runs, ks=opts.get("ks"))
        else:
            result = mod.compute(runs)
    except ValueError as exc:
        raise CodexlabError(f"analyze {name}: {exc}") from None
    files = [mod.plot(result, out / f"{name}.png"), *result.table().write(out / name)]
    return result, files


def cmd_analyze(args: argparse.Namespace) -> int:
    out = args.out or args.runs[0] / "analyses"
    ks = [int(k) for k in args.k.split(",")] if getattr(args, "k", None) else None
    result, files = run_analysis(args.analysis, list(args.runs), out, ks=ks)
    table = result.table()
    if args.json:
        emit_json({**table.to_dict(), "files": [str(f) for f in files]})
    else:
        table.print()
        print("wrote " + ", ".join(str(f) for f in files))
    return 0
