"""Judge a samples file against its problems and write `<samples>_results.jsonl`, as openai/human-eval does.

Verdicts are committed to a run store as they arrive (the run directory's, or `<samples>_results.sqlite` beside a
loose file), so an interrupted evaluation resumes from it; identical programs are judged once.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codexlab.errors import CodexlabError, InputError
from codexlab.evaluation.pass_at_k import default_ks, pass_at_k_table
from codexlab.execution.types import ExecutionJob, Executor, Limits, Verdict
from codexlab.jsonl import read_jsonl
from codexlab.problems.types import ProblemSet
from codexlab.store.jsonl_io import write_results
from codexlab.store.rundata import SampleRecord

if TYPE_CHECKING:
    from codexlab.store.db import RunStore


@dataclass
class SamplesFile:
    """The distinct samples of a file, and how many lines repeated a (task_id, sample_id) already read."""

    rows: list[SampleRecord]
    duplicates: int = 0
    stored: bool = False  # read from the store (a run directory's), not from a file


def read_samples(path: str | Path, problems: ProblemSet) -> list[SampleRecord]:
    """Read and validate a samples file; every problem names the file and line."""
    return read_samples_file(path, problems).rows


def read_samples_file(path: str | Path, problems: ProblemSet) -> SamplesFile:
    """Read and validate a samples file, keeping the first line of each (task_id, sample_id).

    A sample is counted once whatever the file holds (a file appended to twice must not double n in pass@k).
    """
    path = Path(path)
    rows: list[SampleRecord] = []
    unknown: list[tuple[int, str]] = []
    seen: set[tuple[str, int]] = set()
    next_id: dict[str, int] = {}
    duplicates = 0
    for lineno, obj in read_jsonl(path):
        for name in ("task_id", "completion"):
            if name not in obj:
                raise InputError(path, f"missing field {name!r}", lineno)
            if not isinstance(obj[name], str):
                raise InputError(path, f"field {name!r} must be a string, got {type(obj[name]).__name__}", lineno)
        task_id = obj["task_id"]
        try:
            sample_id = int(obj.get("sample_id", next_id.get(task_id, 0)))
        except (TypeError, ValueError):
            raise InputError(path, f"field 'sample_id' must be an integer, got {obj['sample_id']!r}", lineno) from None
        next_id[task_id] = sample_id + 1
        if (task_id, sample_id) in seen:
            duplicates += 1
            continue
        seen.add((task_id, sample_id))
        if task_id not in problems:
            unknown.append((lineno, task_id))
        rows.append(SampleRecord(task_id, sample_id, obj["completion"], line=lineno, data=obj))
    if not rows:
        raise InputError(path, "no samples in file (empty)")
    if unknown:
        lineno, tid = unknown[0]
        hint = (
            f"; none of its task_ids are in {problems.name!r}: is it a samples file for another dataset?"
            if len(unknown) == len(rows)
            else f" ({len(unknown)} lines have unknown task_ids)"
        )
        raise InputError(path, f"unknown task_id {tid!r}: not in {problems.name!r}{hint}", lineno)
    return SamplesFile(rows, duplicates)


@dataclass
class EvaluationResult:
    """Everything `evaluate` learned: per-sample verdicts (in file order) and the pass@k summary."""

    rows: list[SampleRecord]
    verdicts: list[Verdict]
    problems: ProblemSet
    executor: str
    duration_s: float
    unique_programs: int
    ks: list[int] = field(default_factory=list)
    duplicates: int = 0
    base: EvaluationResult | None = None  # the same samples on the problems' base tests (see ProblemSet.base)

    def per_problem(self) -> dict[str, list[bool]]:
        out: dict[str, list[bool]] = {}
        for row, v in zip(self.rows, self.verdicts):
            out.setdefault(row.task_id, []).append(v.passed)
        return out

    def summary(self) -> dict[str, Any]:
        per = self.per_problem()
        n_min = min(len(v) for v in per.values())
        ks = self.ks or default_ks(n_min)
        table = pass_at_k_table(per, ks)
        statuses = Counter(v.status.value for v in self.verdicts)
        isolation = sorted({v.isolation for v in self.verdicts if v.isolation})
        return {
            "dataset": self.problems.name,
            "problems_digest": self.problems.digest,
            "problems_evaluated": len(per),
            "problems_total": len(self.problems),
            "samples": len(self.rows),
            "duplicate_lines_ignored": self.duplicates,
            "samples_per_problem": {"min": n_min, "max": max(len(v) for v in per.values())},
            "pass_at_k": {f"pass@{k}": v for k, v in table.items()},
            "status_counts": dict(statuses.most_common()),
            "unique_programs": self.unique_programs,
            "executor": self.executor,
            "isolation": isolation,
            "duration_s": round(self.duration_s, 3),
            "per_problem": {t: {"n": len(v), "passed": sum(v)} for t, v in per.items()},
            **({"base": self.base.summary()} if self.base is not None else {}),
        }


def results_path_for(samples_path: str | Path) -> Path:
    """openai/human-eval's naming: samples.jsonl -> samples.jsonl_results.jsonl."""
    return Path(f"{samples_path}_results.jsonl")


def store_path_for(samples_path: str | Path) -> Path:
    """Where the verdicts of a samples file outside a run directory are kept: `<samples>_results.sqlite`."""
    return Path(f"{samples_path}_results.sqlite")


