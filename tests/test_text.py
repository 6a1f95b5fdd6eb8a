"""Any text a sample or model can hold gets a verdict and round-trips: lone surrogates, NULs, line separators.

JSON can hold lone surrogates ("\\ud800") that UTF-8 cannot; see codexlab.text for what codexlab does with
them. Property tests feed arbitrary JSON strings as completions, task ids, model output, exception messages and
return values through `evaluate` and the store with the real process executor; the CLI tests run the two cases
of issue 11 through the real command on real files.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codexlab.evaluation import EvaluationResult, evaluate_samples, results_path_for
from codexlab.evaluation.evaluate import store_path_for, write_summary
from codexlab.execution import ProcessExecutor
from codexlab.execution.types import Status, Verdict
from codexlab.generation.sampling import generate_samples
from codexlab.generation.types import Generator, Sample, SamplingParams
from codexlab.jsonl import read_jsonl, write_jsonl
from codexlab.pipeline import open_run_store, run_config
from codexlab.problems import Problem, ProblemSet
from codexlab.store import RunStore, load_run, open_store
from codexlab.text import from_sql, json_line, to_sql

CLI = [sys.executable, "-m", "codexlab.cli.main"]
ODD = ["\ud800", "\udfff", "\ud83d", "\ude00", "\x00", "\n", "\r", "\u2028", "'", '"', "\\", "é", "😀", "\ufeff"]
CHARS = st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr), st.sampled_from(ODD))
#: any str (adjacent surrogates included), and what JSON can hold: a str read back from a JSON file
ANY_TEXT = st.text(CHARS, max_size=24)
JSON_TEXT = ANY_TEXT.map(lambda s: json.loads(json.dumps(s)))
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | JSON_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(JSON_TEXT, inner, max_size=3),
    max_leaves=6,
)

FAST = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CHEAP = settings(max_examples=100, deadline=None)

PROMPT = "def f(x):\n"
TEST = "def check(candidate):\n    r = candidate(1)\n    assert r == 1, r\n"


@st.composite
def completions(draw: st.DrawFn) -> str:
    """Raw text, or a body that raises, returns or prints an arbitrary JSON string or value."""
    kind = draw(st.sampled_from(["text", "raise", "return", "print"]))
    text = draw(JSON_TEXT)
    if kind == "text":
        return text
    if kind == "raise":
        return f"    raise ValueError({text!r})\n"
    if kind == "print":
        return f"    print({text!r})\n    return {text!r}\n"
    return f"    return {draw(VALUES)!r}\n"


def problem_set(task_ids: list[str]) -> ProblemSet:
    return ProblemSet("odd", [Problem(t, PROMPT, "f", "    return x\n", TEST) for t in task_ids])


class CountingExecutor(ProcessExecutor):
    def __init__(self) -> None:
        super().__init__(workers=2)
        self.ran = 0

    def map(self, jobs):  # type: ignore[no-untyped-def]
        for key, verdict in super().map(jobs):
            self.ran += 1
            yield key, verdict


def check_run(run_dir: Path, problems: ProblemSet, expected: list[tuple[str, str]]) -> None:
    """Evaluate run_dir/samples.jsonl twice; every sample has one verdict, and every file and the store agree."""
    samples = run_dir / "samples.jsonl"
    config = run_config(problems, "odd", {"temperature": 0.8}, len(expected), {})
    with open_run_store(run_dir, config, problems) as store:
        result = evaluate_samples(samples, problems, ProcessExecutor(workers=2), store=store)
        stored = store.verdicts()
    assert len(result.verdicts) == len(expected)
    assert all(isinstance(v.status, Status) for v in result.verdicts)
    results = [obj for _, obj in read_jsonl(results_path_for(samples))]
    assert [(r["task_id"], r["completion"]) for r in results] == expected
    assert [Verdict.from_dict(r) for r in results] == [Verdict.from_dict(v.to_dict()) for v in result.verdicts], (
        "the results file holds exactly the verdicts"
    )
    assert {v.detail for v in stored.values()} <= {v.detail for v in result.verdicts}
    summary = result.summary()
    write_summary(run_dir / "summary.json", summary)
    assert json.loads((run_dir / "summary.json").read_text()) == summary
    assert summary["samples"] == len(expected) == sum(summary["status_counts"].values())

    run = load_run(run_dir)
    assert sorted((s.task_id, s.completion) for s in run.samples) == sorted(expected)
    assert all(s.status != "unjudged" for s in run.samples)
    assert sorted(s.detail for s in run.samples) == sorted(v.detail for v in result.verdicts)
    assert set(run.problems) == set(problems)

    again = CountingExecutor()
    with open_run_store(run_dir, config, problems) as store:
        rerun = evaluate_samples(samples, problems, again, store=store)
    assert again.ran == 0, "every verdict was kept, so a rerun judges nothing"

    def by_sample(r: EvaluationResult) -> dict[tuple[str, int], dict[str, object]]:
        return {(row.task_id, row.sample_id): v.to_dict() | {"duration_s": 0} for row, v in zip(r.rows, r.verdicts)}

    assert by_sample(rerun) == by_sample(result), "the rerun (from the store, in its order) gives the same verdicts"


@FAST
@given(
    task_ids=st.lists(JSON_TEXT, min_size=2, max_size=2, unique=True),
    picks=st.lists(st.tuples(st.integers(0, 1), completions()), min_size=1, max_size=4),
)
def test_any_completion_and_task_id_gets_one_verdict(task_ids: list[str], picks: list[tuple[int, str]]) -> None:
    expected = [(task_ids[i], c) for i, c in picks]
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(tmp) / "run"
        run_dir.mkdir()
        lines = [json.dumps({"task_id": t, "completion": c}) + "\n" for t, c in expected]
        (run_dir / "samples.jsonl").write_text("".join(lines))
        check_run(run_dir, problem_set(task_ids), expected)


class ScriptedModel(Generator):
    """Model output as a test wants it: each prompt's samples are the given texts."""

    model_id = "scripted"

    def __init__(self, outputs: dict[str, list[tuple[str, str]]]) -> None:
        self.outputs = outputs

    def generate(self, prompt: str, params: SamplingParams, n: int = 1, seed: int | None = None):  # type: ignore[no-untyped-def]
        for completion, raw in self.outputs[prompt][:n]:
            yield Sample(completion, tokens=[1, 2], logprobs=[-0.5, -1.0], raw_text=raw)


