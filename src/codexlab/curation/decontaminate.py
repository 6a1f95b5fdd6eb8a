"""Codex-S training problems kept apart from the benchmarks they will be scored on: a training problem whose
prompt and solution share at least `min_fraction` of an evaluation problem's 13-grams (data/decontam.py, the
same test the pretraining corpus passes) is dropped, and the report says which, against which set."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from codexlab.data.decontam import Decontaminator
from codexlab.problems.types import ProblemSet


@dataclass
class Decontamination:
    """The training problems kept, and for each dropped one the evaluation problems it overlaps, per set."""

    kept: ProblemSet
    dropped: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # task_id -> set name -> task ids
    against: dict[str, int] = field(default_factory=dict)  # set name -> its number of problems

    def report(self) -> dict[str, Any]:
        per_set = {
            name: {"problems": size, "training_problems_overlapping": sum(name in d for d in self.dropped.values())}
            for name, size in self.against.items()
        }
        return {
            "problems": len(self.kept) + len(self.dropped),
            "kept": len(self.kept),
            "dropped": len(self.dropped),
            "against": per_set,
            "dropped_task_ids": self.dropped,
        }


def decontaminate(
    train: ProblemSet, against: Sequence[ProblemSet], n: int = 13, min_fraction: float = 0.1
) -> Decontamination:
    """`train` without the problems whose prompt plus solution overlaps a problem of any set in `against`."""
    checks = [(s.name, Decontaminator(s, n=n, min_fraction=min_fraction)) for s in against]
    dropped: dict[str, dict[str, list[str]]] = {}
    for task_id, p in train.items():
        text = p.prompt + p.canonical_solution
        hits = {name: found for name, check in checks if (found := check.matches(text))}
        if hits:
            dropped[task_id] = hits
    kept = train.subset([t for t in train if t not in dropped])
    return Decontamination(kept, dropped, {s.name: len(s) for s in against})
