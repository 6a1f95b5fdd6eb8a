"""`curate sweep`: settings varied one at a time around the recipe's, each fine-tune judged on held-out problems
beside the model before fine-tuning (a real GGUF model, LoRA through transformers, llama.cpp runs), resuming."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from codexlab.curation.sweep import CENTRE, SweepPoint, one_at_a_time
from codexlab.errors import CodexlabError
from codexlab.problems import Problem, ProblemSet


def test_points_vary_one_setting_at_a_time_around_the_recipe() -> None:
    points = one_at_a_time([1e-4, CENTRE.lr], [0.5, CENTRE.epochs, 2.0], [8])
    assert points == [
        CENTRE,
        SweepPoint(1e-4, CENTRE.epochs, CENTRE.lora_rank),
        SweepPoint(CENTRE.lr, 0.5, CENTRE.lora_rank),
        SweepPoint(CENTRE.lr, 2.0, CENTRE.lora_rank),
        SweepPoint(CENTRE.lr, CENTRE.epochs, 8),
    ]
    assert len({p.name for p in points}) == len(points)
    # steps: epochs over the examples in batches, rounded up (217 examples, batches of 4)
    assert [SweepPoint(2e-4, ep, 16).steps(217, 4) for ep in (0.5, 1.0, 2.0)] == [28, 55, 109]


def _problem(task_id: str, name: str, body: str, check: str) -> Problem:
    return Problem(task_id, f'def {name}(x):\n    """{name} of x."""\n', name, body, f"def check(c):\n    {check}\n")


TRAIN = [
    _problem("T/0", "double", "    return 2 * x\n", "assert c(2) == 4"),
    _problem("T/1", "negate", "    return -x\n", "assert c(2) == -2"),
]
HELD_OUT = [
    _problem("H/0", "triple", "    return 3 * x\n", "assert c(2) == 6"),
    _problem("H/1", "square", "    return x * x\n", "assert c(3) == 9"),
]


def test_held_out_problems_that_are_trained_on_are_refused(tmp_path: Path) -> None:
    from codexlab.curation.sweep import run_sweep

    with pytest.raises(CodexlabError, match="held-out problems are also trained on"):
        run_sweep("unused.gguf", TRAIN, ProblemSet("held", TRAIN[:1]), tmp_path, [CENTRE])
    assert not any(tmp_path.iterdir())  # refused before anything was made


def test_bad_settings_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from codexlab.cli.main import main

    train, held = tmp_path / "train.jsonl", tmp_path / "held.jsonl"
    for path, rows in ((train, TRAIN), (held, HELD_OUT)):
        path.write_text("".join(json.dumps(p.to_dict()) + "\n" for p in rows))
    base = ["curate", "sweep", str(train), "--held-out", str(held), "--init-from", "x.gguf", "--out-dir", "o"]
    assert main([*base, "--lr", "fast"]) == 2
    assert "--lr 'fast': give numbers separated by commas" in capsys.readouterr().err
    assert main([*base, "--epochs", "1,-2"]) == 2
    assert "every value must be positive" in capsys.readouterr().err
    assert main([*base, "--lora-rank", "4.5"]) == 2
    assert "ranks are whole numbers" in capsys.readouterr().err


@pytest.mark.model
def test_a_sweep_judges_every_point_beside_the_base_model_and_resumes(small_model_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("gguf")
    from codexlab.curation.sweep import run_sweep

    points = [SweepPoint(1e-2, 1.0, 4), SweepPoint(1e-2, 2.0, 4)]
    held = ProblemSet("held", HELD_OUT)
    calls: list[tuple[str, int]] = []

    def sweep() -> object:
        return run_sweep(
            small_model_path,
            TRAIN,
            held,
            tmp_path,
            points,
            batch_size=2,
            max_len=64,
            max_tokens=24,
            on_point=lambda name, steps: calls.append((name, steps)),
        )

    result = sweep()
    assert calls == [("base", 0), ("lr0.01-ep1-r4", 1), ("lr0.01-ep2-r4", 2)]  # 2 examples, batches of 2
    report = json.loads((tmp_path / "sweep.json").read_text())
    assert [p["name"] for p in report["points"]] == ["lr0.01-ep1-r4", "lr0.01-ep2-r4"]
    for entry in [report["base"], *report["points"]]:
        assert entry["problems"] == 2 and 0 <= entry["passed"] <= 2
        samples = [json.loads(line) for line in (Path(entry["run_dir"]) / "samples.jsonl").read_text().splitlines()]
        assert sorted(s["task_id"] for s in samples) == ["H/0", "H/1"]
    for entry, steps in zip(report["points"], (1, 2)):
        assert entry["sft"]["steps"] == steps and entry["sft"]["held_out_problems"] == 2
        assert entry["sft"]["method"] == "lora r=4 alpha=8.0"
        assert entry["vs_base"]["diff"]["n_problems"] == 2
    with open(tmp_path / "sweep_table.csv", newline="") as fh:
        assert [row[0] for row in csv.reader(fh)] == ["point", "base", "lr0.01-ep1-r4", "lr0.01-ep2-r4"]
    assert (tmp_path / "sweep.png").stat().st_size > 0

    trained = {p.name: (tmp_path / p.name / "sft.json").stat().st_mtime_ns for p in points}
    calls.clear()
    again = sweep()  # resumes: nothing is trained again, the runs are read back from their stores
    assert calls == [("base", 0)]
    assert {p.name: (tmp_path / p.name / "sft.json").stat().st_mtime_ns for p in points} == trained
    assert again.to_dict() == result.to_dict()  # type: ignore[attr-defined]
