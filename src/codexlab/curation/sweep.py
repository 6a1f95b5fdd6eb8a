"""Choosing Codex-S's learning rate, length of training and LoRA rank on held-out training problems.

The settings must not be chosen on the benchmark the model is then scored on, so each point of the sweep
fine-tunes the model (`finetune_hf`) and judges it greedily on problems kept out of training (`curate targets
--hold-out-every`), with the same `run` as `codexlab run`; the model before fine-tuning is judged the same way,
as the baseline. Points vary one setting at a time around the recipe's defaults: on a CPU each point costs a
fine-tune and a run, and a full grid would cost the product of the lists. Every point keeps its own directory,
so a rerun resumes: a trained model is not trained again and an interrupted run resumes from its store. The
held-out problems are few (tens), so each point is reported as a paired difference from the baseline with
McNemar's p: a difference of a few problems is noise, and the table says so rather than crowning a winner.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codexlab.analyses.common import Table, pyplot, save
from codexlab.evaluation.metrics import Estimate, PairedResult, compare_runs, pass_at_k_ci
from codexlab.execution.types import Executor
from codexlab.generation.types import PAPER_STOPS, SamplingParams
from codexlab.problems.types import Problem, ProblemSet
from codexlab.training.sft_recipe import LORA_LR, LORA_RANK, check_held_out

if TYPE_CHECKING:
    from codexlab.api import Progress

BASELINE = "base"


@dataclass(frozen=True)
class SweepPoint:
    """One setting of the fine-tune: learning rate, epochs over the training examples, LoRA rank."""

    lr: float
    epochs: float
    lora_rank: int

    @property
    def name(self) -> str:
        return f"lr{self.lr:g}-ep{self.epochs:g}-r{self.lora_rank}"

    def steps(self, n_examples: int, batch_size: int) -> int:
        return max(1, math.ceil(self.epochs * n_examples / batch_size))


CENTRE = SweepPoint(LORA_LR, 1.0, LORA_RANK)  # the recipe's defaults (training/sft_recipe.py)


def one_at_a_time(
    lrs: Sequence[float], epochs: Sequence[float], ranks: Sequence[int], centre: SweepPoint = CENTRE
) -> list[SweepPoint]:
    """The centre first, then each value of each list with the other two settings at the centre's."""
    points = [centre]
    points += [SweepPoint(lr, centre.epochs, centre.lora_rank) for lr in lrs]
    points += [SweepPoint(centre.lr, ep, centre.lora_rank) for ep in epochs]
    points += [SweepPoint(centre.lr, centre.epochs, r) for r in ranks]
    return list(dict.fromkeys(points))


@dataclass
class PointResult:
    """A point's held-out score (and, for a fine-tune, its training report from sft.json)."""

    name: str
    run_dir: Path
    outcomes: dict[str, list[bool]]
    point: SweepPoint | None = None  # None: the model before fine-tuning
    sft: dict[str, Any] = field(default_factory=dict)
    vs_base: PairedResult | None = None  # paired against the baseline, computed once when the point is judged

    @property
    def passed(self) -> int:
        return sum(any(v) for v in self.outcomes.values())

    def pass_at_1(self) -> Estimate:
        return pass_at_k_ci(self.outcomes, [1])[1]


@dataclass
class SweepResult:
    base: PointResult
    points: list[PointResult]

    def best(self) -> PointResult | None:
        """The point with the most held-out problems solved (the earliest listed on a tie: the centre first)."""
        return max(self.points, key=lambda p: p.passed, default=None)

    def table(self) -> Table:
        n = len(self.base.outcomes)
        t = Table(
            f"Codex-S sweep on {n} held-out problems: greedy pass@1 [95% CI], against the model before fine-tuning",
            [
                "point",
                "lr",
                "epochs",
                "rank",
                "steps",
                "passed",
                "pass@1",
                "vs base [95% CI]",
                "McNemar p",
                "train loss after",
                "held-out loss after",
            ],
        )
        t.rows.append([BASELINE, "", "", "", 0, self.base.passed, str(self.base.pass_at_1()), "", "", "", ""])
        for p in self.points:
            assert p.point is not None and p.vs_base is not None
            c = p.vs_base
            diff = c.diff.signed_points()
            t.rows.append(
                [
                    p.name,
                    p.point.lr,
                    p.point.epochs,
                    p.point.lora_rank,
                    p.sft.get("steps"),
                    p.passed,
                    str(p.pass_at_1()),
                    diff,
                    c.p_mcnemar,
                    p.sft.get("solution_loss_after"),
                    p.sft.get("held_out_loss_after"),
                ]
            )
        best = self.best()
        if best is not None:
            t.notes.append(
                f"most solved: {best.name} ({best.passed} of {n}); with {n} problems, points a few problems apart "
                "are not distinguishable (see the McNemar p-values)"
            )
        return t

    def to_dict(self) -> dict[str, Any]:
        def one(p: PointResult) -> dict[str, Any]:
            est = p.pass_at_1()
            d: dict[str, Any] = {
                "name": p.name,
                "run_dir": str(p.run_dir),
                "passed": p.passed,
                "problems": len(p.outcomes),
                "pass_at_1": est.to_dict(),
            }
            if p.point is not None and p.vs_base is not None:
                c = p.vs_base
                d |= {
                    "lr": p.point.lr,
                    "epochs": p.point.epochs,
                    "lora_rank": p.point.lora_rank,
                    "vs_base": c.to_dict(),
                    "sft": {k: v for k, v in p.sft.items() if k != "losses"},
                }
            return d

        best = self.best()
        return {
            "base": one(self.base),
            "points": [one(p) for p in self.points],
            "most_solved": None if best is None else best.name,
        }

    def write(self, out_dir: Path) -> list[Path]:
        """sweep.json (everything), sweep_table.{csv,json} and sweep.png."""
        path = out_dir / "sweep.json"
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")
        return [path, *self.table().write(out_dir / "sweep_table"), self.plot(out_dir / "sweep.png")]

    def plot(self, path: Path) -> Path:
        """Held-out pass@1 with its interval for every point, the baseline as a band."""
        plt = pyplot()
        fig, ax = plt.subplots(figsize=(max(4.0, 1.1 * len(self.points) + 2), 3.5))
        base = self.base.pass_at_1()
        ax.axhspan(100 * base.low, 100 * base.high, color="tab:gray", alpha=0.2, label="before fine-tuning (95% CI)")
        ax.axhline(100 * base.value, color="tab:gray", lw=1)
        for i, p in enumerate(self.points):
            e = p.pass_at_1()
            ax.errorbar(
                [i], [100 * e.value], yerr=[[100 * (e.value - e.low)], [100 * (e.high - e.value)]], fmt="o", capsize=3
            )
        ax.set_xticks(range(len(self.points)), [p.name for p in self.points], rotation=20, fontsize=8)
        ax.set_ylabel("held-out pass@1 (%)")
        ax.set_title(f"Codex-S sweep, {len(self.base.outcomes)} held-out problems", fontsize=9)
        ax.legend(fontsize=8)
        return save(fig, path)