@FAST
@given(
    task_id=JSON_TEXT,
    outputs=st.lists(st.tuples(completions(), JSON_TEXT), min_size=1, max_size=3),
)
def test_any_model_output_is_stored_and_judged(task_id: str, outputs: list[tuple[str, str]]) -> None:
    problems = ProblemSet("odd", [Problem(task_id, PROMPT, "f", "    return x\n", TEST)])
    n = len(outputs)
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(tmp) / "run"
        config = run_config(problems, "odd", {"temperature": 0.8}, n, {})
        with open_run_store(run_dir, config, problems) as store:
            made = generate_samples(
                problems, ScriptedModel({PROMPT: outputs}), SamplingParams(), n, run_dir / "samples.jsonl", store=store
            )
            assert made == n
            stored = store.samples()
        raw = [r["completion"] if r["raw_text"] is None else r["raw_text"] for r in stored]
        assert [(r["completion"], t) for r, t in zip(stored, raw)] == outputs
        check_run(run_dir, problems, [(task_id, c) for c, _ in outputs])


@pytest.fixture(scope="module")
def scratch_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunStore]:
    with open_store(tmp_path_factory.mktemp("odd-store")) as store:
        yield store


@CHEAP
@given(detail=ANY_TEXT, traceback=ANY_TEXT, status=st.sampled_from(list(Status)))
def test_any_verdict_text_is_stored_as_it_reads(
    scratch_store: RunStore, detail: str, traceback: str, status: Status
) -> None:
    """Whatever a sample puts in its exception: the verdict holds encodable text, the same in every file."""
    v = Verdict(status, detail, 0.5, traceback)
    v.detail.encode("utf-8"), v.traceback.encode("utf-8")  # encodable: no UnicodeEncodeError
    assert v.detail == detail or "\\u" in v.detail or "\\x" in v.detail
    scratch_store.add_verdict("h", v)
    assert scratch_store.verdicts() == {"h": v}
    exported = scratch_store.path.with_name("verdicts.jsonl")
    write_jsonl(exported, [{"verdict_key": "h", **v.to_dict()}])
    ((_, back),) = read_jsonl(exported)
    assert Verdict.from_dict(back) == v and Verdict.from_dict(back).result_text == v.result_text


@CHEAP
@given(value=VALUES, text=ANY_TEXT)
def test_json_lines_and_sql_text_round_trip(value: Any, text: str) -> None:
    line = json_line({"v": value, "t": json.loads(json.dumps(text))})
    assert "\n" not in line and line.encode("utf-8")
    assert json.loads(line) == json.loads(json.dumps({"v": value, "t": text}))
    db = sqlite3.connect(":memory:")
    (back,) = db.execute("SELECT ?", (to_sql(text),)).fetchone()
    assert from_sql(back) == text, "any str, even one no JSON file can hold, comes back from SQLite as it was"


