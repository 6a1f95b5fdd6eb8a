"""`codexlab curate filter|decontaminate|targets|sft`: Codex-S data curation (filter problems by the model, keep
them apart from the benchmarks, write completion-format targets, fine-tune on them)."""

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
from codexlab.curation.completion_targets import OWN_TARGETS_PER_PROBLEM
from codexlab.errors import CodexlabError
from codexlab.problems.types import ProblemSet


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

    dec = cmds.add_parser(
        "decontaminate",
        help="drop training problems that overlap the benchmarks they will be scored on",
        description="Write the training problems (a dataset or a HumanEval-format file) without those whose "
        "prompt and solution share at least --min-fraction of an evaluation problem's 13-grams, and a report "
        "(<out>.decontamination.json) of what was dropped against which set.",
    )
    dec.add_argument(
        "problems",
        help="training problems: a HumanEval-format JSONL file, a dataset name, or NAME=FILE for an EvalPlus "
        "dataset read from its release file (mbpp+=MbppPlus.jsonl.gz)",
    )
    dec.add_argument(
        "--against",
        action="append",
        default=None,
        metavar="SET",
        help="an evaluation set, given as the training problems are; repeat it (default: humaneval)",
    )
    dec.add_argument("--min-fraction", type=float, default=0.1, help="share of a problem's 13-grams (default 0.1)")
    dec.add_argument("--out", type=Path, required=True, help="kept problems file to write (JSONL)")
    dec.add_argument("--json", action="store_true", help="print the report as JSON")
    dec.set_defaults(func=cmd_decontaminate)

    tgt = cmds.add_parser(
        "targets",
        help="training examples in HumanEval's completion format, from reference solutions or passing samples",
        description="Rewrite problems whose solutions are whole programs (MBPP+) as HumanEval completion "
        "examples: the prompt is the solution's signature with the problem's statement as docstring, the target "
        "its body made self-contained (imports and module-level helpers moved inside, so the paper's stop "
        "sequences cannot cut them off). Targets are the model's own passing samples in the judged runs (the "
        "default: rejection sampling, which keeps the model's style) or, with --solutions reference, the "
        "reference solutions (all problems, or with --run only those the model solved: the paper's filter).",
    )
    tgt.add_argument("problems", help="problems: a HumanEval-format file, a dataset name, or NAME=FILE (mbpp+=...)")
    tgt.add_argument("--out", type=Path, required=True, help="training problems file to write (JSONL)")
    tgt.add_argument(
        "--solutions",
        choices=("reference", "own"),
        default="own",
        help="own (default): the model's passing samples in --run (rejection sampling: on the default model "
        "+14 HumanEval points, docs/curation.md); reference: the problems' own solutions (the paper's targets; "
        "on the default model 13-18 points worse than the model before fine-tuning)",
    )
    tgt.add_argument(
        "--run",
        type=Path,
        action="append",
        default=None,
        metavar="RUN_DIR",
        help="a judged run of the model on these problems (repeatable; needed by the default --solutions own, "
        "which takes its passing samples): only the problems with a passing sample there get targets",
    )
    tgt.add_argument(
        "--per-problem",
        type=int,
        default=OWN_TARGETS_PER_PROBLEM,
        help=f"with --solutions own: distinct targets per problem (default {OWN_TARGETS_PER_PROBLEM})",
    )
    tgt.add_argument(
        "--hold-out-every",
        type=int,
        default=0,
        metavar="K",
        help="keep every K-th problem out of training and write it to <out>.heldout.jsonl (with its reference "
        "target), the slice on which to choose learning rate and steps (default 0: none)",
    )
    tgt.add_argument("--json", action="store_true", help="print the counts as JSON")
    tgt.set_defaults(func=cmd_targets)

    from codexlab.cli.sft_args import add_sft_parser, add_sweep_parser

    add_sft_parser(cmds)
    add_sweep_parser(cmds)


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


def cmd_decontaminate(args: argparse.Namespace) -> int:
    import json

    from codexlab.curation.decontaminate import decontaminate
    from codexlab.curation.sample_eval import write_problems

    if not 0 < args.min_fraction <= 1:
        raise CodexlabError("--min-fraction must be in (0, 1]")
    train = _problem_set(args.problems)
    against = [_problem_set(spec) for spec in args.against or ["humaneval"]]
    result = decontaminate(train, against, min_fraction=args.min_fraction)
    write_problems(args.out, result.kept)
    report = result.report()
    report_path = args.out.with_name(args.out.name + ".decontamination.json")
    report_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.json:
        emit_json(report)
    else:
        overlaps = ", ".join(f"{n}: {s['training_problems_overlapping']}" for n, s in report["against"].items())
        print(f"kept {report['kept']} of {report['problems']} problems; dropped {report['dropped']} ({overlaps})")
        print(f"kept problems: {args.out}; report: {report_path}")
    return 0


def cmd_targets(args: argparse.Namespace) -> int:
    import json

    from codexlab.curation.completion_targets import from_run, hold_out, reference_targets, solved_in
    from codexlab.curation.sample_eval import write_problems
    from codexlab.store.rundata import load_run

    everything = _problem_set(args.problems)
    if args.solutions == "own" and not args.run:
        raise CodexlabError(
            "--solutions own (the default) takes the passing samples of a judged run: give --run RUN_DIR, "
            "or --solutions reference for the problems' own solutions"
        )
    if args.per_problem < 1:
        raise CodexlabError("--per-problem must be at least 1")
    if args.hold_out_every < 0:
        raise CodexlabError("--hold-out-every must be 0 (none) or more")
    runs = [load_run(d) for d in args.run or []]
    problems, held = hold_out(everything, args.hold_out_every)
    heldout_path = args.out.with_name(args.out.name + ".heldout.jsonl")
    if held:
        write_problems(heldout_path, reference_targets(held))
    solved = solved_in(problems, runs) if runs else None
    if args.solutions == "own":
        targets = from_run(problems, runs, args.per_problem)
    else:
        targets = reference_targets(solved if solved is not None else problems)
    write_problems(args.out, targets)
    report = {
        "problems": len(everything),
        "solved_in_runs": None if solved is None else len(solved),
        "runs": [str(r) for r in args.run or []],
        "solutions": args.solutions,
        "problems_with_targets": len({t.split("#")[0] for t in targets}),
        "targets": len(targets),
        "held_out": len(held),
        "held_out_file": str(heldout_path) if held else None,
    }
    report_path = args.out.with_name(args.out.name + ".targets.json")
    report_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.json:
        emit_json(report)
    else:
        solved_note = "" if solved is None else f" ({len(solved)} solved in the runs)"
        print(
            f"{report['targets']} targets for {report['problems_with_targets']} of {len(problems)} problems"
            f"{solved_note}: {args.out}"
        )
        if held:
            print(f"{len(held)} problems held out: {heldout_path}")
    return 0


def _problem_set(spec: str) -> ProblemSet:
    """NAME=FILE (an EvalPlus dataset from its release file), a file, or a dataset name."""
    from codexlab.problems import load_problems

    name, sep, file = spec.partition("=")
    return load_problems(name, file) if sep else load_problems_arg(spec)