def evaluate_samples(
    samples_path: str | Path,
    problems: ProblemSet,
    executor: Executor,
    limits: Limits | Mapping[str, Limits] | None = None,
    ks: list[int] | None = None,
    on_verdict: Callable[[int, int], None] | None = None,
    store: RunStore | None = None,
    results_path: Path | None = None,
    implied: Mapping[tuple[str, int], Verdict] | None = None,
    link: bool = True,
) -> EvaluationResult:
    """Judge every sample, reusing the verdicts the store holds (an interrupted run resumes), and write the
    results file from them.

    `on_verdict(done, total)` is called as verdicts arrive (for progress bars). Verdicts are keyed by
    `ExecutionJob.verdict_key` and committed one by one. With a `store` (a run directory's), the samples are
    the store's and `samples_path` (its export) only names the results file; a store that holds no samples
    takes them from that file. Without one (a samples file
    outside a run directory) the file is read, and the store at `store_path_for(samples_path)` keeps its
    verdicts and a copy of the file as last judged.

    `implied` holds verdicts known without running, by (task_id, sample_id) (a base verdict that a passing plus
    verdict decides); they are stored like judged ones. `link=False` leaves the store's samples linked to the
    verdicts they had (a set judged beside the main one).
    """
    from codexlab.store.db import RunStore

    samples_path = Path(samples_path)
    # a loose file is read before its store is opened: bad input leaves nothing behind
    loose = read_samples_file(samples_path, problems) if store is None else None
    with RunStore(store_path_for(samples_path)) if store is None else nullcontext(store) as into:
        if loose is not None:
            samples_file = loose
            if link:
                into.clear_samples()  # a copy of the file, which may have been edited since
        elif into.count_samples() == 0 and samples_path.exists():  # a run directory given its samples as a file
            samples_file = read_samples_file(samples_path, problems)
        else:
            samples_file = SamplesFile(read_store_samples(into, problems), stored=True)
        return _evaluate(
            samples_file, samples_path, problems, executor, limits, ks, on_verdict, into, results_path, implied, link
        )


def read_store_samples(store: RunStore, problems: ProblemSet) -> list[SampleRecord]:
    """The samples a run store holds, as records (checked against `problems` as a file's are)."""
    rows = [SampleRecord(r["task_id"], int(r["sample_id"]), r["completion"], data=r) for r in store.samples()]
    if not rows:
        raise CodexlabError(f"{store.path}: the run holds no samples yet")
    unknown = sorted({r.task_id for r in rows if r.task_id not in problems})
    if unknown:
        raise CodexlabError(f"{store.path}: samples of task_id {unknown[0]!r}, which is not in {problems.name!r}")
    return rows


def _evaluate(
    samples_file: SamplesFile,
    samples_path: Path,
    problems: ProblemSet,
    executor: Executor,
    limits: Limits | Mapping[str, Limits] | None,
    ks: list[int] | None,
    on_verdict: Callable[[int, int], None] | None,
    store: RunStore,
    results_path: Path | None,
    implied: Mapping[tuple[str, int], Verdict] | None,
    link: bool,
) -> EvaluationResult:
    fixed = limits if isinstance(limits, Limits) else Limits()
    per_problem = limits if isinstance(limits, Mapping) else {}
    rows = samples_file.rows
    cache = store.verdicts()

    jobs: dict[str, ExecutionJob] = {}
    program_of: list[str] = []
    for row in rows:
        lim = per_problem.get(row.task_id, fixed)
        job = ExecutionJob(key="", problem=problems[row.task_id], completion=row.completion, limits=lim)
        h = job.verdict_key(executor.name)
        program_of.append(h)
        known = implied.get((row.task_id, row.sample_id)) if implied else None
        if known is not None and h not in cache:
            cache[h] = known
            store.add_verdict(h, known)
        if h not in cache and h not in jobs:
            jobs[h] = ExecutionJob(key=h, problem=job.problem, completion=job.completion, limits=lim)
    total = len(rows)
    done = sum(1 for h in program_of if h in cache)
    count_by_hash = Counter(program_of)
    if on_verdict:
        on_verdict(done, total)
    start = time.monotonic()
    for key, verdict in executor.map(jobs.values()):
        cache[key] = verdict
        store.add_verdict(key, verdict)
        done += count_by_hash[key]
        if on_verdict:
            on_verdict(done, total)
    verdicts = [cache[h] for h in program_of]
    if not store.has_problems():
        store.put_problems(problems[t] for t in dict.fromkeys(row.task_id for row in rows))
    if not samples_file.stored:
        store.add_samples([{**row.data, "sample_id": row.sample_id} for row in rows], list(program_of))
    if link:
        store.link_verdicts((row.task_id, row.sample_id, h) for row, h in zip(rows, program_of))
    write_results(results_path or results_path_for(samples_path), [row.data for row in rows], verdicts)
    return EvaluationResult(
        rows=rows,
        verdicts=verdicts,
        problems=problems,
        executor=executor.name,
        duration_s=time.monotonic() - start,
        unique_programs=len(count_by_hash),
        ks=ks or [],
        duplicates=samples_file.duplicates,
    )


def write_summary(path: str | Path, summary: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
