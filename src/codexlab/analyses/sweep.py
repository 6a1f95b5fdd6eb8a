"""Temperature sweep: pass@k across temperatures and the best temperature for each k (the paper's Figure 5).

The paper found the best temperature rises with k (~0.2 for pass@1, ~0.8 for pass@100): more samples reward
diversity. Each run is one temperature; runs must share problems for the comparison to mean anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codexlab.analyses.common import Table, pyplot, save
from codexlab.evaluation.metrics import Estimate, pass_at_k_ci
from codexlab.store.rundata import RunData


@dataclass
class SweepResult:
    ks: list[int]
    by_temperature: dict[float, dict[int, Estimate]]
    common_problems: int

    def best(self) -> dict[int, float]:
        """The temperature with the highest pass@k, for each k."""
        out: dict[int, float] = {}
        for k in self.ks:
            cands = [(est[k].value, t) for t, est in self.by_temperature.items() if k in est]
            if cands:
                out[k] = max(cands)[1]
        return out

    def table(self) -> Table:
        t = Table(
            "temperature sweep: pass@k [95% bootstrap CI over problems]",
            ["temperature"] + [f"pass@{k}" for k in self.ks],
        )
        for temp in sorted(self.by_temperature):
            est = self.by_temperature[temp]
            t.rows.append([temp] + [str(est[k]) if k in est else "" for k in self.ks])
        best = self.best()
        t.rows.append(["best"] + [f"T={best[k]}" if k in best else "" for k in self.ks])
        t.notes.append(f"{self.common_problems} problems common to every run")
        return t


def compute(runs: list[RunData], ks: list[int] | None = None, n_boot: int = 2000) -> SweepResult:
    """pass@k with CIs per temperature on the problems every run has judged."""
    outcomes = [_complete(r.outcomes()) for r in runs]
    common = set.intersection(*(set(o) for o in outcomes)) if outcomes else set()
    n_min = min((len(o[t]) for o in outcomes for t in common), default=0)
    ks = [k for k in (ks or [1, 10, 100]) if k <= n_min] or ([n_min] if n_min else [])
    by_temp: dict[float, dict[int, Estimate]] = {}
    for run, o in zip(runs, outcomes):
        temp = run.temperature if run.temperature is not None else float("nan")
        by_temp[temp] = pass_at_k_ci({t: o[t] for t in common}, ks, n_boot=n_boot)
    return SweepResult(ks=ks, by_temperature=by_temp, common_problems=len(common))


def _complete(outcomes: dict[str, list[bool]]) -> dict[str, list[bool]]:
    """Only problems with the run's full sample count (an unfinished run's last problem is left out)."""
    n = max((len(v) for v in outcomes.values()), default=0)
    return {t: v for t, v in outcomes.items() if len(v) == n}


def plot(result: SweepResult, path: Path) -> Path:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    temps = sorted(result.by_temperature)
    for k in result.ks:
        vals = [result.by_temperature[t][k] for t in temps]
        y = [100 * v.value for v in vals]
        err = [[100 * (v.value - v.low) for v in vals], [100 * (v.high - v.value) for v in vals]]
        ax.errorbar(temps, y, yerr=err, marker="o", capsize=3, label=f"pass@{k}")
    ax.set_xlabel("sampling temperature")
    ax.set_ylabel("pass@k (%)")
    ax.set_title(f"temperature sweep ({result.common_problems} problems, 95% CI)")
    ax.legend()
    ax.grid(alpha=0.3)
    return save(fig, path)
