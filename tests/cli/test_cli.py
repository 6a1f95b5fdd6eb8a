"""The `codexlab` command end to end: real model, real subprocesses, real interruption."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "codexlab.cli.main"]


def codexlab(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"codexlab {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def test_help_explains_itself(tmp_path: Path) -> None:
    out = codexlab("--help", cwd=tmp_path).stdout
    for cmd in ("run", "generate", "evaluate", "model"):
        assert cmd in out
    assert "--temperature" in codexlab("run", "--help", cwd=tmp_path).stdout


def test_canonical_solutions_all_pass(tmp_path: Path) -> None:
    proc = codexlab("evaluate", "--canonical", "--json", "--executor", "process", cwd=tmp_path)
    summary = json.loads(proc.stdout)
    assert summary["problems_evaluated"] == 164
    assert summary["pass_at_k"]["pass@1"] == 1.0
    assert summary["status_counts"] == {"passed": 164}


def test_evaluate_human_eval_samples_file(tmp_path: Path, tiny_problems_file: Path) -> None:
    samples = tmp_path / "samples.jsonl"
    samples.write_text(
        '{"task_id": "Tiny/0", "completion": "    return a + b\\n"}\n'
        '{"task_id": "Tiny/1", "completion": "    return s\\n"}\n'
    )
    proc = codexlab("evaluate", str(samples), "--problems", str(tiny_problems_file), "--json", cwd=tmp_path)
    assert json.loads(proc.stdout)["pass_at_k"] == {"pass@1": 0.5}
    results = [json.loads(x) for x in Path(f"{samples}_results.jsonl").read_text().splitlines()]
    assert [r["passed"] for r in results] == [True, False]


def test_bad_input_is_one_line_error(tmp_path: Path, tiny_problems_file: Path) -> None:
    samples = tmp_path / "samples.jsonl"
    samples.write_text('{"task_id": "Tiny/0", "completion": "x"}\n{oops\n')
    proc = codexlab("evaluate", str(samples), "--problems", str(tiny_problems_file), cwd=tmp_path, check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith(f"codexlab: error: {samples}:2: malformed JSON")
    assert "Traceback" not in proc.stderr
    bad_model = tmp_path / "m.gguf"
    bad_model.write_text("hello")
    proc = codexlab("run", "--model", str(bad_model), cwd=tmp_path, check=False)
    assert proc.returncode == 2 and "not a GGUF model file" in proc.stderr


@pytest.mark.model
def test_run_end_to_end_and_resume_after_kill(tmp_path: Path, tiny_problems_file: Path, small_model_path: Path) -> None:
    common = [
        "--problems",
        str(tiny_problems_file),
        "--model",
        str(small_model_path),
        "--n",
        "3",
        "--temperature",
        "0.8",
        "--max-tokens",
        "32",
        "--no-progress",
    ]
    # uninterrupted reference
    codexlab("run", *common, "--run-dir", str(tmp_path / "ref"), cwd=tmp_path)
    ref = [json.loads(x) for x in (tmp_path / "ref" / "samples.jsonl").read_text().splitlines()]
    assert len(ref) == 6
    # interrupted run: kill -9 once some samples are on disk, then rerun the same command
    run_dir = tmp_path / "killed"
    proc = subprocess.Popen(
        [*CLI, "run", *common, "--run-dir", str(run_dir)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    samples = run_dir / "samples.jsonl"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if samples.exists() and samples.read_text().count("\n") >= 2:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait()
    partial = samples.read_text().count("\n")
    out = codexlab("run", *common, "--run-dir", str(run_dir), "--json", cwd=tmp_path)
    resumed = [json.loads(x) for x in samples.read_text().splitlines()]
    key = lambda r: (r["task_id"], r["sample_id"])  # noqa: E731
    assert sorted((key(r), r["completion"], r["tokens"]) for r in resumed) == sorted(
        (key(r), r["completion"], r["tokens"]) for r in ref
    ), f"resume after {partial} samples differs"
    summary = json.loads(out.stdout)
    assert summary["samples"] == 6
    assert json.loads((run_dir / "summary.json").read_text())["pass_at_k"] == summary["pass_at_k"]
    results = (run_dir / "samples.jsonl_results.jsonl").read_text().splitlines()
    assert len(results) == 6 and all("status" in json.loads(r) for r in results)


def test_run_dir_with_other_config_is_refused(tmp_path: Path, tiny_problems_file: Path, small_model_path: Path) -> None:
    run_dir = tmp_path / "r"
    run_dir.mkdir()
    (run_dir / "config.json").write_text(json.dumps({"dataset": "other"}))
    proc = codexlab(
        "run",
        "--problems",
        str(tiny_problems_file),
        "--model",
        str(small_model_path),
        "--run-dir",
        str(run_dir),
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 2 and "different configuration" in proc.stderr
