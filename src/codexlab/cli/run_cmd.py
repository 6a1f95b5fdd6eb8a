"""`codexlab run`, `codexlab generate` and `codexlab evaluate`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from codexlab import api
from codexlab.cli.common import (
    add_execution_args,
    add_output_args,
    add_problem_args,
    add_sampling_args,
    emit_json,
    limits_from_args,
    load_problem_args,
    sampling_params,
)
from codexlab.cli.generator_args import generator_from_args
from codexlab.evaluation.evaluate import EvaluationResult, results_path_for, write_summary
from codexlab.generation.sampling import existing_sample_ids, generate_samples
from codexlab.jsonl import write_jsonl
from codexlab.problems import ProblemSet
from codexlab.reports.progress import RunBars, make_progress
from codexlab.reports.table import print_summary


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    run = sub.add_parser(
        "run",
        help="generate completions and evaluate them (pass@k) in a resumable run directory",
        description="Generate n completions per problem with a local GGUF model, execute each against the "
        "problem's tests, and print pass@k. Rerunning the same command resumes an interrupted run.",
    )
    add_problem_args(run)
    add_sampling_args(run)
    add_execution_args(run)
    run.add_argument("--run-dir", type=Path, help="where to write the run (default: runs/<model>-<dataset>-...)")
    run.add_argument("--runs-root", type=Path, default=Path("runs"), help="parent of default run dirs (default runs/)")
    _add_wait_arg(run)
    add_output_args(run)
    run.set_defaults(func=cmd_run)

    gen = sub.add_parser(
        "generate",
        help="generate completions into a samples JSONL file (no execution)",
        description="Write n samples per problem to a JSONL file (task_id, completion, tokens, logprobs, ...). "
        "Appends as it goes: rerunning with the same --out resumes.",
    )
    add_problem_args(gen)
    add_sampling_args(gen)
    gen.add_argument("--out", type=Path, required=True, help="samples file to write (JSONL)")
    gen.add_argument("--no-progress", action="store_true", help="hide progress bars")
    gen.set_defaults(func=cmd_generate)

    ev = sub.add_parser(
        "evaluate",
        help="execute a samples file against the problems' tests and print pass@k",
        description="Judge a samples file (openai/human-eval format: task_id, completion) and write "
        "<samples>_results.jsonl with passed/result plus status, detail and duration_s.",
    )
    ev.add_argument("samples", nargs="?", type=Path, help="samples JSONL file")
    ev.add_argument(
        "--canonical",
        action="store_true",
        help="evaluate every problem's canonical solution (the harness's own sanity check)",
    )
    ev.add_argument("--k", default=None, help="comma-separated k values for pass@k (default: 1,10,100 up to n)")
    add_problem_args(ev)
    add_execution_args(ev)
    _add_wait_arg(ev)
    add_output_args(ev)
    ev.set_defaults(func=cmd_evaluate)


def _add_wait_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--wait",
        action="store_true",
        help="if another process is using the run directory, wait for it instead of exiting with status 2",
    )


def _load_generator(args: argparse.Namespace) -> Any:
    return generator_from_args(args)


def _generate(args: argparse.Namespace, problems: ProblemSet, samples_path: Path, generator: Any) -> None:
    """`codexlab generate`: samples into a file, no run directory."""
    params = sampling_params(args, problems)
    done = existing_sample_ids(samples_path)
    with make_progress(args.no_progress) as progress:
        bars = RunBars(progress)
        bars.generation(len(problems) * args.n, sum(min(len(done.get(t, ())), args.n) for t in problems), generator)
        generate_samples(problems, generator, params, args.n, samples_path, on_sample=bars.sample)


def _report(args: argparse.Namespace, result: EvaluationResult, summary_path: Path | None, title: str) -> None:
    summary = result.summary()
    if summary_path is not None:
        write_summary(summary_path, summary)
    if args.json:
        emit_json(summary)
    else:
        print_summary(summary, title=title)


def cmd_run(args: argparse.Namespace) -> int:
    problems = load_problem_args(args)
    generator = _load_generator(args)
    try:
        with make_progress(args.no_progress) as progress:
            done = api.run(
                generator,
                problems,
                n=args.n,
                params=sampling_params(args, problems),
                run_dir=args.run_dir,
                runs_root=args.runs_root,
                executor=args.executor,
                workers=args.workers,
                unsafe=args.unsafe,
                limits=limits_from_args(args),
                calibrate=args.timeout is None,
                wait=args.wait,
                progress=RunBars(progress),
            )
    finally:
        generator.close()
    _report(args, done.evaluation, None, f"{problems.name} · {generator.model_id}")
    if not args.json:
        print(f"codexlab: samples, results and summary.json in {done.run_dir}", file=sys.stderr)
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    problems = load_problem_args(args)
    generator = _load_generator(args)
    try:
        _generate(args, problems, args.out, generator)
    finally:
        generator.close()
    print(f"codexlab: samples in {args.out}", file=sys.stderr)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from codexlab.errors import CodexlabError

    problems = load_problem_args(args)
    ks = [int(k) for k in args.k.split(",")] if args.k else None
    if args.canonical:
        samples_path = args.samples or Path("runs") / f"canonical-{problems.name}.jsonl"
        samples_path.parent.mkdir(parents=True, exist_ok=True)
        write_jsonl(
            samples_path, ({"task_id": p.task_id, "completion": p.canonical_solution} for p in problems.values())
        )
    elif args.samples is None:
        raise CodexlabError("evaluate needs a SAMPLES file (or --canonical)")
    else:
        samples_path = args.samples
    with make_progress(args.no_progress) as progress:
        result = api.evaluate(
            samples_path,
            problems,
            executor=args.executor,
            workers=args.workers,
            unsafe=args.unsafe,
            limits=limits_from_args(args),
            calibrate=args.timeout is None,
            ks=ks,
            wait=args.wait,
            progress=RunBars(progress),
        )
    _report(args, result, Path(f"{samples_path}_summary.json"), f"{problems.name} · {samples_path.name}")
    if not args.json:
        print(f"codexlab: results in {results_path_for(samples_path)}", file=sys.stderr)
    if args.canonical:
        failed = [r.task_id for r, v in zip(result.rows, result.verdicts) if not v.passed]
        if failed:
            print(
                f"codexlab: {len(failed)} canonical solutions did not pass: {', '.join(failed[:10])}", file=sys.stderr
            )
            return 1
    return 0
