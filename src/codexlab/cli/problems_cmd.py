"""`codexlab problems blocks|apps|harvest|check`: make problem files and check their reference solutions."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from codexlab.cli.common import add_execution_args, emit_json, limits_from_args, make_executor_from_args
from codexlab.errors import CodexlabError
from codexlab.jsonl import write_jsonl
from codexlab.problems import ProblemSet, load_problems_file


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    top = sub.add_parser(
        "problems",
        help="make problem files (building blocks, APPS, harvested) and check them",
        description="Write HumanEval-format problem files from generators and other sources, "
        "and check that every canonical solution passes its own tests.",
    )
    cmds = top.add_subparsers(dest="problems_command", metavar="SUBCOMMAND")
    top.set_defaults(func=lambda args: top.print_help() or 2)

    blocks = cmds.add_parser(
        "blocks",
        help="synthetic problems chaining 1-10 simple string operations",
        description="The paper's building-blocks problems: each docstring chains N of 13 "
        "string operations. Same seed, same problems.",
    )
    blocks.add_argument("--out", type=Path, required=True, help="problems file to write (JSONL)")
    blocks.add_argument("--n-per-length", type=int, default=10, help="problems per chain length (default 10)")
    blocks.add_argument("--lengths", default="1-10", help="chain lengths, e.g. 1-10 or 1,2,5 (default 1-10)")
    blocks.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    blocks.add_argument("--json", action="store_true", help="print a machine-readable summary on stdout")
    blocks.set_defaults(func=cmd_blocks)

    apps = cmds.add_parser(
        "apps",
        help="convert APPS-style problems (stdin/stdout tests) to a problems file",
        description="Read APPS records (question, input_output, starter_code, solutions) "
        "from JSONL and write HumanEval-format problems judged on stdin/stdout.",
    )
    apps.add_argument("file", type=Path, help="APPS-style JSONL(.gz) file")
    apps.add_argument("--out", type=Path, required=True, help="problems file to write (JSONL)")
    apps.add_argument("--json", action="store_true", help="print a machine-readable summary on stdout")
    apps.set_defaults(func=cmd_apps)

    hv = cmds.add_parser(
        "harvest",
        help="trace a project's test suite and turn its pure functions into problems",
        description="Run DIR's tests (pytest or unittest) under a tracer, record literal inputs "
        "and outputs of the functions they call, and write problems whose canonical solutions "
        "pass (checked on the process executor unless --executor says otherwise). Runs the "
        "suite unsandboxed: point it only at code you trust.",
    )
    hv.add_argument("dir", type=Path, help="project root (or an installed package folder that ships tests)")
    hv.add_argument("--out", type=Path, required=True, help="problems file to write (JSONL)")
    hv.add_argument(
        "--source",
        type=Path,
        action="append",
        metavar="PATH",
        help="file or folder whose functions are traced (repeatable; default: DIR without tests)",
    )
    hv.add_argument("--tests", action="append", metavar="PATH", help="test paths to run (default: DIR)")
    hv.add_argument("--framework", choices=("pytest", "unittest"), default="pytest")
    hv.add_argument("--max-calls", type=int, default=20, help="calls recorded per function (default 20)")
    hv.add_argument("--suite-timeout", type=float, default=900.0, help="seconds for the whole suite (default 900)")
    hv.add_argument("--report", type=Path, help="also write the per-function report (JSON) here")
    hv.add_argument("--json", action="store_true", help="print the report summary as JSON on stdout")
    add_execution_args(hv)
    # the canonical solutions are the user's own code, already run unsandboxed by the suite
    hv.set_defaults(func=cmd_harvest, executor="process")

    ck = cmds.add_parser(
        "check",
        help="run every canonical solution of a problems file against its tests",
        description="Judge each problem's canonical_solution through the executor; list "
        "the failures and exit 1 if there are any.",
    )
    ck.add_argument("file", type=Path, help="HumanEval-format JSONL(.gz) problems file")
    ck.add_argument("--json", action="store_true", help="print a machine-readable summary on stdout")
    add_execution_args(ck)
    ck.set_defaults(func=cmd_check)

    from codexlab.problems.releases import RELEASES

    fe = cmds.add_parser(
        "fetch",
        help="download a released benchmark file (HumanEval+, MBPP+), verified by its pinned sha256",
        description="Download an EvalPlus release from its official location into codexlab's cache (once), "
        "check its sha256, and print its path. Offline, put the file there yourself or pass --url.",
    )
    fe.add_argument("name", choices=sorted(RELEASES), help="which release")
    fe.add_argument("--url", help="fetch the same pinned file from this URL instead (a mirror)")
    fe.set_defaults(func=cmd_fetch)


def parse_lengths(text: str) -> list[int]:
    """ "1-10" or "1,3,5" (or a mix) to a list of chain lengths."""
    out: list[int] = []
    try:
        for part in text.split(","):
            lo, _, hi = part.strip().partition("-")
            out += list(range(int(lo), int(hi) + 1)) if hi else [int(lo)]
    except ValueError:
        raise CodexlabError(f"--lengths: expected e.g. 1-10 or 1,2,5, got {text!r}") from None
    if not out:
        raise CodexlabError("--lengths is empty")
    return out


def _write(problems: ProblemSet, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    write_jsonl(out, (p.to_dict() for p in problems.values()))


def cmd_blocks(args: argparse.Namespace) -> int:
    from codexlab.problems.building_blocks import generate_building_blocks

    try:
        problems = generate_building_blocks(args.n_per_length, parse_lengths(args.lengths), args.seed)
    except ValueError as exc:
        raise CodexlabError(str(exc)) from None
    _write(problems, args.out)
    summary = {"out": str(args.out), "problems": len(problems), "digest": problems.digest}
    if args.json:
        emit_json(summary)
    else:
        print(f"codexlab: wrote {len(problems)} building-blocks problems to {args.out}", file=sys.stderr)
    return 0


def cmd_apps(args: argparse.Namespace) -> int:
    from codexlab.problems.apps import load_apps

    problems = load_apps(args.file)
    _write(problems, args.out)
    no_solution = sum(1 for p in problems.values() if not p.canonical_solution)
    summary = {"out": str(args.out), "problems": len(problems), "without_solution": no_solution}
    if args.json:
        emit_json(summary)
    else:
        print(
            f"codexlab: wrote {len(problems)} APPS problems to {args.out} ({no_solution} without a usable "
            "reference solution)",
            file=sys.stderr,
        )
    return 0


def cmd_harvest(args: argparse.Namespace) -> int:
    from codexlab.problems.harvest import harvest

    if args.max_calls < 1:
        raise CodexlabError("--max-calls must be at least 1")
    from codexlab.execution.canonical import canonical_check

    with make_executor_from_args(args) as executor:
        report = harvest(
            args.dir,
            args.source,
            args.tests,
            args.framework,
            check=canonical_check(executor, limits_from_args(args)),
            max_calls=args.max_calls,
            timeout_s=args.suite_timeout,
        )
    _write(report.problems, args.out)
    if args.report:
        args.report.write_text(json.dumps(report.to_dict(), indent=2) + "\n")
    if args.json:
        summary = report.to_dict()
        summary.pop("functions")
        emit_json(summary)
        return 0
    print(
        f"traced {report.traced} functions, kept {report.kept}, dropped {report.traced - report.kept}"
        f" (test suite exit code {report.tests_exit_code}, {report.test_seconds:.1f}s)"
    )
    examples = report.examples()
    for reason, n in report.dropped.most_common():
        print(f"  {n:5d}  {reason}  (e.g. {', '.join(examples.get(reason, []))})")
    print(f"codexlab: wrote {report.kept} problems to {args.out}", file=sys.stderr)
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from codexlab.problems.releases import fetch_release

    print(fetch_release(args.name, args.url))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    problems = load_problems_file(args.file)
    from codexlab.execution.canonical import failing_canonicals

    with make_executor_from_args(args) as executor:
        failed = failing_canonicals(problems.values(), executor, limits_from_args(args))
    if args.json:
        emit_json(
            {
                "problems": len(problems),
                "passed": len(problems) - len(failed),
                "failed": {t: v.result_text for t, v in failed.items()},
            }
        )
    else:
        for task_id, verdict in failed.items():
            print(f"FAIL {task_id}: {verdict.result_text}")
        print(f"{len(problems) - len(failed)}/{len(problems)} canonical solutions pass ({args.file})")
    return 1 if failed else 0
