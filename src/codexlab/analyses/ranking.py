"""Ranking analysis (the paper's Figure 7): pass@1-of-k for random, mean/sum log-prob and oracle choice.

The paper found mean log-probability beats random while sum log-probability (which favours short samples)
does worse than random; the oracle is pass@k, an upper bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codexlab.analyses.common import Table, pyplot, save
from codexlab.evaluation.metrics import Estimate
from codexlab.evaluation.ranking import STRATEGIES, Candidate, ranking_curves
from codexlab.store.rundata import RunData


@dataclass
class RankingResult:
    curves: dict[str, dict[int, Estimate]]
    n_problems: int

    def table(self) -> Table:
        ks = sorted({k for c in self.curves.values() for k in c})
        t = Table("pass@1 of k by ranking heuristic [95% CI]", ["k"] + list(self.curves))
        for k in ks:
            t.rows.append([k] + [str(c[k]) if k in c else "" for c in self.curves.values()])
        t.notes.append(f"{self.n_problems} problems; exact expectation over random k-subsets, CI bootstraps problems")
        return t


def candidates(run: RunData) -> dict[str, list[Candidate]]:
    """Judged samples per problem, keeping only problems with the run's smallest common sample count."""
    out: dict[str, list[Candidate]] = {}
    for task_id, samples in run.by_problem().items():
        judged = [s for s in samples if s.status != "unjudged"]
        if judged:
            out[task_id] = [Candidate(s.passed, s.mean_logprob, s.sum_logprob) for s in judged]
    return out


def compute(run: RunData, strategies: tuple[str, ...] = STRATEGIES, n_boot: int = 2000) -> RankingResult:
    cands = candidates(run)
    if not cands:
        raise ValueError(f"{run.run_dir}: no judged samples")
    n = max(len(v) for v in cands.values())
    full = {t: v for t, v in cands.items() if len(v) == n}
    return RankingResult(ranking_curves(full, strategies, n_boot=n_boot), len(full))


def plot(result: RankingResult, path: Path) -> Path:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, curve in result.curves.items():
        ks = sorted(curve)
        y = [100 * curve[k].value for k in ks]
        ax.plot(ks, y, marker="o", ms=3, label=name)
        ax.fill_between(ks, [100 * curve[k].low for k in ks], [100 * curve[k].high for k in ks], alpha=0.12)
    ax.set_xscale("log")
    ax.set_xlabel("k (samples to choose from)")
    ax.set_ylabel("pass@1 of the chosen sample (%)")
    ax.set_title(f"ranking heuristics ({result.n_problems} problems, 95% CI)")
    ax.legend()
    ax.grid(alpha=0.3)
    return save(fig, path)
