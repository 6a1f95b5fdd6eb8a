"""Per-problem difficulty: the fraction of samples that pass, problem by problem, hardest first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codexlab.analyses.common import Table, pyplot, save
from codexlab.store.rundata import RunData


@dataclass
class DifficultyResult:
    rows: list[tuple[str, int, int]]  # task_id, n, passed (hardest first)

    def table(self) -> Table:
        t = Table("per-problem pass rate (hardest first)", ["task_id", "n", "passed", "pass rate"])
        t.rows = [[tid, n, c, c / n] for tid, n, c in self.rows]
        solved = sum(1 for _, _, c in self.rows if c)
        t.notes.append(f"{solved} of {len(self.rows)} problems solved by at least one sample")
        return t


def compute(run: RunData) -> DifficultyResult:
    rows = [(t, len(v), sum(v)) for t, v in run.outcomes().items() if v]
    rows.sort(key=lambda r: (r[2] / r[1], r[0]))
    return DifficultyResult(rows)


def plot(result: DifficultyResult, path: Path) -> Path:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    rates = [c / n for _, n, c in result.rows]
    labels = ["0%"] + [f"{10 * i}-{10 * i + 10}%" for i in range(10)] + ["100%"]
    counts = [0] * len(labels)
    for r in rates:  # never-solved and always-solved problems get bars of their own
        counts[0 if r == 0 else len(labels) - 1 if r == 1 else 1 + min(int(r * 10), 9)] += 1
    colors = ["tab:red"] + ["tab:blue"] * 10 + ["tab:green"]
    ax.bar(range(len(labels)), counts, color=colors)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
    ax.set_xlabel("per-problem pass rate (%)")
    ax.set_ylabel("problems")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(f"problem difficulty ({len(rates)} problems)")
    return save(fig, path)
