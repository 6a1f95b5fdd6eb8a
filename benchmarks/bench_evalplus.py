"""codexlab against EvalPlus 0.3.1 on HumanEval+ or MBPP+ (`--dataset`): the same samples file and release file,
the same number of workers. Prints, for each harness, the wall time of a cold run (its expected outputs
computed, and for codexlab its limits calibrated) and of a warm one (both cached), samples/s and the ratio, and
whether the two agree on every sample's base and plus verdict (listing any that differ), and the floor the
samples' own run time sets on any harness (their time in codexlab's judge, over the workers).

EvalPlus is not a codexlab dependency: install the `bench` extra (pip install 'codexlab[bench]'), or put it in a
venv of its own and name its interpreter,

    python -m venv /tmp/venv-evalplus && /tmp/venv-evalplus/bin/pip install evalplus==0.3.1
    python benchmarks/bench_evalplus.py --evalplus-python /tmp/venv-evalplus/bin/python [--samples FILE]

Without --samples the samples are the release's canonical solutions. EvalPlus reads the release through
HUMANEVAL_OVERRIDE_PATH (MBPP_OVERRIDE_PATH), codexlab through --problems; each gets a fresh cache folder for
its cold run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from codexlab.jsonl import read_jsonl, write_jsonl
from codexlab.problems.evalplus import read_evalplus
from codexlab.problems.releases import fetch_release

# codexlab's dataset -> EvalPlus's name for it and the variable that points it at a local release file
EVALPLUS_NAMES = {"humaneval+": ("humaneval", "HUMANEVAL_OVERRIDE_PATH"), "mbpp+": ("mbpp", "MBPP_OVERRIDE_PATH")}


def run_evalplus(
    python: str, dataset: str, samples: Path, release: Path, workers: int, cache: Path
) -> tuple[float, dict]:
    name, override = EVALPLUS_NAMES[dataset]
    env = {**os.environ, override: str(release), "XDG_CACHE_HOME": str(cache)}
    cmd = [python, "-m", "evalplus.evaluate", "--dataset", name, "--samples", str(samples)]
    cmd += ["--parallel", str(workers), "--i_just_wanna_run"]
    result_path = Path(str(samples).replace(".jsonl", "_eval_results.json"))
    result_path.unlink(missing_ok=True)  # (it would ask on stdin whether to overwrite it)
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"evalplus.evaluate failed:\n{proc.stderr[-2000:]}")
    results = json.loads(result_path.read_text())
    return took, results["eval"]


def run_codexlab(dataset: str, samples: Path, release: Path, workers: int, cache: Path) -> float:
    env = {**os.environ, "CODEXLAB_CACHE": str(cache)}
    for old in samples.parent.glob(samples.name + "_results.sqlite*"):
        old.unlink()  # judge everything again, as evalplus does (its caches, like codexlab's, are kept)
    cmd = [sys.executable, "-m", "codexlab.cli.main", "evaluate", str(samples), "--dataset", dataset]
    cmd += ["--problems", str(release), "--workers", str(workers), "--json"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"codexlab evaluate failed:\n{proc.stderr[-2000:]}")
    return took


def verdicts_by_task(path: Path) -> dict[str, list[bool]]:
    out: dict[str, list[bool]] = {}
    for _, row in read_jsonl(path):
        out.setdefault(row["task_id"], []).append(bool(row["passed"]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--evalplus-python",
        default=sys.executable if importlib.util.find_spec("evalplus") else None,
        help="an interpreter with evalplus==0.3.1 installed (default: this one, with the `bench` extra)",
    )
    ap.add_argument("--samples", type=Path, help="a samples JSONL (task_id, completion); default: canonical")
    ap.add_argument("--dataset", choices=sorted(EVALPLUS_NAMES), default="humaneval+")
    ap.add_argument("--release", type=Path, help="the release file (default: fetched and verified)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    if args.evalplus_python is None:
        ap.error("evalplus is not installed here: pip install 'codexlab[bench]', or name --evalplus-python")
    release = args.release or fetch_release(args.dataset)
    with tempfile.TemporaryDirectory(prefix="codexlab-bench-evalplus-") as tmp:
        work = Path(tmp)
        samples = work / "samples.jsonl"
        if args.samples:
            shutil.copy(args.samples, samples)
        else:
            write_jsonl(
                samples, ({"task_id": p.task_id, "completion": p.canonical_solution} for p in read_evalplus(release))
            )
        n = sum(1 for _ in read_jsonl(samples))
        print(f"{args.dataset} samples: {n}   workers: {args.workers}   load average: {os.getloadavg()[0]:.1f}")
        times: dict[str, list[float]] = {"evalplus": [], "codexlab": []}
        ep_cache, cl_cache = work / "evalplus-cache", work / "codexlab-cache"
        for _ in ("cold", "warm"):  # alternating, so a drifting load hits both
            took, ep = run_evalplus(args.evalplus_python, args.dataset, samples, release, args.workers, ep_cache)
            times["evalplus"].append(took)
            times["codexlab"].append(run_codexlab(args.dataset, samples, release, args.workers, cl_cache))
        plus = verdicts_by_task(Path(f"{samples}_results.jsonl"))
        base = verdicts_by_task(Path(f"{samples}_base_results.jsonl"))
        differ = []
        for task_id, rows in ep.items():
            for i, r in enumerate(rows):
                ep_base, ep_plus = r["base_status"] == "pass", r["base_status"] == r["plus_status"] == "pass"
                if (ep_base, ep_plus) != (base[task_id][i], plus[task_id][i]):
                    differ.append(f"{task_id}#{i}: evalplus base/plus {ep_base}/{ep_plus}, "
                                  f"codexlab {base[task_id][i]}/{plus[task_id][i]}")  # fmt: skip
        print(f"{'':10} {'cold s':>8} {'warm s':>8} {'warm samples/s':>15}")
        for name, (cold, warm) in times.items():
            print(f"{name:10} {cold:8.1f} {warm:8.1f} {n / warm:15.1f}")
        cold_ratio = times["evalplus"][0] / times["codexlab"][0]
        warm_ratio = times["evalplus"][1] / times["codexlab"][1]
        print(f"ratio (evalplus time / codexlab time): cold {cold_ratio:.2f}x, warm {warm_ratio:.2f}x")
        ep_plus_n = sum(r["base_status"] == r["plus_status"] == "pass" for rows in ep.values() for r in rows)
        print(f"plus passes: evalplus {ep_plus_n}, codexlab {sum(sum(v) for v in plus.values())}")
        # The samples' own time in the judge (their calls on every input, until the first failing one, and the
        # checks of their answers) is work any harness must do at these limits: over the workers, a floor.
        busy = sum(float(row["duration_s"]) for _, row in read_jsonl(Path(f"{samples}_results.jsonl")))
        floor = busy / args.workers
        bound = times["evalplus"][1] / floor
        print(f"samples' own time in the judge: {busy:.1f} s, {floor:.1f} s over {args.workers} workers; "
              f"evalplus warm over that floor: at most {bound:.1f}x for any harness")  # fmt: skip
        print(f"verdicts that differ: {len(differ)}")
        for line in differ:
            print("  " + line)


if __name__ == "__main__":
    main()
