"""A real `codexlab run` killed with SIGKILL resumes from run.sqlite: nothing committed is drawn again."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "codexlab.cli.main"]


def committed(db: Path) -> list[tuple[str, int, str, float]]:
    if not db.exists():
        return []
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return con.execute("SELECT task_id, sample_id, completion, created_at FROM samples ORDER BY 1, 2").fetchall()
    except sqlite3.OperationalError:  # tables not created yet
        return []
    finally:
        con.close()


@pytest.mark.model
def test_kill_9_then_resume_from_store(tmp_path: Path, tiny_problems_file: Path, small_model_path: Path) -> None:
    run_dir = tmp_path / "run"
    cmd = [
        *CLI, "run", "--problems", str(tiny_problems_file), "--model", str(small_model_path),
        "--n", "4", "--temperature", "0.8", "--max-tokens", "24", "--threads", "1", "--no-progress",
        "--run-dir", str(run_dir),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = run_dir / "run.sqlite"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and proc.poll() is None:
        if len(committed(db)) >= 2:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    before = committed(db)
    assert 2 <= len(before) <= 8
    # lose the JSONL file entirely: the store alone must be enough to resume
    (run_dir / "samples.jsonl").unlink(missing_ok=True)
    out = subprocess.run([*cmd, "--json"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    after = committed(db)
    assert len(after) == 8
    assert set(before) <= set(after), "samples committed before the kill were drawn again"
    lines = [json.loads(x) for x in (run_dir / "samples.jsonl").read_text().splitlines()]
    assert sorted((r["task_id"], r["sample_id"], r["completion"]) for r in lines) == [a[:3] for a in after]
    assert json.loads(out.stdout)["samples"] == 8
    con = sqlite3.connect(db)
    unjudged = con.execute(
        "SELECT COUNT(*) FROM samples s LEFT JOIN verdicts v ON v.verdict_key = s.verdict_key WHERE v.status IS NULL"
    ).fetchone()[0]
    stages = [r[0] for r in con.execute("SELECT stage FROM timings")]
    con.close()
    assert unjudged == 0 and "generate" in stages and "evaluate" in stages
