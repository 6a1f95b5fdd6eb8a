"""`codexlab docstrings generate|backtranslate`: Codex-D docstring generation and back-translation pass@k."""

from __future__ import annotations

import argparse
from pathlib import Path

from codexlab.cli.common import (
    add_execution_args,
    add_problem_args,
    add_sampling_args,
    emit_json,
    limits_from_args,
    load_problem_args,
    make_executor_from_args,
    sampling_params,
)
from codexlab.cli.generator_args import generator_from_args
from codexlab.errors import CodexlabError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    top = sub.add_parser(
        "docstrings",
        help="Codex-D: generate docstrings from code; judge them by back-translation",
        description="Write docstrings for problems' functions with a model, then measure them "
        "by regenerating code from each docstring and running the original tests.",
    )
    cmds = top.add_subparsers(dest="docstrings_command", metavar="ACTION", required=True)

    gen = cmds.add_parser(
        "generate",
        help="generate docstrings into a JSONL file, beside the originals",
        description="For each problem, show the model the function without its docstring "
        "(signature and body) and ask for the docstring. --prompt-format chat (default: an "
        'instruction to an instruct model) or completion (the code, then `name.__doc__ = """`). '
        "Rerunning with the same --out resumes.",
    )
    add_problem_args(gen)
    add_sampling_args(gen)
    gen.add_argument("--out", type=Path, required=True, help="docstrings file to write (JSONL)")
    gen.set_defaults(func=cmd_generate, prompt_format="chat", max_tokens=256)

    bt = cmds.add_parser(
        "backtranslate",
        help="regenerate code from generated docstrings and report pass@k",
        description="Put each generated docstring in place of the original, complete the new "
        "prompt with a code model (the same sampling options as `run`), run the original tests "
        "and report pass@k of the regenerated code. Resumable via --out-dir.",
    )
    bt.add_argument("docstrings", type=Path, help="a file written by `codexlab docstrings generate`")
    bt.add_argument("--out-dir", type=Path, required=True, help="run directory (rerun to resume)")
    bt.add_argument("--k", default=None, help="comma-separated k values (default 1 and n)")
    bt.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_problem_args(bt)
    add_sampling_args(bt)
    add_execution_args(bt)
    bt.set_defaults(func=cmd_backtranslate)


def cmd_generate(args: argparse.Namespace) -> int:
    from codexlab.docstrings.generate import generate_docstrings

    problems = load_problem_args(args)
    params = sampling_params(args)
    # the chat conversation is built here, so the backend is loaded plain and its chat template used directly
    with generator_from_args(args, prompt_format="completion") as generator:
        try:
            made = generate_docstrings(problems, generator, params, args.n, args.out, args.prompt_format)
        except ValueError as exc:
            raise CodexlabError(str(exc)) from None
    print(f"generated {made} docstrings into {args.out} ({len(problems)} problems x {args.n})")
    return 0


def cmd_backtranslate(args: argparse.Namespace) -> int:
    from codexlab.docstrings.backtranslate import backtranslate

    problems = load_problem_args(args)
    params = sampling_params(args)
    ks = [int(k) for k in args.k.split(",")] if args.k else sorted({1, args.n})
    if not args.docstrings.exists():
        raise CodexlabError(f"{args.docstrings} not found")
    with generator_from_args(args) as generator, make_executor_from_args(args) as executor:
        try:
            result = backtranslate(
                problems,
                args.docstrings,
                generator,
                params,
                args.n,
                args.out_dir,
                executor,
                limits_from_args(args),
                ks=ks,
            )
        except ValueError as exc:
            raise CodexlabError(str(exc)) from None
    summary = result.summary()
    if args.json:
        emit_json(summary)
    else:
        scores = ", ".join(f"{k} = {v:.3f}" for k, v in summary["pass_at_k"].items())
        print(f"back-translation over {summary['problems_evaluated']} generated docstrings: {scores}")
        print(f"docstrings beside originals with code verdicts: {args.out_dir / 'backtranslation.jsonl'}")
    return 0
