"""Building blocks: pass rate against the number of chained steps in the docstring (Codex paper, section 6).

The unit of measurement is the problem: each problem's pass fraction (passed samples / samples) is averaged
within a chain length, and the error bar is a 95% Wilson interval over the problems of that length (it stays
meaningful at 0% and 100%, where a normal standard error collapses to zero). The paper found roughly
exponential decay: each added step multiplies the pass rate by about the same factor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from codexlab.analyses.common import Table, pyplot, save
from codexlab.evaluation.evaluate import EvaluationResult
from codexlab.problems.building_blocks import chain_length


@dataclass(frozen=True)
class LengthRow:
    """Pass rate of the problems with one chain length, with its 95% interval."""

    length: int
    problems: int
    samples: int
    passed: int
    pass_rate: float
    low: float
    high: float


def wilson(successes: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval for a proportion successes / n (successes may be fractional)."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def compute(per_problem: dict[str, list[bool]]) -> list[LengthRow]:
    """Rows by chain length from each problem's sample verdicts (task_ids "BuildingBlocks/<length>/<i>")."""
    by_length: dict[int, list[list[bool]]] = {}
    for task_id, verdicts in per_problem.items():
        if verdicts:
            by_length.setdefault(chain_length(task_id), []).append(verdicts)
    rows = []
    for length in sorted(by_length):
        groups = by_length[length]
        fractions = [sum(v) / len(v) for v in groups]
        rate = sum(fractions) / len(fractions)
        low, high = wilson(sum(fractions), len(fractions))
        rows.append(
            LengthRow(length, len(groups), sum(len(v) for v in groups), sum(sum(v) for v in groups), rate, low, high)
        )
    return rows


def compute_from_result(result: EvaluationResult) -> list[LengthRow]:
    return compute(result.per_problem())


def exponential_fit(rows: list[LengthRow]) -> tuple[float, float] | None:
    """(a, r) of pass rate = a * r ** (steps - 1) by maximum binomial likelihood over the problems.

    Unlike a line through log(pass rate), this uses lengths with a 0% rate too (they pull r down).
    A grid search: two parameters in (0, 1], and the answer is only ever read to two decimals.
    None without at least two lengths or without any pass.
    """
    if len(rows) < 2 or not any(r.pass_rate > 0 for r in rows):
        return None
    data = [(r.length - rows[0].length, r.pass_rate * r.problems, r.problems) for r in rows]
    grid = [i / 200 for i in range(1, 201)]
    best: tuple[float, float, float] | None = None
    for a in grid:
        for r in grid:
            ll = 0.0
            for x, k, n in data:
                p = min(a * r**x, 1 - 1e-9)
                ll += k * math.log(p) + (n - k) * math.log(1 - p)
            if best is None or ll > best[0]:
                best = (ll, a, r)
    assert best is not None
    return best[1], best[2]


def decay_factor(rows: list[LengthRow]) -> float | None:
    """The per-step multiplier r of the exponential fit."""
    fit = exponential_fit(rows)
    return fit[1] if fit else None


def table(rows: list[LengthRow], title: str = "Building blocks: pass rate by chained steps") -> Table:
    t = Table(title, ["steps", "problems", "samples", "passed", "pass_rate", "ci95_low", "ci95_high"])
    for r in rows:
        t.rows.append(
            [r.length, r.problems, r.samples, r.passed, round(r.pass_rate, 4), round(r.low, 4), round(r.high, 4)]
        )
    factor = decay_factor(rows)
    t.notes.append("pass_rate: mean over problems of each problem's pass fraction; ci95: Wilson interval over problems")
    if factor is not None:
        t.notes.append(
            f"exponential fit (maximum likelihood): each added step multiplies the pass rate by {factor:.2f}"
        )
    return t


def plot(rows: list[LengthRow], path: Path, title: str = "Building blocks") -> Path:
    """Pass rate (with 95% interval bars) against the number of chained steps."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    xs = [r.length for r in rows]
    ys = [r.pass_rate for r in rows]
    err = [[r.pass_rate - r.low for r in rows], [r.high - r.pass_rate for r in rows]]
    ax.errorbar(xs, ys, yerr=err, marker="o", capsize=4, label="measured")
    fit = exponential_fit(rows)
    if fit is not None:
        a, r = fit
        ax.plot(
            xs, [a * r ** (x - xs[0]) for x in xs], "--", color="gray", label=f"exponential fit (x{r:.2f} per step)"
        )
    ax.set_xlabel("chained steps in the docstring")
    ax.set_ylabel("pass rate")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xticks(xs)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    return save(fig, path)
