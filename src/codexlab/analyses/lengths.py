"""Token-length statistics: how long samples are, by verdict, and how many hit the token limit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from codexlab.analyses.common import Table, pyplot, save
from codexlab.store.rundata import RunData


@dataclass
class LengthResult:
    passed: list[int]
    failed: list[int]
    truncated: int

    def table(self) -> Table:
        t = Table("completion length in tokens, by verdict", ["samples", "n", "mean", "median", "p90", "max"])
        for name, xs in (("passed", self.passed), ("failed", self.failed)):
            a = np.asarray(xs or [0])
            stats = [float(a.mean()), float(np.median(a)), float(np.quantile(a, 0.9)), int(a.max())]
            t.rows.append([name, len(xs), *stats])
        t.notes.append(f"{self.truncated} samples stopped at the token limit (finish_reason=length)")
        return t


def compute(runs: list[RunData]) -> LengthResult:
    passed: list[int] = []
    failed: list[int] = []
    truncated = 0
    for run in runs:
        for s in run.samples:
            if s.status == "unjudged":
                continue
            (passed if s.passed else failed).append(s.n_tokens)
            truncated += s.finish_reason == "length"
    return LengthResult(passed, failed, truncated)


def plot(result: LengthResult, path: Path) -> Path:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    top = max(result.passed + result.failed + [1])
    bins = np.linspace(0, top, 30)
    for name, xs, color in (("passed", result.passed, "tab:green"), ("failed", result.failed, "tab:red")):
        if xs:
            ax.hist(xs, bins=bins, alpha=0.55, color=color, label=f"{name} ({len(xs)})")
    ax.set_xlabel("completion tokens")
    ax.set_ylabel("samples")
    ax.set_title("token lengths by verdict")
    ax.legend()
    return save(fig, path)
