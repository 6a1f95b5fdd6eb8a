"""Find and summarise run directories without writing to them (a run may still be in progress)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from codexlab.evaluation.pass_at_k import pass_at_k
from codexlab.store.db import STORE_NAME


@dataclass(frozen=True)
class RunInfo:
    run_dir: str
    dataset: str
    model: str
    temperature: float | None
    n: int | None
    problems: int
    samples: int
    judged: int
    pass_at_1: float | None
    store: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def find_runs(root: Path) -> list[Path]:
    """Run directories at or under root (a directory holding run.sqlite or samples.jsonl), sorted by name."""
    if (root / STORE_NAME).exists() or (root / "samples.jsonl").exists():
        return [root]
    found = {p.parent for name in (STORE_NAME, "samples.jsonl") for p in root.rglob(name)}
    return sorted(found)


def describe(run_dir: Path) -> RunInfo:
    """What a run is and how far it got, from run.sqlite (read-only) or else from its JSONL files."""
    cfg: dict[str, Any] = {}
    if (run_dir / "config.json").exists():
        cfg = json.loads((run_dir / "config.json").read_text())
    if (run_dir / STORE_NAME).exists():
        db = sqlite3.connect(f"file:{run_dir / STORE_NAME}?mode=ro", uri=True, timeout=10)
        try:
            meta = {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM meta")}
            cfg = {**cfg, **(meta.get("config") or {})}
            samples = db.execute("SELECT COUNT(*) FROM samples").fetchone()[0]
            rows = db.execute(
                "SELECT s.task_id, v.passed FROM samples s JOIN verdicts v ON v.verdict_key = s.verdict_key"
            ).fetchall()
        finally:
            db.close()
        per: dict[str, list[bool]] = {}
        for t, p in rows:
            per.setdefault(t, []).append(bool(p))
        return _info(run_dir, cfg, samples, per, True)
    samples = sum(1 for line in open(run_dir / "samples.jsonl", encoding="utf-8") if line.strip())
    per = {}
    results = run_dir / "samples.jsonl_results.jsonl"
    if results.exists():
        for line in open(results, encoding="utf-8"):
            if line.strip():
                r = json.loads(line)
                per.setdefault(r["task_id"], []).append(bool(r.get("passed")))
    return _info(run_dir, cfg, samples, per, False)


def _info(run_dir: Path, cfg: dict[str, Any], samples: int, per: dict[str, list[bool]], store: bool) -> RunInfo:
    judged = sum(len(v) for v in per.values())
    p1 = sum(pass_at_k(len(v), sum(v), 1) for v in per.values()) / len(per) if per else None
    temp = (cfg.get("params") or {}).get("temperature")
    return RunInfo(
        run_dir=str(run_dir),
        dataset=str(cfg.get("dataset", "?")),
        model=str(cfg.get("model", "?")).split("@")[0],
        temperature=None if temp is None else float(temp),
        n=cfg.get("n"),
        problems=int(cfg.get("n_problems", len(per))),
        samples=samples,
        judged=judged,
        pass_at_1=p1,
        store=store,
    )
