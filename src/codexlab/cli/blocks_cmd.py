"""`codexlab blocks run|analyze`: pass rate against the number of chained steps (the paper's building blocks)."""

from __future__ import annotations

import argparse
from pathlib import Path

from codexlab.cli.common import (
    add_execution_args,
    add_sampling_args,
    emit_json,
    limits_from_args,
    make_executor_from_args,
    sampling_params,
)
from codexlab.cli.generator_args import generator_from_args
from codexlab.errors import CodexlabError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    top = sub.add_parser(
        "blocks",
        help="building blocks: pass rate against the number of chained steps",
        description="Generate building-blocks problems, sample and judge a model on them, and "
        "write pass rate by chain length as a table (CSV/JSON) and a plot (PNG).",
    )
    cmds = top.add_subparsers(dest="blocks_command", metavar="ACTION", required=True)

    run = cmds.add_parser("run", help="generate problems, sample, judge and analyze (resumable)")
    run.add_argument("--out-dir", type=Path, required=True, help="run directory (rerun to resume)")
    run.add_argument("--n-per-length", type=int, default=4, help="problems per chain length (default 4)")
    run.add_argument("--lengths", default="1-8", help="chain lengths, e.g. 1-8 or 1,2,5 (default 1-8)")
    run.add_argument("--blocks-seed", type=int, default=0, help="problem generator seed (default 0)")
    run.add_argument("--plot", type=Path, help="PNG to write (default <out-dir>/building_blocks.png)")
    run.add_argument("--json", action="store_true", help="print the rows as JSON")
    add_sampling_args(run)
    add_execution_args(run)
    run.set_defaults(func=cmd_run)

    an = cmds.add_parser("analyze", help="table and plot from a judged blocks run directory")
    an.add_argument("run_dir", type=Path, help="a directory written by `codexlab blocks run`")
    an.add_argument("--plot", type=Path, help="PNG to write (default <run_dir>/building_blocks.png)")
    an.add_argument("--json", action="store_true", help="print the rows as JSON")
    an.set_defaults(func=cmd_analyze)


def cmd_run(args: argparse.Namespace) -> int:
    from codexlab.cli.problems_cmd import parse_lengths
    from codexlab.curation.sample_eval import sample_and_evaluate
    from codexlab.problems.building_blocks import generate_building_blocks

    try:
        problems = generate_building_blocks(args.n_per_length, parse_lengths(args.lengths), args.blocks_seed)
    except ValueError as exc:
        raise CodexlabError(str(exc)) from None
    params = sampling_params(args)
    with generator_from_args(args) as generator, make_executor_from_args(args) as executor:
        sample_and_evaluate(problems, generator, params, args.n, args.out_dir, executor, limits_from_args(args))
    return _analyze(args.out_dir, args.plot, args.json)


def cmd_analyze(args: argparse.Namespace) -> int:
    return _analyze(args.run_dir, args.plot, args.json)


def _analyze(run_dir: Path, plot_path: Path | None, as_json: bool) -> int:
    from codexlab.analyses import building_blocks as bb
    from codexlab.store import load_run

    if not run_dir.is_dir():
        raise CodexlabError(f"{run_dir} not found: run `codexlab blocks run --out-dir {run_dir}` first")
    per_problem = load_run(run_dir).outcomes()  # the store's judged samples
    if not per_problem:
        raise CodexlabError(f"{run_dir}: no judged samples: run `codexlab blocks run --out-dir {run_dir}` first")
    rows = bb.compute(per_problem)
    t = bb.table(rows)
    t.write(run_dir / "building_blocks")
    png = bb.plot(rows, plot_path or run_dir / "building_blocks.png")
    if as_json:
        emit_json({"rows": [r.__dict__ for r in rows], "decay_factor": bb.decay_factor(rows), "plot": str(png)})
    else:
        t.print()
        print(f"plot: {png}")
    return 0
