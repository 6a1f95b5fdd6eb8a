"""The problem record: HumanEval's fields, shared by every dataset codexlab reads."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    """One function-synthesis problem in HumanEval's format.

    `test` defines `check(candidate)`; a completion passes when `check(entry_point)` raises nothing.
    """

    task_id: str
    prompt: str
    entry_point: str
    canonical_solution: str
    test: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


class ProblemSet(dict[str, Problem]):
    """Problems keyed by task_id, in file order, with a name and a content digest for reproducibility."""

    def __init__(
        self,
        name: str,
        problems: list[Problem],
        base: ProblemSet | None = None,
        stops: tuple[str, ...] | None = None,
        time_limit_s: dict[str, float] | None = None,
    ) -> None:
        super().__init__((p.task_id, p) for p in problems)
        self.name = name
        # the same problems with only the original benchmark's tests (HumanEval+'s base inputs): a set with one
        # is judged on both, and reports both scores, as EvalPlus does
        self.base = base
        # where a completion ends when the user gives no stop sequences (None: the paper's, for HumanEval's
        # function bodies; MBPP's prompts are answered by a whole function, so they need their own)
        self.stops = stops
        # each problem's CPU-time limit, where the set's own rules give one (EvalPlus's: from the canonical
        # solution's timings, recorded with the expected outputs), so no calibration run is needed
        self.time_limit_s = time_limit_s

    @property
    def digest(self) -> str:
        """sha256 over every problem's fields: two runs on the same digest saw the same problems."""
        h = hashlib.sha256()
        for p in self.values():
            h.update(json.dumps(p.to_dict(), sort_keys=True).encode())
        return h.hexdigest()

    def subset(self, task_ids: list[str]) -> ProblemSet:
        base = self.base.subset(task_ids) if self.base is not None else None
        limits = {t: self.time_limit_s[t] for t in task_ids} if self.time_limit_s is not None else None
        return ProblemSet(self.name, [self[t] for t in task_ids], base, self.stops, limits)
