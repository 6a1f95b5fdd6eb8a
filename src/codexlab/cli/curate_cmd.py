"""`codexlab curate filter|sft`: Codex-S data curation (filter problems by the model; fine-tune on solutions)."""

from __future__ import annotations

import argparse
from pathlib import Path

from codexlab.cli.common import (
    add_execution_args,
    add_sampling_args,
    emit_json,
    limits_from_args,
    load_problems_arg,
    make_executor_from_args,
    sampling_params,
)
from codexlab.cli.generator_args import generator_from_args
from codexlab.errors import CodexlabError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    top = sub.add_parser(
        "curate",
        help="Codex-S curation: filter problems by the model, fine-tune on solutions",
        description="Curate supervised fine-tuning data as the paper did for Codex-S.",
    )
    cmds = top.add_subparsers(dest="curate_command", metavar="ACTION", required=True)

    flt = cmds.add_parser(
        "filter",
        help="keep the problems where at least one of k samples passes",
        description="Sample k completions per problem, judge them, and keep the problems with "
        "at least one passing sample (the paper's Codex-S filter). Resumable via --work-dir.",
    )
    flt.add_argument("problems", help="problems file (HumanEval-format JSONL) or a dataset name")
    flt.add_argument("--limit", type=int, metavar="N", help="only the first N problems")
    flt.add_argument("--k", type=int, default=4, help="samples per problem (default 4; the paper used 100)")
    flt.add_argument("--out", type=Path, required=True, help="kept problems file to write (JSONL)")
    flt.add_argument("--work-dir", type=Path, help="samples and verdicts (default <out>.work/)")
    flt.add_argument("--json", action="store_true", help="print the counts as JSON")
    add_sampling_args(flt)
    add_execution_args(flt)
    flt.set_defaults(func=cmd_filter, temperature=0.8)

    from codexlab.cli.sft_args import add_sft_parser

    add_sft_parser(cmds)


def cmd_filter(args: argparse.Namespace) -> int:
    from codexlab.curation.filter import filter_by_model

    problems = load_problems_arg(args.problems)
    if args.limit:
        problems = problems.subset(list(problems)[: args.limit])
    params = sampling_params(args)
    if args.k < 1:
        raise CodexlabError("--k must be at least 1")
    work_dir = args.work_dir or Path(f"{args.out}.work")
    with generator_from_args(args) as generator, make_executor_from_args(args) as executor:
        result = filter_by_model(
            problems, generator, params, args.k, work_dir, executor, limits_from_args(args), kept_path=args.out
        )
    summary = result.summary()
    if args.json:
        emit_json(summary)
    else:
        print(
            f"kept {summary['kept']} of {summary['problems']} problems ({summary['survival_rate']:.1%}) with "
            f"at least one of k={args.k} samples passing; dropped {summary['dropped']}"
        )
        print(f"kept problems: {args.out}; counts: {work_dir / 'filter.json'}")
    return 0
