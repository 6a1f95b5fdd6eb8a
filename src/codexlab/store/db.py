"""RunStore: a thin, typed layer over one run's SQLite file (stdlib sqlite3, WAL journal).

Every write commits at once: in WAL mode a committed row survives the process being killed (kill -9), which
is what lets an interrupted run resume from the store. synchronous=NORMAL trades durability on power loss
(not on process death) for speed.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from codexlab import __version__
from codexlab.errors import CodexlabError
from codexlab.execution.types import Verdict
from codexlab.problems.types import Problem, ProblemSet
from codexlab.store.schema import MIGRATIONS, SCHEMA, SCHEMA_VERSION
from codexlab.text import from_sql, json_line, to_sql

STORE_NAME = "run.sqlite"
STORED_TEST_CHARS = 1 << 20  # longer tests are generated ones, not kept (see RunStore.put_problems)


class RunStore:
    """One run's database. Use as a context manager, or call close()."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None)
        self.db.row_factory = _row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()
        self.db.executescript(SCHEMA)
        self._locks: list[Any] = []
        if self.get_meta("schema_version") is None:
            self.set_meta(schema_version=SCHEMA_VERSION, created_at=time.time())

    def _migrate(self) -> None:
        """Bring a store written by an older codexlab up to SCHEMA_VERSION (a newer one is refused)."""
        has_meta = self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        if not has_meta:
            return
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = json.loads(row[0]) if row else SCHEMA_VERSION
        if version > SCHEMA_VERSION:
            raise CodexlabError(f"{self.path}: written by a newer codexlab (store version {version})")
        while version < SCHEMA_VERSION:
            self.db.executescript(f"BEGIN; {MIGRATIONS[version]} COMMIT;")
            version += 1
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(version),))

    # -- meta ---------------------------------------------------------------------------------------------
    def set_meta(self, **values: Any) -> None:
        with self._tx():
            self.db.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [(k, json.dumps(v, sort_keys=True)) for k, v in values.items()],
            )

    def get_meta(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def meta(self) -> dict[str, Any]:
        return {r[0]: json.loads(r[1]) for r in self.db.execute("SELECT key, value FROM meta")}

    def record_run(self, config: dict[str, Any], host: dict[str, Any] | None = None) -> None:
        """What the run is: its config plus the facts that make it reproducible (problems digest, version, host)."""
        self.set_meta(
            config=config,
            problems_digest=config.get("problems_digest"),
            dataset=config.get("dataset"),
            model=config.get("model"),
            params=config.get("params", {}),
            n=config.get("n"),
            codexlab_version=__version__,
            host=host or host_facts(),
        )

    # -- problems -----------------------------------------------------------------------------------------
    def put_problems(self, problems: Iterable[Problem]) -> None:
        """Record the run's problems (for reports, which read prompts and solutions). Tests longer than
        STORED_TEST_CHARS are generated ones (EvalPlus's hold their inputs and expected outputs: 140 MB for
        HumanEval/15) that the problem set rebuilds: a line saying so is stored in their place."""
        with self._tx():
            self.db.executemany(
                "INSERT OR REPLACE INTO problems VALUES (?, ?, ?, ?, ?, ?)",
                [
                    _bind(p.task_id, i, p.prompt, p.entry_point, p.canonical_solution, _stored_test(p.test))
                    for i, p in enumerate(problems)
                ],
            )

    def has_problems(self) -> bool:
        return self.db.execute("SELECT 1 FROM problems LIMIT 1").fetchone() is not None

    def problems(self) -> ProblemSet:
        rows = self.db.execute(
            "SELECT task_id, prompt, entry_point, canonical_solution, test FROM problems ORDER BY position"
        ).fetchall()
        return ProblemSet(str(self.get_meta("dataset") or "run"), [Problem(**dict(r)) for r in rows])

    # -- samples ------------------------------------------------------------------------------------------
    def add_sample(self, record: dict[str, Any], verdict_key: str | None = None) -> bool:
        """Insert one sample (a samples.jsonl record with task_id and sample_id); False if it was already there."""
        return self.add_samples([record], [verdict_key]) == 1

    def add_samples(self, records: list[dict[str, Any]], keys: list[str | None] | None = None) -> int:
        """Insert samples (each with the key of its verdict, where known); how many were new."""
        hashes = keys or [None] * len(records)
        now = time.time()
        rows = []
        for rec, h in zip(records, hashes):
            lps = rec.get("logprobs") or []
            rows.append(
                _bind(
                    rec["task_id"],
                    int(rec["sample_id"]),
                    rec["completion"],
                    h,
                    rec.get("finish_reason"),
                    len(rec["tokens"]) if isinstance(rec.get("tokens"), list) else rec.get("n_tokens"),
                    rec.get("mean_logprob"),
                    float(sum(lps)) if lps else rec.get("sum_logprob"),
                    json_line(rec),
                    now,
                )
            )
        with self._tx():
            before = self.db.total_changes
            self.db.executemany("INSERT OR IGNORE INTO samples VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            return self.db.total_changes - before

    def clear_samples(self) -> None:
        """Forget every sample (the verdicts stay): for a store that mirrors a samples file about to be read again."""
        with self._tx():
            self.db.execute("DELETE FROM samples")

    def link_verdicts(self, links: Iterable[tuple[str, int, str]]) -> None:
        """Record the verdict key of (task_id, sample_id) once it is known (it depends on the limits and executor)."""
        with self._tx():
            self.db.executemany(
                "UPDATE samples SET verdict_key = ? WHERE task_id = ? AND sample_id = ?",
                [_bind(h, t, s) for t, s, h in links],
            )

    def sample_ids(self) -> dict[str, set[int]]:
        out: dict[str, set[int]] = {}
        for t, s in self.db.execute("SELECT task_id, sample_id FROM samples"):
            out.setdefault(t, set()).add(int(s))
        return out

    def samples(self) -> list[dict[str, Any]]:
        """Every sample's JSONL record, in problem order then sample_id."""
        rows = self.db.execute(
            "SELECT s.data FROM samples s LEFT JOIN problems p ON p.task_id = s.task_id "
            "ORDER BY COALESCE(p.position, 1e9), s.task_id, s.sample_id"
        )
        return [json.loads(r[0]) for r in rows]

    def count_samples(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM samples").fetchone()[0])

    # -- verdicts -----------------------------------------------------------------------------------------
    def add_verdict(self, verdict_key: str, verdict: Verdict) -> None:
        d = verdict.to_dict()
        with self._tx():
            self.db.execute(
                "INSERT OR REPLACE INTO verdicts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _bind(
                    verdict_key,
                    d["status"],
                    int(d["passed"]),
                    d["detail"],
                    d["duration_s"],
                    d["traceback"],
                    d["peak_memory_kb"],
                    d["isolation"],
                    time.time(),
                ),
            )

    def verdicts(self) -> dict[str, Verdict]:
        out: dict[str, Verdict] = {}
        for r in self.db.execute("SELECT * FROM verdicts"):
            out[r["verdict_key"]] = Verdict.from_dict(dict(r))
        return out

    def judged_samples(self) -> Iterator[sqlite3.Row]:
        """Samples joined with their verdicts (verdict columns NULL where not judged yet); `raw_text` is the JSON
        text of the record's raw text (json_extract would decode a lone surrogate into text SQLite cannot give
        back)."""
        yield from self.db.execute(
            "SELECT s.task_id, s.sample_id, s.completion, s.verdict_key, s.finish_reason, s.n_tokens, "
            "s.mean_logprob, s.sum_logprob, v.status, v.passed, v.detail, v.duration_s, v.traceback, "
            "s.data -> '$.raw_text' AS raw_text "  # JSON text: a lone surrogate stays an escape
            "FROM samples s LEFT JOIN verdicts v ON v.verdict_key = s.verdict_key "
            "LEFT JOIN problems p ON p.task_id = s.task_id "
            "ORDER BY COALESCE(p.position, 1e9), s.task_id, s.sample_id"
        )

    # -- timings ------------------------------------------------------------------------------------------
    def add_timing(self, stage: str, started_at: float, seconds: float, items: int, **info: Any) -> None:
        with self._tx():
            self.db.execute(
                "INSERT INTO timings (stage, started_at, seconds, items, info) VALUES (?, ?, ?, ?, ?)",
                (stage, started_at, seconds, items, json.dumps(info, sort_keys=True)),
            )

    def timings(self) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT stage, started_at, seconds, items, info FROM timings ORDER BY id")
        return [{**dict(r), "info": json.loads(r["info"])} for r in rows]

    # -- plumbing -----------------------------------------------------------------------------------------
    def _tx(self) -> _Transaction:
        return _Transaction(self.db)

    def hold(self, lock: Any) -> None:
        """Keep `lock` (the run directory's, codexlab.store.lock.RunDirLock) until the store is closed."""
        self._locks.append(lock)

    def close(self) -> None:
        self.db.close()
        while self._locks:
            self._locks.pop().release()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _stored_test(test: str) -> str:
    if len(test) <= STORED_TEST_CHARS:
        return test
    return f"# {len(test):,} characters of generated tests, not stored: the problem set rebuilds them\n"


def _bind(*values: Any) -> tuple[Any, ...]:
    """Parameters for one row: text UTF-8 cannot hold goes in as a BLOB that `_row` turns back into it."""
    return tuple(to_sql(v) for v in values)


def _row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> sqlite3.Row:
    """sqlite3.Row, with the BLOBs `_bind` wrote read back as the exact strings they were (codexlab.text)."""
    if any(type(v) is bytes for v in values):
        values = tuple(from_sql(v) for v in values)
    return sqlite3.Row(cursor, values)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error): one durable write per call."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")


def open_store(run_dir: str | Path) -> RunStore:
    """The store of a run directory (created if absent)."""
    return RunStore(Path(run_dir) / STORE_NAME)


def host_facts() -> dict[str, Any]:
    """The machine a run was made on, recorded beside its config (scores depend on the interpreter)."""
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
