"""JSONL <-> store: samples.jsonl and its results (openai/human-eval's format) are exported from run.sqlite;
run directories made before the store existed (or JSONL files from other tools) are imported into one.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from codexlab.execution.types import ExecutionJob, Limits, Verdict
from codexlab.jsonl import read_jsonl, write_jsonl
from codexlab.problems.types import ProblemSet
from codexlab.store.db import RunStore, open_store
from codexlab.store.lock import store_holding_lock


def with_sample_ids(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """human-eval samples files have no sample_id: number each task's samples in file order."""
    seen: dict[str, int] = {}
    out = []
    for rec in records:
        if "sample_id" not in rec:
            rec = {**rec, "sample_id": seen.get(rec["task_id"], 0)}
        seen[rec["task_id"]] = int(rec["sample_id"]) + 1
        out.append(rec)
    return out


def problems_for_config(config: dict[str, Any], task_ids: list[str]) -> ProblemSet | None:
    """The problems a run used, re-loaded by dataset name; None when they cannot be found."""
    from codexlab.problems import load_problems

    try:
        allp = load_problems(str(config.get("dataset", "humaneval")))
    except Exception:
        return None
    order = [t for t in allp if t in set(task_ids)]
    if len(order) != len(set(task_ids)):
        return None
    return allp.subset(order)


def limits_for_config(config: dict[str, Any]) -> Limits:
    return Limits(timeout_s=float(config.get("timeout_s", 3.0)), memory_bytes=int(config.get("memory_mb", 1024)) << 20)


# the executor an imported verdict is keyed by: results files do not name the one that judged them, so these
# verdicts are exported as they are but never reused by an evaluation (which judges again, under its own key)
IMPORTED = "imported"


def import_run_dir(run_dir: str | Path, problems: ProblemSet | None = None) -> RunStore:
    """Build (or complete) run.sqlite from a run directory's JSONL files; returns the open store.

    Verdicts come from the results file, keyed by the program's content hash (prompt, completion, tests, limits).
    The store holds the run directory's lock until it is closed (RunDirBusy if another process has it).
    """
    return store_holding_lock(run_dir, lambda: _import_run_dir(Path(run_dir), problems))


def _import_run_dir(run_dir: Path, problems: ProblemSet | None) -> RunStore:
    started = time.time()
    samples_path = run_dir / "samples.jsonl"
    cfg_path = run_dir / "config.json"
    config = json.loads(cfg_path.read_text()) if cfg_path.exists() else {}
    store = open_store(run_dir)
    if config and store.get_meta("config") is None:
        core = {k: v for k, v in config.items() if k not in ("codexlab_version", "host")}
        store.record_run(core, host=config.get("host"))
        if "codexlab_version" in config:
            store.set_meta(codexlab_version=config["codexlab_version"])
    records = with_sample_ids([o for _, o in read_jsonl(samples_path, allow_torn_tail=True)])
    task_ids = list(dict.fromkeys(r["task_id"] for r in records))
    problems = problems or problems_for_config(config, task_ids)
    if problems is not None:
        store.put_problems(problems.values())
        if config and not store.get_meta("problems_digest"):
            store.set_meta(problems_digest=problems.digest)
    limits = limits_for_config(config)
    hashes: list[str | None] = []
    for rec in records:
        if problems is not None and rec["task_id"] in problems:
            job = ExecutionJob("", problems[rec["task_id"]], rec["completion"], limits)
            hashes.append(job.verdict_key(IMPORTED))
        else:
            hashes.append(None)
    added = store.add_samples(records, hashes)
    store.link_verdicts((r["task_id"], int(r["sample_id"]), h) for r, h in zip(records, hashes) if h)
    results_path = Path(f"{samples_path}_results.jsonl")
    if results_path.exists():
        # verdicts are linked through the results file, row by row
        results = with_sample_ids([o for _, o in read_jsonl(results_path)])
        by_key = {(r["task_id"], int(r["sample_id"])): h for r, h in zip(records, hashes)}
        for res in results:
            h = by_key.get((res["task_id"], int(res["sample_id"])))
            if h and "status" in res:
                store.add_verdict(h, Verdict.from_dict(res))
    store.add_timing("import", started, time.time() - started, added, source=str(samples_path))
    return store


def export_samples(store: RunStore, path: str | Path) -> int:
    """Write the store's samples as an openai/human-eval samples file (task_id, completion, plus extras)."""
    rows = store.samples()
    write_jsonl(path, rows)
    return len(rows)


def export_results(store: RunStore, path: str | Path) -> int:
    """Write samples with their verdicts in human-eval's results format (passed, result) plus codexlab's fields."""
    verdicts = store.verdicts()
    hashes = {(r["task_id"], int(r["sample_id"])): r["verdict_key"] for r in store.judged_samples()}
    records, judged = [], []
    for rec in store.samples():
        v = verdicts.get(hashes.get((rec["task_id"], int(rec["sample_id"]))) or "")
        if v is not None:
            records.append(rec)
            judged.append(v)
    return write_results(path, records, judged)


def write_results(path: str | Path, records: list[dict[str, Any]], verdicts: list[Verdict]) -> int:
    """The one writer of results files: each sample's record with its verdict (human-eval's `passed` and
    `result`, and codexlab's fields)."""
    write_jsonl(path, ({**rec, **v.to_dict()} for rec, v in zip(records, verdicts, strict=True)))
    return len(records)