# -- the two cases of issue 11, through the real command on real files ----------------------------------------


def codexlab(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_cli_judges_a_lone_surrogate_completion(tmp_path: Path, tiny_problems_file: Path) -> None:
    samples = tmp_path / "samples.jsonl"
    samples.write_text(
        '{"task_id": "Tiny/0", "completion": "\\ud800"}\n{"task_id": "Tiny/1", "completion": "    return s[::-1]\\n"}\n'
    )
    for _ in range(2):  # and a rerun, from the store
        proc = codexlab(
            "evaluate", str(samples), "--problems", str(tiny_problems_file), "--unsafe", "--json", cwd=tmp_path
        )
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["status_counts"] == {"syntax_error": 1, "passed": 1}
    rows = [obj for _, obj in read_jsonl(results_path_for(samples))]
    assert [r["completion"] for r in rows] == ["\ud800", "    return s[::-1]\n"]
    assert rows[0]["status"] == "syntax_error" and "surrogates not allowed" in rows[0]["detail"]
    assert '"\\ud800"' in results_path_for(samples).read_text(encoding="utf-8"), "kept as JSON wrote it"


def test_cli_judges_a_lone_surrogate_exception_and_keeps_the_verdict(tmp_path: Path, tiny_problems_file: Path) -> None:
    samples = tmp_path / "samples.jsonl"
    samples.write_text(
        json.dumps({"task_id": "Tiny/0", "completion": "    raise ValueError('bad \\ud800 text')\n"})
        + "\n"
        + json.dumps({"task_id": "Tiny/0", "completion": "    return a + b\n"})
        + "\n"
    )
    store = store_path_for(samples)

    def judged() -> list[tuple[str, float]]:
        db = sqlite3.connect(store)
        try:
            return sorted(db.execute("SELECT verdict_key, created_at FROM verdicts").fetchall())
        finally:
            db.close()

    proc = codexlab("evaluate", str(samples), "--problems", str(tiny_problems_file), "--unsafe", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["pass_at_k"]["pass@1"] == 0.5
    rows = [obj for _, obj in read_jsonl(results_path_for(samples))]
    assert rows[0]["status"] == "error" and rows[0]["detail"] == "ValueError: bad \\ud800 text"
    first = judged()
    proc = codexlab("evaluate", str(samples), "--problems", str(tiny_problems_file), "--unsafe", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(first) == 2 and judged() == first, "the rerun reused both verdicts"
    assert [obj for _, obj in read_jsonl(results_path_for(samples))] == rows


def test_report_shows_odd_text_as_escapes(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from codexlab.reports.html import write_report

    problems = problem_set(["Odd/\ud800"])
    expected = [("Odd/\ud800", "    return '\\udc80'\n"), ("Odd/\ud800", "\ud800")]
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "samples.jsonl").write_text(
        "".join(json.dumps({"task_id": t, "completion": c}) + "\n" for t, c in expected)
    )
    check_run(run_dir, problems, expected)
    html = write_report(run_dir, run_dir / "report.html").read_text(encoding="utf-8")
    assert "Odd/\\ud800" in html


@pytest.mark.parametrize("name", ["process", "sandbox"])
def test_every_executor_judges_odd_text_alike(name: str) -> None:
    """Same verdicts from the process executor and the sandbox (its wire carries the text as JSON escapes)."""
    from codexlab.execution import ExecutionJob, make_executor

    try:
        executor = make_executor("auto" if name == "sandbox" else name, workers=1)
    except Exception as exc:  # noqa: BLE001 - a host without the sandbox
        pytest.skip(f"no sandbox here: {exc}")
    problems = problem_set(["Odd/0"])
    bodies = {
        "lone": "\ud800",
        "raise": "    raise ValueError('a \\ud800 b')\n",
        "return": "    return '\\udc80'\n",
        "pair": "    raise KeyError('\\ud83d\\ude00')\n",
    }
    jobs = [ExecutionJob(k, problems["Odd/0"], c) for k, c in bodies.items()]
    with executor:
        got = dict(executor.map(jobs))
    assert got["lone"].status is Status.SYNTAX_ERROR
    assert got["raise"].status is Status.ERROR and got["raise"].detail == "ValueError: a \\ud800 b"
    assert got["return"].status is Status.FAILED and "\\udc80" in got["return"].detail
    assert got["pair"].status is Status.ERROR
    for v in got.values():
        (v.detail + v.traceback).encode("utf-8")
