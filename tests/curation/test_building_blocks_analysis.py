"""Building-blocks analysis: pass rate by chain length, judged by real execution, table and plot."""

from __future__ import annotations

import json
from pathlib import Path

from codexlab.analyses import building_blocks as bb
from codexlab.cli.main import main
from codexlab.curation.sample_eval import write_problems
from codexlab.evaluation.evaluate import evaluate_samples
from codexlab.execution import make_executor
from codexlab.pipeline import open_run_store, run_config
from codexlab.problems.building_blocks import generate_building_blocks


def test_wilson_interval_bounds() -> None:
    low, high = bb.wilson(0, 4)
    assert low == 0 and 0.4 < high < 0.6
    low, high = bb.wilson(4, 4)
    assert high == 1 and 0.4 < low < 0.6


def test_decay_factor_of_exact_halving() -> None:
    rows = bb.compute({f"BuildingBlocks/{n}/{i}": [i < 8 // 2**n] for n in (1, 2, 3) for i in range(8)})
    assert [r.pass_rate for r in rows] == [0.5, 0.25, 0.125]
    factor = bb.decay_factor(rows)
    assert factor is not None and abs(factor - 0.5) < 0.02


def test_analysis_of_judged_samples(tmp_path: Path) -> None:
    """Canonical solutions for the first problem of each length, wrong code for the rest: real verdicts."""
    problems = generate_building_blocks(2, [1, 2, 3], seed=0)
    run = tmp_path / "run"
    write_problems(run / "problems.jsonl", problems)
    with open(run / "samples.jsonl", "w") as fh:
        for tid, p in problems.items():
            right = tid.endswith("/0")
            fh.write(
                json.dumps({"task_id": tid, "completion": p.canonical_solution if right else "    return s\n"}) + "\n"
            )
    config = run_config(problems, "crafted", {"temperature": 0.0}, 1, {"timeout_s": 3.0, "memory_mb": 1024})
    with make_executor("process", workers=1) as ex, open_run_store(run, config, problems) as store:
        result = evaluate_samples(run / "samples.jsonl", problems, ex, store=store)
    rows = bb.compute(result.per_problem())
    assert [(r.length, r.problems, r.passed) for r in rows] == [(1, 2, 1), (2, 2, 1), (3, 2, 1)]
    assert all(r.low < 0.5 < r.high for r in rows)

    assert main(["blocks", "analyze", str(run), "--plot", str(tmp_path / "bb.png")]) == 0
    assert (tmp_path / "bb.png").read_bytes()[:4] == b"\x89PNG"
    table = json.loads((run / "building_blocks.json").read_text())
    assert [row[0] for row in table["rows"]] == [1, 2, 3]
