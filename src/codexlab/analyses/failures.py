"""Failure taxonomy: which verdicts, which exception types, and which asserts fail most often."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from codexlab.analyses.common import Table, pyplot, save
from codexlab.store.rundata import RunData, SampleRecord

_EXC = re.compile(r"^([A-Za-z_][A-Za-z_0-9.]*(?:Error|Exception|Exit|Interrupt|Warning|Iteration))\b")
_LAST_EXC = re.compile(r"^([A-Za-z_][A-Za-z_0-9.]*(?:Error|Exception|Exit|Interrupt|Warning|Iteration))\b", re.M)


def failure_kind(s: SampleRecord) -> str:
    """A short class for one failed sample: the status, refined by exception type where there is one."""
    if s.status in ("failed",):
        return "AssertionError"
    if s.status == "error":
        m = _EXC.match(s.detail.strip())
        if m:
            return m.group(1).rsplit(".", 1)[-1]
        found = _LAST_EXC.findall(s.traceback)
        return found[-1].rsplit(".", 1)[-1] if found else "error (other)"
    return s.status


@dataclass
class FailureResult:
    kinds: Counter[str]
    asserts: Counter[str]
    total: int

    def table(self) -> Table:
        t = Table("failure taxonomy", ["kind", "samples", "share of failures"])
        fails = sum(self.kinds.values())
        for kind, c in self.kinds.most_common():
            t.rows.append([kind, c, c / fails if fails else 0.0])
        t.notes.append(f"{fails} of {self.total} judged samples failed")
        for detail, c in self.asserts.most_common(5):
            t.notes.append(f"  {c}x {detail[:100]}")
        return t


def compute(runs: list[RunData]) -> FailureResult:
    kinds: Counter[str] = Counter()
    asserts: Counter[str] = Counter()
    total = 0
    for run in runs:
        for s in run.samples:
            if s.status == "unjudged":
                continue
            total += 1
            if s.passed:
                continue
            kind = failure_kind(s)
            kinds[kind] += 1
            if kind == "AssertionError" and s.detail:
                asserts[f"{s.task_id}: {s.detail}"] += 1
    return FailureResult(kinds, asserts, total)


def plot(result: FailureResult, path: Path) -> Path:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    items = result.kinds.most_common(10)[::-1]
    ax.barh([k for k, _ in items], [c for _, c in items], color="tab:red")
    ax.set_xlabel("failed samples")
    ax.set_title("failure taxonomy")
    return save(fig, path)
