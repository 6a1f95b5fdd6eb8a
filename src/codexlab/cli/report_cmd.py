"""`codexlab report RUN_DIR [--compare OTHER]`: a static, offline HTML report of a run or a comparison."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "report",
        help="write a static offline HTML report of a run (or of two runs compared)",
        description="One self-contained HTML file (inline CSS, JS and PNG plots; no network): summary with "
        "pass@k and CIs, plots, and a drill-down per problem with the prompt, each sample's code, verdict and "
        "failing detail.",
    )
    p.add_argument("run_dir", type=Path)
    p.add_argument("--compare", type=Path, metavar="OTHER_RUN", help="add a paired comparison with another run")
    p.add_argument("--out", type=Path, help="HTML file to write (default: RUN_DIR/report.html)")
    p.add_argument("--screenshot", type=Path, metavar="PNG", help="also save a headless-Chromium screenshot")
    p.add_argument("--problem", metavar="TASK_ID", help="screenshot this problem's drill-down instead")
    p.add_argument("--height", type=int, default=900, help="screenshot height in pixels (default 900)")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from codexlab.reports.html import write_report

    out = write_report(args.run_dir, args.out or args.run_dir / "report.html", compare=args.compare)
    print(f"codexlab: report in {out}", file=sys.stderr)
    if args.screenshot:
        from codexlab.reports.browser import screenshot
        from codexlab.reports.html import problem_anchor

        frag = problem_anchor(args.problem) if args.problem else ""
        print(f"codexlab: screenshot in {screenshot(out, args.screenshot, frag, args.height)}", file=sys.stderr)
    return 0