def run_sweep(
    init_from: str | Path,
    train: Sequence[Problem],
    held_out: ProblemSet,
    out_dir: Path,
    points: Sequence[SweepPoint],
    *,
    batch_size: int = 4,
    max_len: int = 512,
    seed: int = 0,
    ending: str = "next-def",
    max_tokens: int = SamplingParams.max_tokens,
    executor: Executor | str = "auto",
    on_point: Callable[[str, int], None] | None = None,
    on_step: Callable[[int, float], None] | None = None,
    progress: Progress | None = None,
) -> SweepResult:
    """Judge the model and each point's fine-tune on `held_out`; write the tables after every point.

    Runs are greedy with the problems' stops, as `codexlab run --n 1 --temperature 0` (`max_tokens` as its
    --max-tokens). `on_point(name, steps)` is called before each fine-tune that is not already on disk
    (steps 0: the baseline run), `on_step` on every optimizer step, and `progress` watches each run. Layout:
    out_dir/base/ (the baseline's run), out_dir/<point>/ (the fine-tune and its sft.json) with
    out_dir/<point>/heldout/ (its run).
    """
    from codexlab.training.sft import finetune_hf

    check_held_out(train, list(held_out.values()))
    if not points:
        raise ValueError("no sweep points")
    out_dir.mkdir(parents=True, exist_ok=True)
    if on_point:
        on_point(BASELINE, 0)
    base = PointResult(
        BASELINE,
        out_dir / BASELINE,
        _judge(str(init_from), held_out, out_dir / BASELINE, max_tokens, executor, progress),
    )
    done: list[PointResult] = []
    result = SweepResult(base, done)
    for point in points:
        where = out_dir / point.name
        report_path = where / "sft.json"  # written last by finetune_hf: present means the fine-tune finished
        if report_path.exists():
            sft = json.loads(report_path.read_text(encoding="utf-8"))
        else:
            steps = point.steps(len(train), batch_size)
            if on_point:
                on_point(point.name, steps)
            rank = point.lora_rank
            sft = finetune_hf(
                init_from,
                train,
                where,
                steps,
                point.lr,
                batch_size,
                max_len,
                seed,
                rank or None,
                2.0 * rank,
                on_step,
                ending=ending,
                held_out=list(held_out.values()),
            )
        outcomes = _judge(sft["saved"], held_out, where / "heldout", max_tokens, executor, progress)
        vs_base = compare_runs(base.outcomes, outcomes, 1)
        done.append(PointResult(point.name, where / "heldout", outcomes, point, sft, vs_base))
        result.write(out_dir)
    return result


def _judge(
    model: str,
    problems: ProblemSet,
    run_dir: Path,
    max_tokens: int,
    executor: Executor | str,
    progress: Progress | None,
) -> dict[str, list[bool]]:
    """Greedy, one sample per problem, the problems' stops: what `codexlab run --n 1 --temperature 0` does."""
    from codexlab import api
    from codexlab.execution.types import Limits

    params = SamplingParams(max_tokens=max_tokens, stop=problems.stops or PAPER_STOPS)
    done = api.run(
        model, problems, n=1, params=params, run_dir=run_dir, executor=executor, limits=Limits(), progress=progress
    )
    return done.evaluation.per_problem()
