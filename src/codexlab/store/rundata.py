"""A judged run, loaded from its store into plain records: what metrics, analyses and reports read."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codexlab.errors import CodexlabError
from codexlab.problems.types import Problem
from codexlab.store.db import STORE_NAME, open_store


@dataclass(frozen=True)
class SampleRecord:
    """One sample of a run, read from a samples file or from the store, with its verdict once judged (status
    'unjudged' until then). The one record type for a sample between generation and the reports; what a
    model returns before it has a task and an id is `generation.Sample`."""

    task_id: str
    sample_id: int
    completion: str
    n_tokens: int = 0
    mean_logprob: float | None = None
    sum_logprob: float | None = None
    finish_reason: str | None = None
    status: str = "unjudged"
    passed: bool = False
    detail: str = ""
    traceback: str = ""
    duration_s: float = 0.0
    raw_text: str | None = None  # what the model wrote before stop sequences or the sanitizer cut it
    line: int = 0  # its line in the samples file it was read from (0: read from the store)
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)  # the whole JSONL record


@dataclass
class RunData:
    """A run as `load_run` reads it from its store: its metadata (config, host, timings), its problems and every
    sample with its verdict, in problem order; what metrics, analyses and reports are computed from."""

    run_dir: Path
    meta: dict[str, Any]
    problems: dict[str, Problem]
    samples: list[SampleRecord] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.run_dir.name

    def by_problem(self) -> dict[str, list[SampleRecord]]:
        out: dict[str, list[SampleRecord]] = {}
        for s in self.samples:
            out.setdefault(s.task_id, []).append(s)
        return out

    def outcomes(self) -> dict[str, list[bool]]:
        """Per-problem pass/fail lists, judged samples only (what pass@k is computed from)."""
        out: dict[str, list[bool]] = {}
        for s in self.samples:
            if s.status != "unjudged":
                out.setdefault(s.task_id, []).append(s.passed)
        return out

    @property
    def temperature(self) -> float | None:
        t = (self.meta.get("params") or {}).get("temperature")
        return None if t is None else float(t)


def distinct_names(run_dirs: Sequence[Path]) -> list[str]:
    """Each run's name for tables and titles: its directory's name, or as many trailing path parts as tell it
    apart from the others (a sweep's runs are all called `heldout`, under one directory per setting)."""
    parts = [Path(d).resolve().parts for d in run_dirs]
    longest = max((len(p) for p in parts), default=0)
    for depth in range(1, longest + 1):
        names = ["/".join(p[-depth:]) for p in parts]
        if len(set(names)) == len(names):
            return names
    return ["/".join(p) for p in parts]


def load_run(run_dir: str | Path) -> RunData:
    """Read a run directory; a directory with only JSONL files (older runs) is imported into run.sqlite first."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise CodexlabError(f"{run_dir}: no such run directory")
    has_store = (run_dir / STORE_NAME).exists()
    if not has_store and not (run_dir / "samples.jsonl").exists():
        raise CodexlabError(f"{run_dir}: not a run directory (no {STORE_NAME} and no samples.jsonl)")
    if has_store:
        store = open_store(run_dir)
        if store.count_samples() == 0 and (run_dir / "samples.jsonl").exists():
            store.close()
            has_store = False
    if not has_store:
        from codexlab.store.jsonl_io import import_run_dir

        store = import_run_dir(run_dir)
    with store:
        meta = store.meta()
        problems = dict(store.problems().items())
        samples = [
            SampleRecord(
                task_id=r["task_id"],
                sample_id=int(r["sample_id"]),
                completion=r["completion"],
                n_tokens=int(r["n_tokens"] or 0),
                mean_logprob=r["mean_logprob"],
                sum_logprob=r["sum_logprob"],
                finish_reason=r["finish_reason"],
                status=r["status"] or "unjudged",
                passed=bool(r["passed"]),
                detail=r["detail"] or "",
                traceback=r["traceback"] or "",
                duration_s=float(r["duration_s"] or 0.0),
                raw_text=json.loads(r["raw_text"]) if r["raw_text"] is not None else None,
            )
            for r in store.judged_samples()
        ]
    return RunData(run_dir=run_dir, meta=meta, problems=problems, samples=samples)
